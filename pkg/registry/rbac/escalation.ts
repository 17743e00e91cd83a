import { isDeepStrictEqual } from 'node:util';
import type winston from 'winston';
import {
  newForbidden,
  newInternalError,
  type QualifiedResource,
} from '../../apiserver/errors/statuserror.js';
import type { Authorizer, PolicyRule, RuleResolver } from '../../auth/authorizer/interfaces.js';
import { SYSTEM_PRIVILEGED_GROUP, type UserInfo } from '../../auth/user/user.js';
import type { WriteAdmission, WriteAttributes } from '../../endpoints/handlers/rest/scope.js';
import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceRegistry } from '../registry.js';
import { GoSyntax, goQuote, invalid } from '../validation/field.js';
import { newInvalid } from '../validation/invalid.js';
import { RBAC_GROUP } from '../validation/rbac.js';
import {
  arrayField,
  objectArrayField,
  objectField,
  stringArrayField,
  stringField,
} from '../validation/unstructured.js';
import { compactRules, compactRuleString, goQuoteList, uncoveredRules } from './covers.js';

/**
 * RBAC's privilege escalation prevention, which kube-apiserver builds into the storage of roles
 * and bindings (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased
 * and pkg/registry/rbac/escalation_check.go). A user may write a role only with rules the user
 * already holds, and may bind a role only when the user holds its rules, unless the user is in
 * system:masters or is allowed the `escalate` or `bind` verb on that role.
 *
 * Differs from kube-apiserver: the check runs as write admission on the final object, after the
 * object passed validation, so an invalid object gets 422 before a missing permission gets 403.
 * kube-apiserver checks escalation before it validates. For the same reason, the 403 message of
 * a create with generateName names the generated object, where kube-apiserver's names none.
 */

/** Dependencies of the RBAC write admission. */
export interface RBACAdmissionDependencies {
  /** Decides the `escalate` and `bind` verbs, usually the server's authorizer union. */
  authorizer: Authorizer;
  /** Lists the rules the writing user holds. */
  ruleResolver: RuleResolver;
  /** The stores that referenced Roles and ClusterRoles are read from. */
  resources: ResourceRegistry;
  /** Logger for authorizer failures and incomplete rule lists. Nothing is logged when unset. */
  logger?: winston.Logger;
}

const ROLE_RESOURCES = new Set(['roles', 'clusterroles']);
const BINDING_RESOURCES = new Set(['rolebindings', 'clusterrolebindings']);

/** Kinds of the binding resources, for 422 Invalid messages. */
const BINDING_KINDS = new Map([
  ['rolebindings', 'RoleBinding'],
  ['clusterrolebindings', 'ClusterRoleBinding'],
]);

/** The resource of each kind a roleRef may name. */
const ROLE_RESOURCE_BY_KIND = new Map([
  ['Role', 'roles'],
  ['ClusterRole', 'clusterroles'],
]);

/** Every permission there is. Setting a ClusterRole's aggregationRule requires all of them. */
const FULL_AUTHORITY: readonly PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** Metadata fields the garbage collector changes, and selfLink, which kube-apiserver ignores too. */
const GARBAGE_COLLECTION_FIELDS = ['ownerReferences', 'finalizers', 'selfLink'];

/** The roleRef of a binding, with fields that are missing read as ''. */
interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

/**
 * Creates the write admission that prevents privilege escalation through RBAC objects. It acts
 * on creates, updates and patches of rbac.authorization.k8s.io roles, clusterroles,
 * rolebindings and clusterrolebindings, and lets every other write through.
 * It throws 403 Forbidden for a missing permission, 404 NotFound when a binding references a
 * role that does not exist and the user may not bind it by name, and 422 Invalid for an update
 * that changes a binding's roleRef.
 */
export function rbacWriteAdmission(deps: RBACAdmissionDependencies): WriteAdmission {
  return async (attributes) => {
    const { info } = attributes;
    if (!info.isResourceRequest || info.apiGroup !== RBAC_GROUP || info.subresource !== '') return;
    if (ROLE_RESOURCES.has(info.resource)) {
      await admitRole(deps, attributes);
    } else if (BINDING_RESOURCES.has(info.resource)) {
      await admitBinding(deps, attributes);
      checkRoleRefUnchanged(attributes);
    }
  };
}

/** Reports whether the user is in system:masters, which kube-apiserver never limits. */
function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_PRIVILEGED_GROUP);
}

function objectName(object: StoredObject): string {
  const name = object.metadata.name;
  return typeof name === 'string' ? name : '';
}

