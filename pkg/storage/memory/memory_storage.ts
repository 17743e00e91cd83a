import { isDeepStrictEqual } from 'node:util';
import {
  newKeyExistsError,
  newKeyNotFoundError,
  newTooOldResourceVersionError,
} from '../errors.js';
import type {
  ListOptions,
  ListResult,
  Preconditions,
  Storage,
  StoredObject,
  UpdateFunction,
  WatchEvent,
} from '../interfaces.js';
import { EventHistory } from './event_history.js';
import { KeyedMutex } from './keyed_mutex.js';
import { checkPreconditions } from './preconditions.js';
import { SortedKeys } from './sorted_keys.js';
import { Watcher } from './watcher.js';

/** Options of MemoryStorage. */
export interface MemoryStorageOptions {
  /** The number of most recent events kept for watches to replay. Default 10000. */
  readonly historyLimit?: number;
  /**
   * The number of events a watch buffers for a consumer that does not read them before the watch
   * is ended with a TooOldResourceVersion error. Default 10000.
   */
  readonly watchBufferLimit?: number;
}

const DEFAULT_HISTORY_LIMIT = 10_000;
const DEFAULT_WATCH_BUFFER_LIMIT = 10_000;

/**
 * A Storage that keeps objects in process memory, with etcd's revision model: one counter for
 * the whole store, raised by every create, update and delete, whose value at an object's last
 * write is its `metadata.resourceVersion`. Objects are deep-copied on the way in and out, and
 * list filters see deep-frozen objects, so no caller can change stored state except through
 * these methods.
 */
export class MemoryStorage implements Storage {
  private revision = 0;
  private readonly objects = new Map<string, StoredObject>();
  private readonly keys = new SortedKeys();
  private readonly history: EventHistory;
  private readonly watchers = new Set<Watcher>();
  private readonly locks = new KeyedMutex();
  private readonly watchBufferLimit: number;

  /** @throws TypeError when an option is not a positive integer */
  constructor(options: MemoryStorageOptions = {}) {
    const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    const watchBufferLimit = options.watchBufferLimit ?? DEFAULT_WATCH_BUFFER_LIMIT;
    requirePositiveInteger('historyLimit', historyLimit);
    requirePositiveInteger('watchBufferLimit', watchBufferLimit);
    this.history = new EventHistory(historyLimit);
    this.watchBufferLimit = watchBufferLimit;
  }

  /** The number of open watches; tests use it to check that ended watches unsubscribe. */
  get watcherCount(): number {
    return this.watchers.size;
  }

  currentRevision(): number {
    return this.revision;
  }

  get(key: string): Promise<StoredObject> {
    const object = this.objects.get(key);
    if (object === undefined) {
      return Promise.reject(newKeyNotFoundError(key));
    }
    return Promise.resolve(structuredClone(object));
  }

