import type { PolicyRule } from '../../auth/authorizer/interfaces.js';
import { goQuote } from '../validation/field.js';

/**
 * RBAC rule coverage, as kube-apiserver decides it before it lets a user write a role or a
 * binding: k8s.io/component-helpers/auth/rbac/validation (Covers, BreakdownRule) and
 * pkg/registry/rbac/validation (CompactRules, with rbacv1helpers.CompactString for messages).
 */

/** The wildcard that matches every verb, API group, resource or non-resource URL. */
const ALL = '*';

function listOrEmpty(values: readonly string[] | undefined): readonly string[] {
  return values ?? [];
}

/**
 * Splits a rule into atoms: one per verb × API group × resource (× resource name when the rule
 * names any), and one per verb × non-resource URL. A rule without verbs has no atoms.
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  const resourceNames = listOrEmpty(rule.resourceNames);
  for (const group of listOrEmpty(rule.apiGroups)) {
    for (const resource of listOrEmpty(rule.resources)) {
      for (const verb of rule.verbs) {
        if (resourceNames.length === 0) {
          atoms.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
          continue;
        }
        for (const name of resourceNames) {
          atoms.push({
            verbs: [verb],
            apiGroups: [group],
            resources: [resource],
            resourceNames: [name],
          });
        }
      }
    }
  }
  for (const url of listOrEmpty(rule.nonResourceURLs)) {
    for (const verb of rule.verbs) atoms.push({ verbs: [verb], nonResourceURLs: [url] });
  }
  return atoms;
}

function containsAll(owned: readonly string[], requested: readonly string[]): boolean {
  return requested.every((value) => owned.includes(value));
}

// Reports whether owned resources cover every requested one. `*` covers all, and `*/status`
// covers the status subresource of every resource, but `pods` does not cover `pods/status`.
// (A line comment, because a block comment would end at the `*/` of `*/status`.)
function resourcesCover(owned: readonly string[], requested: readonly string[]): boolean {
  if (owned.includes(ALL)) return true;
  return requested.every((resource) => {
    if (owned.includes(resource)) return true;
    const slash = resource.indexOf('/');
    if (slash < 0) return false;
    return owned.includes(`*${resource.slice(slash)}`);
  });
}

/** Reports whether an owned URL covers a requested one: equal, or a prefix ending in `*`. */
function nonResourceURLCovers(owned: string, requested: string): boolean {
  if (owned === requested) return true;
  if (!owned.endsWith(ALL)) return false;
  return requested.startsWith(owned.replace(/\*+$/, ''));
}

function nonResourceURLsCover(owned: readonly string[], requested: readonly string[]): boolean {
  return requested.every((url) => owned.some((candidate) => nonResourceURLCovers(candidate, url)));
}

/**
 * Reports whether one owner rule allows everything an atom allows. An owner rule restricted to
 * resource names covers only atoms that name one of them, never an atom without a name.
 */
function ruleCoversAtom(owner: PolicyRule, atom: PolicyRule): boolean {
  const ownerVerbs = owner.verbs;
  const ownerGroups = listOrEmpty(owner.apiGroups);
  const ownerNames = listOrEmpty(owner.resourceNames);
  const atomNames = listOrEmpty(atom.resourceNames);
  const verbsMatch = ownerVerbs.includes(ALL) || containsAll(ownerVerbs, atom.verbs);
  const groupsMatch =
    ownerGroups.includes(ALL) || containsAll(ownerGroups, listOrEmpty(atom.apiGroups));
  const resourcesMatch = resourcesCover(listOrEmpty(owner.resources), listOrEmpty(atom.resources));
  const urlsMatch = nonResourceURLsCover(
    listOrEmpty(owner.nonResourceURLs),
    listOrEmpty(atom.nonResourceURLs),
  );
  const namesMatch =
    ownerNames.length === 0 || (atomNames.length > 0 && containsAll(ownerNames, atomNames));
  return verbsMatch && groupsMatch && resourcesMatch && urlsMatch && namesMatch;
}

/**
 * Returns the atoms of `servantRules` (see breakdownRule) that no rule of `ownerRules` covers,
 * in the order of the servant rules. An empty result means the owner holds every permission
 * the servant rules grant, which is kube-apiserver's Covers check.
 */
export function uncoveredRules(
  ownerRules: readonly PolicyRule[],
  servantRules: readonly PolicyRule[],
): PolicyRule[] {
  return servantRules
    .flatMap(breakdownRule)
    .filter((atom) => !ownerRules.some((owner) => ruleCoversAtom(owner, atom)));
}

/**
 * Returns the key of a rule that names exactly one API group and one resource, at most one
 * resource name and no URLs, or undefined for any other rule. Rules with the same key differ
 * only in their verbs.
 */
function simpleResourceKey(rule: PolicyRule): string | undefined {
  const groups = listOrEmpty(rule.apiGroups);
  const resources = listOrEmpty(rule.resources);
  const names = listOrEmpty(rule.resourceNames);
  if (names.length > 1 || listOrEmpty(rule.nonResourceURLs).length > 0) return undefined;
  if (groups.length !== 1 || resources.length !== 1) return undefined;
  return JSON.stringify([groups[0], resources[0], names.length === 1 ? names : null]);
}

/**
 * Merges rules that name one API group and one resource (and at most one resource name) and
 * differ only in their verbs, as kube-apiserver's CompactRules does for the rules an escalation
 * message lists. Other rules are returned unchanged, before the merged ones. Verbs are appended
 * without removing repeats, as CompactRules does.
 */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const merged = new Map<string, PolicyRule & { verbs: string[] }>();
  for (const rule of rules) {
    const key = simpleResourceKey(rule);
    if (key === undefined) {
      compacted.push(rule);
      continue;
    }
    const existing = merged.get(key);
    if (existing === undefined) merged.set(key, { ...rule, verbs: [...rule.verbs] });
    else existing.verbs.push(...rule.verbs);
  }
  return [...compacted, ...merged.values()];
}

/** Formats a string list as Go's `%q` prints a []string: `["get" "list"]`. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}

/**
 * Formats a rule as kube-apiserver's rbacv1helpers.CompactString does in escalation messages,
 * for example `{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`. Empty fields are
 * left out.
 */
export function compactRuleString(rule: PolicyRule): string {
  const fields: [string, readonly string[] | undefined][] = [
    ['APIGroups', rule.apiGroups],
    ['Resources', rule.resources],
    ['NonResourceURLs', rule.nonResourceURLs],
    ['ResourceNames', rule.resourceNames],
    ['Verbs', rule.verbs],
  ];
  const parts = fields
    .filter(([, values]) => values !== undefined && values.length > 0)
    .map(([name, values]) => `${name}:${goQuoteList(values ?? [])}`);
  return `{${parts.join(', ')}}`;
}
