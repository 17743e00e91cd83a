import type { Attributes, PolicyRule } from '../../../../pkg/auth/authorizer/interfaces.js';

/**
 * Matching of one RBAC PolicyRule against a request, as kube-apiserver does it in RuleAllows
 * (plugin/pkg/auth/authorizer/rbac/rbac.go) and the helpers that function calls.
 */

/** The wildcard of verbs, apiGroups, resources and nonResourceURLs. */
export const WILDCARD = '*';

/** Reports whether the rule lists `verb` or "*". */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((ruleVerb) => ruleVerb === WILDCARD || ruleVerb === verb);
}

/** Reports whether the rule lists `apiGroup` or "*". The core group is the empty string. */
export function apiGroupMatches(rule: PolicyRule, apiGroup: string): boolean {
  return (rule.apiGroups ?? []).some(
    (ruleGroup) => ruleGroup === WILDCARD || ruleGroup === apiGroup,
  );
}

/**
 * Reports whether the rule covers a resource. `combinedResource` is `resource` or
 * `resource/subresource`. A rule entry matches when it is "*", equals `combinedResource`, or is
 * "*" followed by "/" and the requested subresource. "*" alone also covers every subresource,
 * but "pods" does not cover "pods/log".
 */
export function resourceMatches(
  rule: PolicyRule,
  combinedResource: string,
  subresource: string,
): boolean {
  for (const ruleResource of rule.resources ?? []) {
    if (ruleResource === WILDCARD || ruleResource === combinedResource) return true;
    if (subresource !== '' && ruleResource === `${WILDCARD}/${subresource}`) return true;
  }
  return false;
}

/**
 * Reports whether the rule covers the named object. An empty resourceNames list covers every
 * name. Otherwise the request's name must be listed. Requests that carry no name, such as
 * create, list, watch and deletecollection (unless the request info took a name from a
 * `metadata.name` field selector), therefore never match a rule with resourceNames, as in
 * kube-apiserver.
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/**
 * Reports whether the rule covers a non-resource path. An entry matches when it is "*", equals
 * the path, or ends in "*" and the path starts with the entry without its trailing stars:
 * "/apis/*" covers "/apis/" and "/apis/apps", but not "/apis".
 */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const ruleURL of rule.nonResourceURLs ?? []) {
    if (ruleURL === WILDCARD || ruleURL === path) return true;
    if (ruleURL.endsWith(WILDCARD) && path.startsWith(trimTrailingStars(ruleURL))) return true;
  }
  return false;
}

function trimTrailingStars(value: string): string {
  let end = value.length;
  while (end > 0 && value[end - 1] === WILDCARD) end--;
  return value.slice(0, end);
}

/** Reports whether one rule allows the request. */
export function ruleAllows(attributes: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attributes.verb)) return false;
  if (!attributes.isResourceRequest) return nonResourceURLMatches(rule, attributes.path);
  const combinedResource =
    attributes.subresource === ''
      ? attributes.resource
      : `${attributes.resource}/${attributes.subresource}`;
  return (
    apiGroupMatches(rule, attributes.apiGroup) &&
    resourceMatches(rule, combinedResource, attributes.subresource) &&
    resourceNameMatches(rule, attributes.name)
  );
}

/** Reports whether any of the rules allows the request. */
export function rulesAllow(attributes: Attributes, rules: readonly PolicyRule[]): boolean {
  return rules.some((rule) => ruleAllows(attributes, rule));
}
