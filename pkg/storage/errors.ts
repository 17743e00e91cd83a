/**
 * Factories for the StorageError of each code, so every backend words the same failure the same
 * way. Each message names the key, because the registry passes it on in a Status.
 */
import { StorageError } from './interfaces.js';

/** Builds the KeyNotFound error for a read or write of a missing `key`. */
export function newKeyNotFoundError(key: string): StorageError {
  return new StorageError('KeyNotFound', key, `key "${key}" not found`);
}

/** Builds the KeyExists error for a create of a `key` that is already stored. */
export function newKeyExistsError(key: string): StorageError {
  return new StorageError('KeyExists', key, `key "${key}" already exists`);
}

/** Builds the UIDConflict error for a write whose UID precondition does not match. */
export function newUIDConflictError(
  key: string,
  expectedUID: string,
  actualUID: unknown,
): StorageError {
  return new StorageError(
    'UIDConflict',
    key,
    `precondition failed for key "${key}": expected UID "${expectedUID}", ` +
      `but the stored object has UID ${formatMetadataValue(actualUID)}`,
  );
}

/** Builds the ResourceVersionConflict error for a failed resourceVersion precondition. */
export function newResourceVersionConflictError(
  key: string,
  expectedResourceVersion: string,
  actualResourceVersion: unknown,
): StorageError {
  return new StorageError(
    'ResourceVersionConflict',
    key,
    `precondition failed for key "${key}": ` +
      `expected resourceVersion "${expectedResourceVersion}", ` +
      `but the stored object has resourceVersion ${formatMetadataValue(actualResourceVersion)}. ` +
      'Read the object again and retry',
  );
}

/**
 * Builds the TooOldResourceVersion error for a watch of `prefix` from `fromRevision` when the
 * events after it are no longer kept. `oldestWatchableRevision` is the lowest revision a watch can
 * start from. The message matches kube-apiserver's watch cache
 * (k8s.io/apiserver pkg/storage/cacher/watch_cache.go), which reports
 * `too old resource version: <requested> (<oldest available>)`.
 */
export function newTooOldResourceVersionError(
  prefix: string,
  fromRevision: number,
  oldestWatchableRevision: number,
): StorageError {
  return new StorageError(
    'TooOldResourceVersion',
    prefix,
    `too old resource version: ${fromRevision} (${oldestWatchableRevision})`,
  );
}

/**
 * Builds the error that ends a watch of `prefix` whose consumer left more than `bufferLimit`
 * events unread. It carries the TooOldResourceVersion code because the remedy is the same: the
 * client lists again and starts a new watch from the list's revision.
 */
export function newWatchBufferOverflowError(prefix: string, bufferLimit: number): StorageError {
  return new StorageError(
    'TooOldResourceVersion',
    prefix,
    `watch of prefix "${prefix}" ended because its consumer fell more than ${bufferLimit} ` +
      "events behind. List again and watch from the list's revision",
  );
}

function formatMetadataValue(value: unknown): string {
  if (value === undefined) {
    return 'unset';
  }
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}
