import {
  newAlreadyExists,
  newBadRequest,
  newNotFound,
  type QualifiedResource,
} from '../../apiserver/errors/statuserror.js';
import {
  StorageError,
  type Preconditions,
  type Storage,
  type StoredObject,
  type WatchEvent,
} from '../../storage/interfaces.js';
import type { ResourceDefinition } from '../resource.js';
import {
  COMMON_FIELD_LABELS,
  matchesFields,
  parseFieldSelector,
  type FieldRequirement,
} from '../selection/fields.js';
import { matchesLabels, parseLabelSelector, type LabelRequirement } from '../selection/labels.js';
import { decodeContinue, encodeContinue } from './continue_token.js';
import { interpretStorageError } from './errors.js';
import { carryUpdateMetadata, fillCreateMetadata, labelsOf, metadataString } from './metadata.js';

/** Options of list, watch and deletecollection. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
}

/** A page of objects with the list's resourceVersion and continuation. */
export interface ListPage {
  items: StoredObject[];
  resourceVersion: string;
  continueToken: string | undefined;
}

/** Checks an object before it is stored; throws a StatusError (usually 422) to reject it. */
export type ObjectValidator = (object: StoredObject, old: StoredObject | undefined) => void;

/**
 * Checks the final object of a create, update or patch just before it is stored, dry runs
 * included, and throws a StatusError to reject it. `old` is the stored object that an update
 * or patch replaces, and undefined on create.
 */
export type AdmitFunction = (object: StoredObject, old: StoredObject | undefined) => Promise<void>;

/** Options of update and patch. */
export interface UpdateOptions {
  subresource?: string;
  dryRun?: boolean;
  admit?: AdmitFunction;
}

/** Dependencies of the store besides storage. */
export interface StoreDependencies {
  storage: Storage;
  /** Throws the 404 for a namespace that does not exist; called before namespaced creates. */
  requireNamespace(namespace: string): Promise<void>;
  validate: ObjectValidator;
  /** Runs after an object is stored by create (not on dry runs). */
  afterCreate?: (object: StoredObject) => Promise<void>;
  now?: () => Date;
}

/** A watch event as the REST layer streams it. */
export interface StoreWatchEvent {
  type: WatchEvent['type'];
  object: StoredObject;
}

interface Selection {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/**
 * The generic registry store: one implementation that serves every resource from its
 * definition, as k8s.io/apiserver's registry/generic/registry.Store does. It sets server-owned
 * metadata, enforces preconditions and maps storage failures onto kube-apiserver's `Status`
 * errors. Keys are `/registry/<group>/<resource>/<namespace>/<name>`.
 */
export class GenericStore {
  private readonly qualified: QualifiedResource;
  private readonly now: () => Date;

  constructor(
    readonly definition: ResourceDefinition,
    private readonly deps: StoreDependencies,
  ) {
    this.qualified = { group: definition.group, resource: definition.plural };
    this.now = deps.now ?? (() => new Date());
  }

  /** Returns the storage prefix of all objects, or of one namespace's objects. */
  prefix(namespace: string): string {
    const group = this.definition.group === '' ? 'core' : this.definition.group;
    const base = `/registry/${group}/${this.definition.plural}/`;
    return this.definition.namespaced && namespace !== '' ? `${base}${namespace}/` : base;
  }

  key(namespace: string, name: string): string {
    return `${this.prefix(this.definition.namespaced ? namespace : '')}${name}`;
  }

  private storageCall<T>(promise: Promise<T>, name: string): Promise<T> {
    return promise.catch((err: unknown) => {
      throw interpretStorageError(err, this.qualified, name);
    });
  }

  private withType(object: StoredObject): StoredObject {
    const { group, version, kind } = this.definition;
    const apiVersion = group === '' ? version : `${group}/${version}`;
    return { ...object, apiVersion, kind, metadata: object.metadata };
  }

  /** Creates an object in `namespace` (ignored for cluster-scoped kinds). */
  async create(
    namespace: string,
    object: StoredObject,
    dryRun = false,
    admit?: AdmitFunction,
  ): Promise<StoredObject> {
    const scopedNamespace = this.definition.namespaced ? namespace : '';
    if (scopedNamespace !== '') await this.deps.requireNamespace(scopedNamespace);
    const prepared = this.withType(structuredClone(object));
    fillCreateMetadata(prepared, scopedNamespace, this.now());
    this.definition.prepareForCreate?.(prepared);
    this.deps.validate(prepared, undefined);
    await admit?.(prepared, undefined);
    const name = metadataString(prepared, 'name');
    if (dryRun) {
      await this.ensureAbsent(scopedNamespace, name);
      return prepared;
    }
    const created = await this.storageCall(
      this.deps.storage.create(this.key(scopedNamespace, name), prepared),
      name,
    );
    await this.deps.afterCreate?.(created);
    return created;
  }