/** Reads an object's `rules` as policy rules; entries and values of the wrong type are skipped. */
function rulesOf(object: StoredObject): PolicyRule[] {
  return objectArrayField(object, 'rules').map((rule) => ({
    verbs: stringArrayField(rule, 'verbs'),
    apiGroups: stringArrayField(rule, 'apiGroups'),
    resources: stringArrayField(rule, 'resources'),
    resourceNames: stringArrayField(rule, 'resourceNames'),
    nonResourceURLs: stringArrayField(rule, 'nonResourceURLs'),
  }));
}

function roleRefOf(binding: StoredObject): RoleRef {
  const roleRef = objectField(binding, 'roleRef');
  return {
    apiGroup: stringField(roleRef, 'apiGroup'),
    kind: stringField(roleRef, 'kind'),
    name: stringField(roleRef, 'name'),
  };
}

function hasAggregationRule(role: StoredObject | undefined): boolean {
  const aggregationRule = objectField(role, 'aggregationRule');
  return arrayField(aggregationRule, 'clusterRoleSelectors').length > 0;
}

/** Removes null, '', [] and {} recursively, so that absent and empty compare equal as in Go. */
function withoutEmptyValues(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withoutEmptyValues);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, withoutEmptyValues(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value === null || value === '' ? undefined : value;
}

/**
 * Reports whether an update changes nothing but owner references and finalizers, which the
 * garbage collector must be able to change on any role or binding (rbac.IsOnlyMutatingGCFields).
 */
function changesOnlyGarbageCollectionFields(object: StoredObject, old: StoredObject): boolean {
  const copy = structuredClone(object);
  for (const field of GARBAGE_COLLECTION_FIELDS) {
    if (old.metadata[field] === undefined) delete copy.metadata[field];
    else copy.metadata[field] = old.metadata[field];
  }
  return isDeepStrictEqual(withoutEmptyValues(copy), withoutEmptyValues(old));
}

/** Asks the authorizer. A failing authorizer counts as no permission, as in kube-apiserver. */
async function isAllowed(
  deps: RBACAdmissionDependencies,
  attributes: Parameters<Authorizer['authorize']>[0],
): Promise<boolean> {
  try {
    const result = await deps.authorizer.authorize(attributes);
    return result.decision === 'allow';
  } catch (err) {
    deps.logger?.error('authorizer failed', {
      user: attributes.user.name,
      verb: attributes.verb,
      resource: attributes.resource,
      namespace: attributes.namespace,
      name: attributes.name,
      err,
    });
    return false;
  }
}

/**
 * Asks whether the user may `escalate` the role of the request. As in kube-apiserver, the name
 * is the request's, which is empty on create, so only rules without resourceNames allow it there.
 */
function escalateAuthorized(
  deps: RBACAdmissionDependencies,
  { user, info }: WriteAttributes,
): Promise<boolean> {
  return isAllowed(deps, {
    user,
    verb: 'escalate',
    isResourceRequest: true,
    path: '',
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: '*',
    resource: info.resource,
    subresource: '',
    name: info.name,
  });
}

/** Asks whether the user may `bind` the referenced role in the binding's namespace. */
async function bindAuthorized(
  deps: RBACAdmissionDependencies,
  user: UserInfo,
  roleRef: RoleRef,
  namespace: string,
): Promise<boolean> {
  const resource = ROLE_RESOURCE_BY_KIND.get(roleRef.kind);
  if (resource === undefined) return false;
  return isAllowed(deps, {
    user,
    verb: 'bind',
    isResourceRequest: true,
    path: '',
    namespace,
    apiGroup: roleRef.apiGroup,
    apiVersion: '*',
    resource,
    subresource: '',
    name: roleRef.name,
  });
}

/**
 * Returns kube-apiserver's ConfirmNoEscalation message when `rules` grant something the user
 * does not hold in `namespace`, or undefined when the user holds all of it. The message lists
 * the missing rules compacted and sorted, one a line. When the resolver could not list every
 * rule, the message ends with its error.
 */
