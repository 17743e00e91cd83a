import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import {
  RBAC_GROUP,
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from '../validation/rbac.js';
import {
  ensureObjectField,
  objectArrayField,
  objectField,
  stringField,
} from '../validation/unstructured.js';
import { AGE_COLUMN, NAME_COLUMN, column, createdAt, objectAge, objectName } from './columns.js';

/**
 * The table of roles and cluster roles. kube-apiserver has no printer for them and falls back
 * to its default table convertor, which shows the creation time as an RFC 3339 date.
 */
export const ROLE_PRINTER: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Created At', 'Time the object was created (creationTimestamp).', { type: 'date' }),
  ],
  cells: (role: StoredObject) => [objectName(role), createdAt(role)],
};

/**
 * Splits subjects as rbac.SubjectsStrings does: user names, group names, and service accounts
 * as `namespace:name` (or `name` without a namespace).
 */
export function subjectsStrings(binding: StoredObject): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of objectArrayField(binding, 'subjects')) {
    const name = stringField(subject, 'name');
    const namespace = stringField(subject, 'namespace');
    switch (stringField(subject, 'kind')) {
      case 'ServiceAccount':
        serviceAccounts.push(namespace === '' ? name : `${namespace}:${name}`);
        break;
      case 'User':
        users.push(name);
        break;
      case 'Group':
        groups.push(name);
        break;
    }
  }
  return [users, groups, serviceAccounts];
}

/** The table of role bindings and cluster role bindings. */
export const ROLE_BINDING_PRINTER: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Role', 'Kind and name of the role the binding grants.'),
    AGE_COLUMN,
    column('Users', 'Users the binding applies to.', { priority: 1 }),
    column('Groups', 'Groups the binding applies to.', { priority: 1 }),
    column('ServiceAccounts', 'Service accounts the binding applies to.', { priority: 1 }),
  ],
  cells: (binding: StoredObject, now: Date) => {
    const roleRef = objectField(binding, 'roleRef');
    const [users, groups, serviceAccounts] = subjectsStrings(binding);
    return [
      objectName(binding),
      `${stringField(roleRef, 'kind')}/${stringField(roleRef, 'name')}`,
      objectAge(binding, now),
      users.join(', '),
      groups.join(', '),
      serviceAccounts.join(', '),
    ];
  },
};

/**
 * Fills the defaults of rbac/v1 bindings: roleRef.apiGroup, and the apiGroup of User and
 * Group subjects, are rbac.authorization.k8s.io when unset.
 */
export function prepareBindingForCreate(binding: StoredObject): void {
  const roleRef = ensureObjectField(binding, 'roleRef');
  if (stringField(roleRef, 'apiGroup') === '') roleRef.apiGroup = RBAC_GROUP;
  for (const subject of objectArrayField(binding, 'subjects')) {
    const kind = stringField(subject, 'kind');
    if (stringField(subject, 'apiGroup') === '' && (kind === 'User' || kind === 'Group')) {
      subject.apiGroup = RBAC_GROUP;
    }
  }
}

const RBAC_COMMON = {
  group: RBAC_GROUP,
  version: 'v1',
  shortNames: [],
  categories: [],
  subresources: [],
} as const;

/** rbac.authorization.k8s.io/v1 roles. */
export const ROLES: ResourceDefinition = {
  ...RBAC_COMMON,
  kind: 'Role',
  listKind: 'RoleList',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  printer: ROLE_PRINTER,
  modelName: 'V1Role',
  validate: validateRole,
};

/** rbac.authorization.k8s.io/v1 rolebindings. */
export const ROLE_BINDINGS: ResourceDefinition = {
  ...RBAC_COMMON,
  kind: 'RoleBinding',
  listKind: 'RoleBindingList',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  printer: ROLE_BINDING_PRINTER,
  modelName: 'V1RoleBinding',
  prepareForCreate: prepareBindingForCreate,
  validate: validateRoleBinding,
};

/** rbac.authorization.k8s.io/v1 clusterroles. */
export const CLUSTER_ROLES: ResourceDefinition = {
  ...RBAC_COMMON,
  kind: 'ClusterRole',
  listKind: 'ClusterRoleList',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  printer: ROLE_PRINTER,
  modelName: 'V1ClusterRole',
  validate: validateClusterRole,
};

/** rbac.authorization.k8s.io/v1 clusterrolebindings. */
export const CLUSTER_ROLE_BINDINGS: ResourceDefinition = {
  ...RBAC_COMMON,
  kind: 'ClusterRoleBinding',
  listKind: 'ClusterRoleBindingList',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  printer: ROLE_BINDING_PRINTER,
  modelName: 'V1ClusterRoleBinding',
  prepareForCreate: prepareBindingForCreate,
  validate: validateClusterRoleBinding,
};
