import type winston from 'winston';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import type { GenericStore } from '../../../../../pkg/registry/generic/store.js';
import type { ResourceRegistry } from '../../../../../pkg/registry/registry.js';
import { RBAC_GROUP } from '../../../../../pkg/registry/validation/rbac.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './policy.js';

function requireStore(resources: ResourceRegistry, resource: string): GenericStore {
  const store = resources.lookup(RBAC_GROUP, 'v1', resource);
  if (store === undefined) {
    throw new Error(
      `the RBAC bootstrap policy needs the ${RBAC_GROUP}/v1 ${resource} resource, which is not served`,
    );
  }
  return store;
}

/** Creates each object that does not exist yet, and returns the names of those it created. */
async function createMissing(
  store: GenericStore,
  objects: readonly StoredObject[],
  logger: winston.Logger,
): Promise<string[]> {
  const created: string[] = [];
  for (const object of objects) {
    const name = String(object.metadata.name);
    try {
      await store.create('', object);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'AlreadyExists') continue;
      throw err;
    }
    created.push(name);
    logger.debug(`created ${store.definition.singular}.${RBAC_GROUP}/${name}`);
  }
  return created;
}

/**
 * Creates kube-apiserver's default ClusterRoles and ClusterRoleBindings that are missing, as its
 * rbac/bootstrap-roles post-start hook does, and leaves existing ones as they are.
 * Differs from kube-apiserver: it also reconciles existing defaults that carry the annotation
 * rbac.authorization.kubernetes.io/autoupdate=true, adding the rules and subjects they lack.
 * Here an edited default stays as edited.
 * @throws the store's error when a create fails for another reason than AlreadyExists
 */
export async function ensureBootstrapPolicy(
  resources: ResourceRegistry,
  logger: winston.Logger,
): Promise<void> {
  const clusterRoles = bootstrapClusterRoles();
  const clusterRoleBindings = bootstrapClusterRoleBindings();
  const createdRoles = await createMissing(
    requireStore(resources, 'clusterroles'),
    clusterRoles,
    logger,
  );
  const createdBindings = await createMissing(
    requireStore(resources, 'clusterrolebindings'),
    clusterRoleBindings,
    logger,
  );
  logger.info('RBAC bootstrap policy ensured', {
    createdClusterRoles: createdRoles.length,
    existingClusterRoles: clusterRoles.length - createdRoles.length,
    createdClusterRoleBindings: createdBindings.length,
    existingClusterRoleBindings: clusterRoleBindings.length - createdBindings.length,
  });
}
