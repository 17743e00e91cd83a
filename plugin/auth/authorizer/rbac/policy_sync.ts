import type winston from 'winston';
import type { ResourceRegistry } from '../../../../pkg/registry/registry.js';
import type { GenericStore } from '../../../../pkg/registry/generic/store.js';
import { RBAC_GROUP } from '../../../../pkg/registry/validation/rbac.js';
import type { StoredObject } from '../../../../pkg/storage/interfaces.js';
import type { PolicyIndex } from './policy_index.js';
import { bindingFrom, roleFrom } from './policy_objects.js';
import { Reflector, type ReflectorHandlers, type ReflectorOptions } from './reflector.js';

function nameOf(object: StoredObject): string {
  const name = object.metadata.name;
  return typeof name === 'string' ? name : '';
}

function namespaceOf(object: StoredObject): string {
  const namespace = object.metadata.namespace;
  return typeof namespace === 'string' ? namespace : '';
}

/** Builds the handlers that keep one kind of RBAC object current in the index. */
function handlersFor(index: PolicyIndex, resource: string): ReflectorHandlers {
  switch (resource) {
    case 'roles':
      return {
        replace: (objects) => index.replaceRoles(objects.map(roleFrom)),
        apply: ({ type, object }) => {
          if (type === 'DELETED') index.removeRole(namespaceOf(object), nameOf(object));
          else index.putRole(roleFrom(object));
        },
      };
    case 'clusterroles':
      return {
        replace: (objects) => index.replaceClusterRoles(objects.map(roleFrom)),
        apply: ({ type, object }) => {
          if (type === 'DELETED') index.removeClusterRole(nameOf(object));
          else index.putClusterRole(roleFrom(object));
        },
      };
    case 'rolebindings':
      return {
        replace: (objects) =>
          index.replaceRoleBindings(objects.map((object) => bindingFrom(object, 'RoleBinding'))),
        apply: ({ type, object }) => {
          if (type === 'DELETED') index.removeRoleBinding(namespaceOf(object), nameOf(object));
          else index.putRoleBinding(bindingFrom(object, 'RoleBinding'));
        },
      };
    case 'clusterrolebindings':
      return {
        replace: (objects) =>
          index.replaceClusterRoleBindings(
            objects.map((object) => bindingFrom(object, 'ClusterRoleBinding')),
          ),
        apply: ({ type, object }) => {
          if (type === 'DELETED') index.removeClusterRoleBinding(nameOf(object));
          else index.putClusterRoleBinding(bindingFrom(object, 'ClusterRoleBinding'));
        },
      };
    default:
      throw new Error(`no RBAC index handlers for resource ${JSON.stringify(resource)}`);
  }
}

const RBAC_RESOURCES = ['clusterroles', 'roles', 'clusterrolebindings', 'rolebindings'] as const;

function requireStore(resources: ResourceRegistry, resource: string): GenericStore {
  const store = resources.lookup(RBAC_GROUP, 'v1', resource);
  if (store === undefined) {
    throw new Error(
      `the RBAC authorizer needs the ${RBAC_GROUP}/v1 ${resource} resource, which is not served`,
    );
  }
  return store;
}

/**
 * Fills the index from the Role, ClusterRole, RoleBinding and ClusterRoleBinding stores and keeps
 * it current by watching them until `signal` aborts. Resolves once all four are listed.
 * @throws Error when a store is not served or a first list fails
 */
export async function startPolicySync(
  resources: ResourceRegistry,
  index: PolicyIndex,
  logger: winston.Logger,
  signal: AbortSignal,
  options: ReflectorOptions = {},
): Promise<void> {
  const reflectors = RBAC_RESOURCES.map(
    (resource) =>
      new Reflector(
        requireStore(resources, resource),
        handlersFor(index, resource),
        logger,
        signal,
        options,
      ),
  );
  await Promise.all(reflectors.map((reflector) => reflector.start()));
}
