import { newResourceVersionConflictError, newUIDConflictError } from '../errors.js';
import type { Preconditions, StoredObject } from '../interfaces.js';

/**
 * Checks the preconditions of a write to `key` against the stored `object`. A precondition that
 * is `undefined` is not checked, while an empty string must match exactly. The UID is checked
 * before the resourceVersion, in the same order as kube-apiserver's `Preconditions.Check`.
 * @throws StorageError UIDConflict or ResourceVersionConflict
 */
export function checkPreconditions(
  key: string,
  preconditions: Preconditions,
  object: StoredObject,
): void {
  const { uid, resourceVersion } = preconditions;
  if (uid !== undefined && uid !== object.metadata.uid) {
    throw newUIDConflictError(key, uid, object.metadata.uid);
  }
  if (resourceVersion !== undefined && resourceVersion !== object.metadata.resourceVersion) {
    throw newResourceVersionConflictError(key, resourceVersion, object.metadata.resourceVersion);
  }
}