  private async ensureAbsent(namespace: string, name: string): Promise<void> {
    let exists = true;
    try {
      await this.deps.storage.get(this.key(namespace, name));
    } catch {
      exists = false;
    }
    if (exists) throw newAlreadyExists(this.qualified, name);
  }

  private conflict(name: string): unknown {
    return interpretStorageError(
      new StorageError('ResourceVersionConflict', this.key('', name), 'stale resourceVersion'),
      this.qualified,
      name,
    );
  }

  async get(namespace: string, name: string): Promise<StoredObject> {
    return this.storageCall(this.deps.storage.get(this.key(namespace, name)), name);
  }

  private selection(options: ListOptions): Selection {
    return {
      labels: parseLabelSelector(options.labelSelector ?? ''),
      fields: parseFieldSelector(options.fieldSelector ?? '', [
        ...COMMON_FIELD_LABELS,
        ...(this.definition.fieldLabels ?? []),
      ]),
    };
  }

  private static matches(selection: Selection, object: StoredObject): boolean {
    return (
      matchesLabels(selection.labels, labelsOf(object)) && matchesFields(selection.fields, object)
    );
  }

  /**
   * Lists objects of one namespace, or of all namespaces when `namespace` is empty.
   * NOTE: later pages of a paged list read the current state, not the first page's revision as
   * kube-apiserver does, and remainingItemCount is not set.
   */
  async list(namespace: string, options: ListOptions = {}): Promise<ListPage> {
    const selection = this.selection(options);
    const continueAfter =
      options.continueToken === undefined || options.continueToken === ''
        ? undefined
        : decodeContinue(options.continueToken).lastKey;
    const result = await this.deps.storage.list(this.prefix(namespace), {
      limit: options.limit,
      continueAfter,
      filter: (object) => GenericStore.matches(selection, object),
    });
    return {
      items: result.items,
      resourceVersion: String(result.revision),
      continueToken:
        result.continueKey === undefined
          ? undefined
          : encodeContinue(result.revision, result.continueKey),
    };
  }

  /**
   * Replaces an object (PUT). A resourceVersion in the new object is a precondition: a stale
   * one is a 409 Conflict.
   */
  async update(
    namespace: string,
    name: string,
    object: StoredObject,
    options: UpdateOptions = {},
  ): Promise<StoredObject> {
    const resourceVersion = metadataString(object, 'resourceVersion');
    const preconditions: Preconditions = resourceVersion === '' ? {} : { resourceVersion };
    return this.guaranteedUpdate(namespace, name, preconditions, options, (current) =>
      this.merged(current, this.withType(structuredClone(object)), options.subresource),
    );
  }

  /**
   * Applies `change` to the current object (PATCH) and stores the result after validation.
   */
  async patch(
    namespace: string,
    name: string,
    change: (current: StoredObject) => StoredObject,
    options: UpdateOptions = {},
  ): Promise<StoredObject> {
    return this.guaranteedUpdate(namespace, name, {}, options, (current) => {
      const patched = this.withType(change(structuredClone(current)));
      const resourceVersion = metadataString(patched, 'resourceVersion');
      if (
        resourceVersion !== '' &&
        resourceVersion !== metadataString(current, 'resourceVersion')
      ) {
        throw this.conflict(name);
      }
      return this.merged(current, patched, options.subresource);
    });
  }

  /**
   * Builds the object to store from the current and the requested state: server-owned metadata
   * is kept, and for kinds with a status subresource the main resource cannot change the status
   * while the status subresource can change only the status.
   */
  private merged(
    current: StoredObject,
    requested: StoredObject,
    subresource: string | undefined,
  ): StoredObject {
    const name = metadataString(current, 'name');
    const requestedName = metadataString(requested, 'name');
    if (requestedName !== name) {
      throw newBadRequest(
        `the name of the object (${requestedName}) does not match the name on the URL (${name})`,
      );
    }
    const hasStatus = this.definition.subresources.includes('status');
    let result = requested;
    if (subresource === 'status') {
      result = { ...structuredClone(current), status: requested.status };
    } else if (hasStatus) {
      result = { ...requested, status: current.status };
      if (current.status === undefined) delete result.status;
    }
    carryUpdateMetadata(result, current);
    this.deps.validate(result, current);
    return result;
  }

