import type { PolicyRule } from '../../../../pkg/auth/authorizer/interfaces.js';
import {
  objectArrayField,
  objectField,
  stringArrayField,
  stringField,
  type JSONObject,
} from '../../../../pkg/registry/validation/unstructured.js';
import type { StoredObject } from '../../../../pkg/storage/interfaces.js';

/** A binding subject, as rbac.authorization.k8s.io/v1 Subject encodes it. */
export interface Subject {
  /** User, Group or ServiceAccount; other kinds apply to no one. */
  readonly kind: string;
  readonly apiGroup: string;
  readonly name: string;
  /** The service account's namespace; empty for users and groups. */
  readonly namespace: string;
}

/** The role a binding grants, as rbac.authorization.k8s.io/v1 RoleRef encodes it. */
export interface RoleRef {
  readonly apiGroup: string;
  /** Role or ClusterRole. */
  readonly kind: string;
  readonly name: string;
}

/** The fields of a RoleBinding or ClusterRoleBinding that authorization reads. */
export interface Binding {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  /** The binding's namespace; empty for a ClusterRoleBinding. */
  readonly namespace: string;
  readonly roleRef: RoleRef;
  readonly subjects: readonly Subject[];
}

/** The fields of a Role or ClusterRole that authorization reads. */
export interface Role {
  readonly name: string;
  /** The role's namespace; empty for a ClusterRole. */
  readonly namespace: string;
  readonly rules: readonly PolicyRule[];
}

/**
 * Converts one stored rule into a frozen PolicyRule, so no caller of rulesFor can change the
 * index. Lists that are absent or empty in the object are left out, as rbac/v1's JSON encoding
 * omits them, so rules read back the way the client wrote them.
 */
function policyRuleFrom(rule: JSONObject): PolicyRule {
  const converted: { -readonly [K in keyof PolicyRule]: PolicyRule[K] } = {
    verbs: Object.freeze(stringArrayField(rule, 'verbs')),
  };
  for (const key of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
    const values = stringArrayField(rule, key);
    if (values.length > 0) converted[key] = Object.freeze(values);
  }
  return Object.freeze(converted);
}

/** Reads the rules of a stored Role or ClusterRole. */
export function roleFrom(object: StoredObject): Role {
  return Object.freeze({
    name: stringField(object.metadata, 'name'),
    namespace: stringField(object.metadata, 'namespace'),
    rules: Object.freeze(objectArrayField(object, 'rules').map(policyRuleFrom)),
  });
}

/** Reads the roleRef and subjects of a stored RoleBinding or ClusterRoleBinding. */
export function bindingFrom(object: StoredObject, kind: Binding['kind']): Binding {
  const roleRef = objectField(object, 'roleRef');
  const subjects = objectArrayField(object, 'subjects').map((subject): Subject =>
    Object.freeze({
      kind: stringField(subject, 'kind'),
      apiGroup: stringField(subject, 'apiGroup'),
      name: stringField(subject, 'name'),
      namespace: stringField(subject, 'namespace'),
    }),
  );
  return Object.freeze({
    kind,
    name: stringField(object.metadata, 'name'),
    namespace: kind === 'RoleBinding' ? stringField(object.metadata, 'namespace') : '',
    roleRef: Object.freeze({
      apiGroup: stringField(roleRef, 'apiGroup'),
      kind: stringField(roleRef, 'kind'),
      name: stringField(roleRef, 'name'),
    }),
    subjects: Object.freeze(subjects),
  });
}
