import type winston from 'winston';
import { StatusError } from '../apiserver/errors/statuserror.js';
import type { Storage, StoredObject } from '../storage/interfaces.js';
import { GenericStore } from './generic/store.js';
import type { ResourceDefinition } from './resource.js';
import { invalidStatus, validateObjectMeta } from './validation/index.js';

/** Namespaces that exist from the start, as in a new kube-apiserver cluster. */
export const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function storeKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/**
 * The stores of every served resource, and what spans resources: namespace existence for
 * creates, and removing a namespace's objects when it is deleted.
 */
export class ResourceRegistry {
  private readonly stores = new Map<string, GenericStore>();
  private readonly namespaces: GenericStore;

  constructor(
    definitions: readonly ResourceDefinition[],
    storage: Storage,
    private readonly logger: winston.Logger,
  ) {
    for (const definition of definitions) {
      const store = new GenericStore(definition, {
        storage,
        requireNamespace: (namespace) => this.requireNamespace(namespace),
        validate: (object, old) => ResourceRegistry.validate(definition, object, old),
        afterCreate:
          definition.group === '' && definition.plural === 'namespaces'
            ? (namespace) => this.createDefaultServiceAccount(namespace)
            : undefined,
      });
      this.stores.set(storeKey(definition.group, definition.version, definition.plural), store);
    }
    const namespaces = this.lookup('', 'v1', 'namespaces');
    if (namespaces === undefined) throw new Error('the namespaces resource must be served');
    this.namespaces = namespaces;
  }

  /** Returns the store of a resource, or undefined when it is not served. */
  lookup(group: string, version: string, resource: string): GenericStore | undefined {
    return this.stores.get(storeKey(group, version, resource));
  }

  /** Every store, in the order the definitions were given. */
  get allStores(): GenericStore[] {
    return [...this.stores.values()];
  }

  /** Creates the namespaces a new cluster has; existing ones are left alone. */
  async bootstrap(): Promise<void> {
    for (const name of INITIAL_NAMESPACES) {
      try {
        await this.namespaces.create('', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        });
        this.logger.debug('created namespace', { namespace: name });
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      }
    }
  }

  /**
   * Creates the `default` service account of a new namespace. In a cluster the service account
   * controller does this. It is the one controller duty this server takes on, because
   * `kubectl create token default` and pods without a serviceAccountName expect that account.
   */
  private async createDefaultServiceAccount(namespace: StoredObject): Promise<void> {
    const store = this.lookup('', 'v1', 'serviceaccounts');
    const name = namespace.metadata.name;
    if (store === undefined || typeof name !== 'string') return;
    try {
      await store.create(name, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default' },
      });
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
  }

  private async requireNamespace(namespace: string): Promise<void> {
    await this.namespaces.get('', namespace).catch((err: unknown) => {
      if (err instanceof StatusError && err.code === 404)
        throw GenericStore.namespaceNotFound(namespace);
      throw err;
    });
  }

  /** Deletes every namespaced object in `namespace`, before the namespace itself goes. */
  async deleteNamespaceContents(namespace: string): Promise<void> {
    for (const store of this.stores.values()) {
      if (!store.definition.namespaced) continue;
      const deleted = await store.deleteCollection(namespace);
      if (deleted.length > 0) {
        this.logger.debug('deleted namespace contents', {
          namespace,
          resource: store.definition.plural,
          count: deleted.length,
        });
      }
    }
  }

  private static validate(
    definition: ResourceDefinition,
    object: StoredObject,
    _old: StoredObject | undefined,
  ): void {
    const errors = [
      ...validateObjectMeta(object, { namespaced: definition.namespaced, kind: definition.kind }),
      ...(definition.validate?.(object) ?? []),
    ];
    if (errors.length === 0) return;
    const name = typeof object.metadata.name === 'string' ? object.metadata.name : '';
    throw new StatusError(
      invalidStatus({ group: definition.group, kind: definition.kind }, name, errors),
    );
  }
}