  /**
   * Runs `update` on the current object and stores the result. The admit function receives
   * the result and the current object inside the storage update, so it checks what is stored.
   */
  private async guaranteedUpdate(
    namespace: string,
    name: string,
    preconditions: Preconditions,
    options: UpdateOptions,
    update: (current: StoredObject) => StoredObject,
  ): Promise<StoredObject> {
    const key = this.key(namespace, name);
    const admitted = async (current: StoredObject): Promise<StoredObject> => {
      const result = update(current);
      await options.admit?.(result, current);
      return result;
    };
    if (options.dryRun === true) {
      const current = await this.get(namespace, name);
      if (
        preconditions.resourceVersion !== undefined &&
        preconditions.resourceVersion !== metadataString(current, 'resourceVersion')
      ) {
        throw this.conflict(name);
      }
      return admitted(current);
    }
    return this.storageCall(this.deps.storage.guaranteedUpdate(key, preconditions, admitted), name);
  }

  /** Deletes an object and returns its last state. */
  async delete(
    namespace: string,
    name: string,
    preconditions: Preconditions = {},
    dryRun = false,
  ): Promise<StoredObject> {
    if (dryRun) return this.get(namespace, name);
    return this.storageCall(
      this.deps.storage.delete(this.key(namespace, name), preconditions),
      name,
    );
  }

  /** Deletes every object a list with `options` would return, and returns them. */
  async deleteCollection(
    namespace: string,
    options: ListOptions = {},
    dryRun = false,
  ): Promise<StoredObject[]> {
    const { items } = await this.list(namespace, {
      ...options,
      limit: undefined,
      continueToken: undefined,
    });
    if (dryRun) return items;
    const deleted: StoredObject[] = [];
    for (const item of items) {
      try {
        deleted.push(
          await this.deps.storage.delete(
            this.key(metadataString(item, 'namespace'), metadataString(item, 'name')),
          ),
        );
      } catch {
        // Deleted by someone else meanwhile: already gone, which is what was asked for.
      }
    }
    return deleted;
  }

  /**
   * Watches objects from `resourceVersion`. With "" or "0" it first sends an ADDED event for
   * every matching object that exists now, then live changes. With another value it sends only
   * changes after it. A change that moves an object into or out of the selection is sent as
   * ADDED or DELETED, as kube-apiserver's watch cache does.
   * @throws StatusError 410 Expired when changes since `resourceVersion` are no longer kept
   */
  async *watch(
    namespace: string,
    options: ListOptions & { resourceVersion?: string },
    signal: AbortSignal,
  ): AsyncGenerator<StoreWatchEvent> {
    const selection = this.selection(options);
    const requested = options.resourceVersion ?? '';
    let fromRevision: number;
    if (requested === '' || requested === '0') {
      const page = await this.list(namespace, {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      });
      for (const item of page.items) yield { type: 'ADDED', object: item };
      fromRevision = Number(page.resourceVersion);
    } else {
      fromRevision = Number(requested);
      if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
        throw newBadRequest(`invalid resource version: ${JSON.stringify(requested)}`);
      }
    }
    let events: AsyncIterable<WatchEvent>;
    try {
      events = this.deps.storage.watch(this.prefix(namespace), fromRevision, signal);
    } catch (err) {
      throw interpretStorageError(err, this.qualified, '');
    }
    const previous = new Map<string, boolean>();
    try {
      for await (const event of events) {
        const type = GenericStore.selectedType(event, selection, previous);
        if (type !== undefined) yield { type, object: event.object };
      }
    } catch (err) {
      throw interpretStorageError(err, this.qualified, '');
    }
  }

  /** Maps a storage event onto the event a selective watcher receives, or undefined for none. */
  private static selectedType(
    event: WatchEvent,
    selection: Selection,
    previous: Map<string, boolean>,
  ): WatchEvent['type'] | undefined {
    const matchesNow = event.type !== 'DELETED' && GenericStore.matches(selection, event.object);
    // The state before the change decides whether the watcher saw the object until now.
    const before = event.type === 'MODIFIED' ? (event.previous ?? event.object) : event.object;
    const matchedBefore =
      previous.get(event.key) ??
      (event.type !== 'ADDED' && GenericStore.matches(selection, before));
    previous.set(event.key, matchesNow);
    if (event.type === 'DELETED') return matchedBefore ? 'DELETED' : undefined;
    if (matchesNow && !matchedBefore) return 'ADDED';
    if (matchesNow) return event.type;
    return matchedBefore ? 'DELETED' : undefined;
  }

  /** 404 for a namespace, used by requireNamespace implementations. */
  static namespaceNotFound(namespace: string): Error {
    return newNotFound({ group: '', resource: 'namespaces' }, namespace);
  }
}
