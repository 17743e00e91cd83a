import type { PolicyRule, ResolvedRules } from '../../../../pkg/auth/authorizer/interfaces.js';
import type { UserInfo } from '../../../../pkg/auth/user/user.js';
import { goQuote } from '../../../../pkg/registry/validation/field.js';
import { RBAC_GROUP } from '../../../../pkg/registry/validation/rbac.js';
import type { PolicyIndex } from './policy_index.js';
import type { Binding, RoleRef, Subject } from './policy_objects.js';
import { describeSubject, firstApplyingSubject } from './subject_matching.js';

/**
 * Resolution of the rules that apply to a user, as kube-apiserver's DefaultRuleResolver
 * does it in pkg/registry/rbac/validation/rule.go, but reading the bindings of the user's
 * subjects from the index instead of listing every binding.
 */

/** The binding and the subject through which a rule applies. */
export interface RuleSource {
  readonly binding: Binding;
  readonly subject: Subject;
}

/**
 * Receives each rule that applies, with its source, or an error from resolving a binding's role.
 * Returning false stops the visit.
 */
export type RuleVisitor = (
  source: RuleSource | undefined,
  rule: PolicyRule | undefined,
  error: Error | undefined,
) => boolean;

/**
 * Describes a rule's source as an authorization reason does:
 * `ClusterRoleBinding "name" of ClusterRole "role" to User "jane"`, or for a RoleBinding
 * `RoleBinding "name/namespace" of Role "role" to Group "devs"`.
 */
export function describeSource(source: RuleSource): string {
  const { binding, subject } = source;
  const bindingName =
    binding.kind === 'RoleBinding' ? `${binding.name}/${binding.namespace}` : binding.name;
  return (
    `${binding.kind} ${goQuote(bindingName)} of ${binding.roleRef.kind} ` +
    `${goQuote(binding.roleRef.name)} to ${describeSubject(subject, binding.namespace)}`
  );
}

/**
 * Returns the rules of the role a binding refers to, or the error kube-apiserver's listers give
 * for a role that does not exist, such as `clusterrole.rbac.authorization.k8s.io "x" not found`.
 * A RoleBinding's Role is looked up in the binding's namespace.
 */
export function roleReferenceRules(
  index: PolicyIndex,
  roleRef: RoleRef,
  bindingNamespace: string,
): readonly PolicyRule[] | Error {
  switch (roleRef.kind) {
    case 'Role': {
      const role = index.role(bindingNamespace, roleRef.name);
      return role?.rules ?? new Error(`role.${RBAC_GROUP} ${goQuote(roleRef.name)} not found`);
    }
    case 'ClusterRole': {
      const role = index.clusterRole(roleRef.name);
      return (
        role?.rules ?? new Error(`clusterrole.${RBAC_GROUP} ${goQuote(roleRef.name)} not found`)
      );
    }
    default:
      return new Error(`unsupported role reference kind: ${goQuote(roleRef.kind)}`);
  }
}

/**
 * Visits the bindings of one scope that apply to the user, and passes each rule of their roles
 * to the visitor. Returns false when the visitor stopped the visit.
 */
function visitBindings(
  index: PolicyIndex,
  user: UserInfo,
  bindings: readonly Binding[],
  visitor: RuleVisitor,
): boolean {
  for (const binding of bindings) {
    const subjectIndex = firstApplyingSubject(user, binding.subjects, binding.namespace);
    if (subjectIndex < 0) continue;
    const rules = roleReferenceRules(index, binding.roleRef, binding.namespace);
    if (rules instanceof Error) {
      if (!visitor(undefined, undefined, rules)) return false;
      continue;
    }
    const source: RuleSource = { binding, subject: binding.subjects[subjectIndex] as Subject };
    for (const rule of rules) {
      if (!visitor(source, rule, undefined)) return false;
    }
  }
  return true;
}

/**
 * Passes to the visitor every rule that applies to the user in `namespace`: first the rules of
 * ClusterRoleBindings, then, when `namespace` is not empty, those of the namespace's
 * RoleBindings. Among the bindings of one scope, the order is unspecified, as it is in
 * kube-apiserver, whose listers return bindings in cache order.
 */
export function visitRulesFor(
  index: PolicyIndex,
  user: UserInfo,
  namespace: string,
  visitor: RuleVisitor,
): void {
  if (!visitBindings(index, user, index.clusterBindingsFor(user), visitor)) return;
  if (namespace === '') return;
  visitBindings(index, user, index.namespaceBindingsFor(user, namespace), visitor);
}

/**
 * Joins error messages as apimachinery's utilerrors.Aggregate does: one message alone, several
 * distinct messages as `[first, second]`, with repeated messages kept once.
 */
export function aggregateMessage(errors: readonly Error[]): string {
  const messages = [...new Set(errors.map((error) => error.message))];
  if (messages.length === 1) return messages[0] as string;
  return `[${messages.join(', ')}]`;
}

/**
 * Lists the rules that apply to the user in `namespace`, split as kube-apiserver's
 * RBACAuthorizer.RulesFor splits them: rules with resources, and rules with nonResourceURLs.
 * `incomplete` stays false even when a binding refers to a missing role, as in kube-apiserver.
 * The missing role grants nothing, so the list contains every rule the user has, and the lookup
 * errors go to `evaluationError`.
 */
export function resolveRules(index: PolicyIndex, user: UserInfo, namespace: string): ResolvedRules {
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  const errors: Error[] = [];
  visitRulesFor(index, user, namespace, (_source, rule, error) => {
    if (error !== undefined) errors.push(error);
    if (rule === undefined) return true;
    if ((rule.resources ?? []).length > 0) {
      resourceRules.push(resourceRuleOf(rule));
    }
    if ((rule.nonResourceURLs ?? []).length > 0) {
      nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    }
    return true;
  });
  return {
    resourceRules,
    nonResourceRules,
    incomplete: false,
    evaluationError: errors.length === 0 ? '' : aggregateMessage(errors),
  };
}

/** Copies the resource fields of a rule, leaving out resourceNames when the rule has none. */
function resourceRuleOf(rule: PolicyRule): PolicyRule {
  const resourceRule: PolicyRule = {
    verbs: rule.verbs,
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
  };
  if ((rule.resourceNames ?? []).length === 0) return resourceRule;
  return { ...resourceRule, resourceNames: rule.resourceNames };
}
