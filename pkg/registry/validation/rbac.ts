import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import { child, goStringSlice, index, invalid, notSupported, required } from './field.js';
import { validateLabelSelector } from './labels.js';
import { nameIsDNSSubdomain } from './objectmeta.js';
import { isValidPathSegmentName } from './names.js';
import {
  arrayField,
  objectArrayField,
  objectField,
  stringArrayField,
  stringField,
  type JSONObject,
} from './unstructured.js';

/** The RBAC API group, which roleRef and User or Group subjects must name. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validatePolicyRule(rule: JSONObject, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (arrayField(rule, 'verbs').length === 0) {
    errors.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  }
  const nonResourceURLs = stringArrayField(rule, 'nonResourceURLs');
  if (nonResourceURLs.length > 0) {
    const urlsPath = child(path, 'nonResourceURLs');
    if (namespaced) {
      errors.push(
        invalid(
          urlsPath,
          goStringSlice(nonResourceURLs),
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    }
    const hasResourceFields = ['apiGroups', 'resources', 'resourceNames'].some(
      (key) => arrayField(rule, key).length > 0,
    );
    if (hasResourceFields) {
      errors.push(
        invalid(
          urlsPath,
          goStringSlice(nonResourceURLs),
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return errors;
  }
  if (arrayField(rule, 'apiGroups').length === 0) {
    errors.push(
      required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'),
    );
  }
  if (arrayField(rule, 'resources').length === 0) {
    errors.push(
      required(child(path, 'resources'), 'resource rules must supply at least one resource'),
    );
  }
  return errors;
}

function validateRules(object: StoredObject, namespaced: boolean): FieldError[] {
  return objectArrayField(object, 'rules').flatMap((rule, position) =>
    validatePolicyRule(rule, namespaced, index('rules', position)),
  );
}

/** Validates a Role beyond its metadata: each rule needs verbs and resources, or URLs. */
export function validateRole(object: StoredObject): FieldError[] {
  return validateRules(object, true);
}

/** Validates a ClusterRole beyond its metadata: its rules and its aggregation selectors. */
export function validateClusterRole(object: StoredObject): FieldError[] {
  const errors = validateRules(object, false);
  const aggregationRule = objectField(object, 'aggregationRule');
  if (aggregationRule !== undefined) {
    const selectorsPath = 'aggregationRule.clusterRoleSelectors';
    const selectors = arrayField(aggregationRule, 'clusterRoleSelectors');
    if (selectors.length === 0) {
      errors.push(
        required(
          selectorsPath,
          'at least one clusterRoleSelector required if aggregationRule is non-nil',
        ),
      );
    }
    selectors.forEach((selector, position) => {
      errors.push(...validateLabelSelector(selector, index(selectorsPath, position)));
    });
  }
  return errors;
}

function validateSubject(subject: JSONObject, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = stringField(subject, 'name');
  const apiGroup = stringField(subject, 'apiGroup');
  if (name === '') errors.push(required(child(path, 'name')));
  const kind = stringField(subject, 'kind');
  if (kind === 'ServiceAccount') {
    if (name !== '') {
      for (const message of nameIsDNSSubdomain(name, false)) {
        errors.push(invalid(child(path, 'name'), name, message));
      }
    }
    if (apiGroup !== '') errors.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
    if (!namespaced && stringField(subject, 'namespace') === '') {
      errors.push(required(child(path, 'namespace')));
    }
  } else if (kind === 'User' || kind === 'Group') {
    if (apiGroup !== RBAC_GROUP)
      errors.push(notSupported(child(path, 'apiGroup'), apiGroup, [RBAC_GROUP]));
  } else {
    errors.push(notSupported(child(path, 'kind'), kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errors;
}

function validateBinding(
  object: StoredObject,
  roleKinds: readonly string[],
  namespaced: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const roleRef = objectField(object, 'roleRef');
  const apiGroup = stringField(roleRef, 'apiGroup');
  if (apiGroup !== RBAC_GROUP)
    errors.push(notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kind = stringField(roleRef, 'kind');
  if (!roleKinds.includes(kind)) errors.push(notSupported('roleRef.kind', kind, roleKinds));
  const name = stringField(roleRef, 'name');
  if (name === '') {
    errors.push(required('roleRef.name'));
  } else {
    for (const message of isValidPathSegmentName(name)) {
      errors.push(invalid('roleRef.name', name, message));
    }
  }
  objectArrayField(object, 'subjects').forEach((subject, position) => {
    errors.push(...validateSubject(subject, namespaced, index('subjects', position)));
  });
  return errors;
}

/** Validates a RoleBinding beyond its metadata: its roleRef and subjects. */
export function validateRoleBinding(object: StoredObject): FieldError[] {
  return validateBinding(object, ['Role', 'ClusterRole'], true);
}

/**
 * Validates a ClusterRoleBinding beyond its metadata: a ClusterRole roleRef, and subjects,
 * where service accounts need a namespace.
 */
export function validateClusterRoleBinding(object: StoredObject): FieldError[] {
  return validateBinding(object, ['ClusterRole'], false);
}