  /**
   * Lists synchronously, so the items and `revision` are one consistent snapshot. `continueKey`
   * is the last returned key, and is set only when at least one more object under the prefix is
   * accepted by the filter.
   *
   * Differs from kube-apiserver: its etcd3 store returns a continue token whenever etcd has more
   * keys in the range, even if none of them pass the filter. Looking ahead here costs no more than
   * the next page would, and spares the client a request that returns an empty page.
   */
  list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    // The executor runs at once, and a filter that throws rejects the promise.
    return new Promise((resolve) => {
      resolve(this.listNow(prefix, options));
    });
  }

  create(key: string, object: StoredObject): Promise<StoredObject> {
    const created = structuredClone(object);
    return this.locks.runExclusive(key, () => {
      if (this.objects.has(key)) {
        throw newKeyExistsError(key);
      }
      this.commit('ADDED', key, created);
      return structuredClone(created);
    });
  }

  /**
   * Runs `update` on a copy of the current object while holding the key's lock, then stores the
   * result. When the result equals the current object apart from `metadata.resourceVersion`, no
   * revision is written and the current object is returned, as kube-apiserver's etcd3 store
   * (k8s.io/apiserver pkg/storage/etcd3/store.go) skips writes that leave the stored bytes as
   * they were.
   *
   * Differs from kube-apiserver: it reads, updates and then writes with a compare-and-swap on the
   * key's revision, calling `update` again after a conflict. Here writers to one key wait for each
   * other instead, so `update` runs at most once per call, but a slow `update` delays other
   * writes to the same key.
   */
  guaranteedUpdate(
    key: string,
    preconditions: Preconditions,
    update: UpdateFunction,
  ): Promise<StoredObject> {
    return this.locks.runExclusive(key, async () => {
      const current = this.objects.get(key);
      if (current === undefined) {
        throw newKeyNotFoundError(key);
      }
      checkPreconditions(key, preconditions, current);

      const updated = structuredClone(await update(structuredClone(current)));
      if (isDeepStrictEqual(withoutResourceVersion(updated), withoutResourceVersion(current))) {
        return structuredClone(current);
      }
      this.commit('MODIFIED', key, updated, current);
      return structuredClone(updated);
    });
  }

  delete(key: string, preconditions: Preconditions = {}): Promise<StoredObject> {
    return this.locks.runExclusive(key, () => {
      const current = this.objects.get(key);
      if (current === undefined) {
        throw newKeyNotFoundError(key);
      }
      checkPreconditions(key, preconditions, current);

      const deleted = structuredClone(current);
      this.commit('DELETED', key, deleted);
      return structuredClone(deleted);
    });
  }

  /**
   * Starts the watch at once, so no write made after this call returns is missed, even before the
   * first read. A `fromRevision` above the current revision delivers only events after it, as
   * an etcd watch does.
   * @throws StorageError TooOldResourceVersion when an event after `fromRevision` was dropped from
   *   the history
   * @throws RangeError when `fromRevision` is not a non-negative integer
   */
  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent> {
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new RangeError(`fromRevision must be a non-negative integer, got ${fromRevision}`);
    }
    const startRevision = fromRevision === 0 ? this.revision : fromRevision;
    const oldestWatchable = this.oldestWatchableRevision();
    if (startRevision < oldestWatchable) {
      throw newTooOldResourceVersionError(prefix, fromRevision, oldestWatchable);
    }

    const watcher = new Watcher({
      prefix,
      fromRevision: startRevision,
      replay: this.history.eventsAfter(startRevision, prefix),
      bufferLimit: this.watchBufferLimit,
      signal,
      onClose: (closed) => this.watchers.delete(closed),
    });
    if (!watcher.isClosed) {
      this.watchers.add(watcher);
    }
    return watcher;
  }

  /**
   * Returns the lowest revision a watch can start from: the revision before the oldest kept
   * event, because a watch delivers events after its start revision.
   */
  private oldestWatchableRevision(): number {
    const oldest = this.history.oldestRevision();
    return oldest === undefined ? this.revision : oldest - 1;
  }

  private listNow(prefix: string, options: ListOptions): ListResult {
    const limit = options.limit ?? 0;
    const items: StoredObject[] = [];
    let lastKey: string | undefined;
    for (const key of this.keys.keysWithPrefix(prefix, options.continueAfter)) {
      const object = this.objects.get(key) as StoredObject;
      if (options.filter !== undefined && !options.filter(object)) {
        continue;
      }
      if (limit > 0 && items.length === limit) {
        return { items, revision: this.revision, continueKey: lastKey };
      }
      items.push(structuredClone(object));
      lastKey = key;
    }
    return { items, revision: this.revision, continueKey: undefined };
  }

  /**
   * Writes one change under the next revision: sets `object`'s resourceVersion, freezes it,
   * stores or removes it, and sends the event to the history and the watchers. Stored objects are
   * shared with the history and never change after this point. The method never awaits, so
   * changes reach watchers in revision order.
   */
  private commit(
    type: WatchEvent['type'],
    key: string,
    object: StoredObject,
    previous?: StoredObject,
  ): void {
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    deepFreeze(object);
    if (type === 'DELETED') {
      this.objects.delete(key);
      this.keys.remove(key);
    } else {
      this.objects.set(key, object);
      this.keys.insert(key);
    }

    const event: WatchEvent =
      previous === undefined
        ? { type, key, object, revision: this.revision }
        : { type, key, object, revision: this.revision, previous };
    this.history.append(event);
    for (const watcher of this.watchers) {
      watcher.push(event);
    }
  }
}

function requirePositiveInteger(option: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${option} must be a positive integer, got ${value}`);
  }
}

/** Returns a shallow copy of `object` with a copy of its metadata that lacks resourceVersion. */
function withoutResourceVersion(object: StoredObject): StoredObject {
  const metadata = { ...object.metadata };
  delete metadata.resourceVersion;
  return { ...object, metadata };
}

/** Freezes `value` and everything it contains, so no reference handed to a filter can alter it. */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) {
    return;
  }
  Object.freeze(value);
  for (const child of Object.values(value)) {
    deepFreeze(child);
  }
}