async function missingRulesMessage(
  deps: RBACAdmissionDependencies,
  user: UserInfo,
  namespace: string,
  rules: readonly PolicyRule[],
): Promise<string | undefined> {
  const held = await deps.ruleResolver.rulesFor(user, namespace);
  if (held.evaluationError !== '') {
    deps.logger?.debug('listed rules are incomplete', {
      user: user.name,
      namespace,
      err: held.evaluationError,
    });
  }
  const missing = uncoveredRules([...held.resourceRules, ...held.nonResourceRules], rules);
  if (missing.length === 0) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactRuleString))].sort();
  let message =
    `user ${goQuote(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant ` +
    `RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  // kube-apiserver prints its list of resolution errors with %v, which adds the brackets.
  if (held.evaluationError !== '') message += `; resolution errors: [${held.evaluationError}]`;
  return message;
}

/** Allows a Role or ClusterRole write only with rules the user holds, or with `escalate`. */
async function admitRole(
  deps: RBACAdmissionDependencies,
  attributes: WriteAttributes,
): Promise<void> {
  const { user, info, object, old } = attributes;
  if (isPrivileged(user) || (await escalateAuthorized(deps, attributes))) return;
  if (old !== undefined && changesOnlyGarbageCollectionFields(object, old)) return;
  const qualified: QualifiedResource = { group: RBAC_GROUP, resource: info.resource };
  const name = objectName(object);
  const message = await missingRulesMessage(deps, user, info.namespace, rulesOf(object));
  if (message !== undefined) throw newForbidden(qualified, name, message);

  // An aggregationRule can gather any rules into the role later, so setting, changing or
  // removing one requires every permission.
  if (info.resource !== 'clusterroles') return;
  if (!hasAggregationRule(object) && !hasAggregationRule(old)) return;
  if ((await missingRulesMessage(deps, user, info.namespace, FULL_AUTHORITY)) !== undefined) {
    throw newForbidden(
      qualified,
      name,
      'must have cluster-admin privileges to use the aggregationRule',
    );
  }
}

/**
 * Reads the rules of the role a binding references, as kube-apiserver's GetRoleReferenceRules
 * does. A Role is looked up in the binding's namespace.
 * @throws StatusError 404 NotFound when the role does not exist
 */
async function referencedRules(
  resources: ResourceRegistry,
  roleRef: RoleRef,
  namespace: string,
): Promise<PolicyRule[]> {
  const resource = ROLE_RESOURCE_BY_KIND.get(roleRef.kind);
  if (resource === undefined) {
    // Validation rejects such a roleRef before admission runs.
    throw newInternalError(`unsupported role reference kind: ${goQuote(roleRef.kind)}`);
  }
  const store = resources.lookup(RBAC_GROUP, 'v1', resource);
  if (store === undefined) {
    throw newInternalError(
      `the roleRef cannot be resolved because ${resource}.${RBAC_GROUP} is not served`,
    );
  }
  const role = await store.get(roleRef.kind === 'Role' ? namespace : '', roleRef.name);
  return rulesOf(role);
}

/** Allows a binding write only when the user may `bind` its role or holds the role's rules. */
async function admitBinding(
  deps: RBACAdmissionDependencies,
  attributes: WriteAttributes,
): Promise<void> {
  const { user, info, object, old } = attributes;
  if (isPrivileged(user)) return;
  if (old !== undefined && changesOnlyGarbageCollectionFields(object, old)) return;
  const roleRef = roleRefOf(object);
  if (await bindAuthorized(deps, user, roleRef, info.namespace)) return;
  const rules = await referencedRules(deps.resources, roleRef, info.namespace);
  const message = await missingRulesMessage(deps, user, info.namespace, rules);
  if (message !== undefined) {
    throw newForbidden({ group: RBAC_GROUP, resource: info.resource }, objectName(object), message);
  }
}

/**
 * Rejects an update that changes a binding's roleRef with kube-apiserver's 422, whose value is
 * the new roleRef in Go syntax: `roleRef: Invalid value: rbac.RoleRef{...}: cannot change
 * roleRef`. A binding's subjects may change, but the role it grants may not.
 * NOTE: kube-apiserver enforces this in validation for every user and every authorization
 * mode; here it runs only where this admission is configured.
 */
function checkRoleRefUnchanged({ info, object, old }: WriteAttributes): void {
  if (old === undefined) return;
  const roleRef = roleRefOf(object);
  if (isDeepStrictEqual(roleRef, roleRefOf(old))) return;
  const value = new GoSyntax(
    `rbac.RoleRef{APIGroup:${goQuote(roleRef.apiGroup)}, Kind:${goQuote(roleRef.kind)}, ` +
      `Name:${goQuote(roleRef.name)}}`,
  );
  throw newInvalid(
    { group: RBAC_GROUP, kind: BINDING_KINDS.get(info.resource) ?? '' },
    objectName(object),
    [invalid('roleRef', value, 'cannot change roleRef')],
  );
}
