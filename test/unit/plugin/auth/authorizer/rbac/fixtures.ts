import winston from 'winston';
import type { Attributes, PolicyRule } from '../../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../../pkg/auth/user/user.js';
import type { GenericStore } from '../../../../../../pkg/registry/generic/store.js';
import { ResourceRegistry } from '../../../../../../pkg/registry/registry.js';
import { BUILTIN_RESOURCES } from '../../../../../../pkg/registry/resources/index.js';
import { MemoryStorage } from '../../../../../../pkg/storage/memory/memory_storage.js';
import type { StoredObject } from '../../../../../../pkg/storage/interfaces.js';

/** Helpers shared by the RBAC authorizer tests: a real registry, RBAC objects and requests. */

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Builds a registry of the built-in resources on `storage`, with its initial namespaces. */
export async function newRegistry(
  storage: MemoryStorage = new MemoryStorage(),
): Promise<ResourceRegistry> {
  const resources = new ResourceRegistry(
    BUILTIN_RESOURCES,
    storage,
    winston.createLogger({ silent: true }),
  );
  await resources.bootstrap();
  return resources;
}

/** Returns an RBAC store of the registry, failing the test when it is not served. */
export function rbacStore(resources: ResourceRegistry, plural: string): GenericStore {
  const store = resources.lookup(RBAC_GROUP, 'v1', plural);
  if (store === undefined) throw new Error(`${plural} is not served`);
  return store;
}

/** Creates a namespace in the registry. */
export async function createNamespace(resources: ResourceRegistry, name: string): Promise<void> {
  const store = resources.lookup('', 'v1', 'namespaces');
  if (store === undefined) throw new Error('namespaces are not served');
  await store.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Builds a Role, or a ClusterRole when `namespace` is empty. */
export function roleObject(
  namespace: string,
  name: string,
  rules: readonly PolicyRule[],
): StoredObject {
  const kind = namespace === '' ? 'ClusterRole' : 'Role';
  const metadata = namespace === '' ? { name } : { name, namespace };
  return { apiVersion: `${RBAC_GROUP}/v1`, kind, metadata, rules: structuredClone(rules) };
}

/** A binding subject in rbac/v1 form. */
export interface SubjectFields {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

/** Builds a RoleBinding, or a ClusterRoleBinding when `namespace` is empty. */
export function bindingObject(
  namespace: string,
  name: string,
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string },
  subjects: readonly SubjectFields[],
): StoredObject {
  const kind = namespace === '' ? 'ClusterRoleBinding' : 'RoleBinding';
  const metadata = namespace === '' ? { name } : { name, namespace };
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind,
    metadata,
    roleRef: { apiGroup: RBAC_GROUP, ...roleRef },
    subjects: subjects.map((subject) =>
      subject.kind === 'ServiceAccount' ? { ...subject } : { apiGroup: RBAC_GROUP, ...subject },
    ),
  };
}

/** Stores a Role or ClusterRole. */
export async function createRole(
  resources: ResourceRegistry,
  namespace: string,
  name: string,
  rules: readonly PolicyRule[],
): Promise<StoredObject> {
  const plural = namespace === '' ? 'clusterroles' : 'roles';
  return rbacStore(resources, plural).create(namespace, roleObject(namespace, name, rules));
}

/** Stores a RoleBinding or ClusterRoleBinding. */
export async function createBinding(
  resources: ResourceRegistry,
  namespace: string,
  name: string,
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string },
  subjects: readonly SubjectFields[],
): Promise<StoredObject> {
  const plural = namespace === '' ? 'clusterrolebindings' : 'rolebindings';
  return rbacStore(resources, plural).create(
    namespace,
    bindingObject(namespace, name, roleRef, subjects),
  );
}

/** Builds a user with the given groups. */
export function user(name: string, groups: readonly string[] = []): UserInfo {
  return newUserInfo({ name, groups });
}

/** Builds the attributes of a resource request. */
export function resourceRequest(
  requester: UserInfo,
  fields: {
    verb: string;
    resource: string;
    namespace?: string;
    apiGroup?: string;
    subresource?: string;
    name?: string;
  },
): Attributes {
  return {
    user: requester,
    verb: fields.verb,
    isResourceRequest: true,
    path: '',
    namespace: fields.namespace ?? '',
    apiGroup: fields.apiGroup ?? '',
    apiVersion: 'v1',
    resource: fields.resource,
    subresource: fields.subresource ?? '',
    name: fields.name ?? '',
  };
}

/** Builds the attributes of a request for a non-resource path. */
export function pathRequest(requester: UserInfo, verb: string, path: string): Attributes {
  return {
    user: requester,
    verb,
    isResourceRequest: false,
    path,
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
}
