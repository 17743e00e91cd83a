/**
 * The storage interface the registry is written against. It is shaped like etcd3's API, where
 * every write gets a new, store-wide revision, so an etcd backend can replace the in-memory one
 * without touching the registry.
 */

/** A stored API object: plain JSON with `metadata.resourceVersion` set by the store. */
export type StoredObject = Record<string, unknown> & { metadata: Record<string, unknown> };

/** One change seen by a watch. `object` is the new state, or the last state for DELETED. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly key: string;
  readonly object: StoredObject;
  /** The revision of this change. */
  readonly revision: number;
  /** The state before a MODIFIED change, so selective watchers can tell an object leaving. */
  readonly previous?: StoredObject;
}

/** Conditions a write requires of the stored object. */
export interface Preconditions {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

/** A page of a list. */
export interface ListResult {
  readonly items: StoredObject[];
  /** The store's revision the list was read at. */
  readonly revision: number;
  /** The key to continue after, when `limit` cut the list short. */
  readonly continueKey: string | undefined;
}

export interface ListOptions {
  /** Return at most this many items; 0 or undefined for all. */
  readonly limit?: number;
  /** Return only keys after this one (exclusive), for paging. */
  readonly continueAfter?: string;
  /** Return only objects this predicate accepts; `limit` counts accepted objects. */
  readonly filter?: (object: StoredObject) => boolean;
}

/** Why a storage call failed; the registry maps each to a Status. */
export type StorageErrorCode =
  'KeyNotFound' | 'KeyExists' | 'ResourceVersionConflict' | 'UIDConflict' | 'TooOldResourceVersion';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Updates an object: returns the new state, computed from the current one. May throw. */
export type UpdateFunction = (current: StoredObject) => StoredObject | Promise<StoredObject>;

/** A revision-based key-value store of API objects. Keys look like `/registry/pods/ns/name`. */
export interface Storage {
  /** The revision of the latest write; 0 before any write. */
  currentRevision(): number;
  /** @throws StorageError KeyNotFound */
  get(key: string): Promise<StoredObject>;
  /** Lists the objects whose key starts with `prefix`, in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /**
   * Stores a new object and sets its `metadata.resourceVersion`.
   * @throws StorageError KeyExists
   */
  create(key: string, object: StoredObject): Promise<StoredObject>;
  /**
   * Replaces an object with what `update` returns for its current state, atomically, and sets
   * the new `metadata.resourceVersion`.
   * @throws StorageError KeyNotFound, ResourceVersionConflict or UIDConflict, or what `update` throws
   */
  guaranteedUpdate(
    key: string,
    preconditions: Preconditions,
    update: UpdateFunction,
  ): Promise<StoredObject>;
  /**
   * Deletes an object and returns its last state, with the deletion's revision as its
   * `metadata.resourceVersion`.
   * @throws StorageError KeyNotFound, ResourceVersionConflict or UIDConflict
   */
  delete(key: string, preconditions?: Preconditions): Promise<StoredObject>;
  /**
   * Streams the changes under `prefix` after revision `fromRevision` until `signal` aborts.
   * @throws StorageError TooOldResourceVersion when changes since `fromRevision` are no longer kept
   */
  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent>;
}
