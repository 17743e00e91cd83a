import type winston from 'winston';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
  PolicyRule,
  ResolvedRules,
  RuleResolver,
} from '../../../../pkg/auth/authorizer/interfaces.js';
import type { UserInfo } from '../../../../pkg/auth/user/user.js';
import { loadPolicyFile, type Policy } from './policy.js';

/** The reason of a request that no policy allows, as kube-apiserver's ABAC authorizer gives. */
export const NO_POLICY_MATCHED = 'No policy matched.';

const READ_ONLY_VERBS = ['get', 'list', 'watch'];

/**
 * Reports whether the policy names the user, following pkg/auth/authorizer/abac. A policy with a
 * user matches only that user name, and one with a group only members of that group. With both
 * set, both must match. A policy with neither matches nobody.
 */
export function subjectMatches(policy: Policy, user: UserInfo): boolean {
  let matched = false;
  if (policy.user !== '') {
    if (policy.user !== '*' && policy.user !== user.name) return false;
    matched = true;
  }
  if (policy.group !== '') {
    if (policy.group !== '*' && !user.groups.includes(policy.group)) return false;
    matched = true;
  }
  return matched;
}

/** Read-only requests match every policy, and other verbs only policies without `readonly`. */
function verbMatches(policy: Policy, attributes: Attributes): boolean {
  return READ_ONLY_VERBS.includes(attributes.verb) || !policy.readonly;
}

function resourceMatches(policy: Policy, attributes: Attributes): boolean {
  if (!attributes.isResourceRequest) return false;
  return (
    (policy.namespace === '*' || policy.namespace === attributes.namespace) &&
    (policy.resource === '*' || policy.resource === attributes.resource) &&
    (policy.apiGroup === '*' || policy.apiGroup === attributes.apiGroup)
  );
}

/** Matches "*", the exact path, or a prefix that the policy ends with "*", such as "/apis/*". */
function nonResourceMatches(policy: Policy, attributes: Attributes): boolean {
  if (attributes.isResourceRequest) return false;
  const pattern = policy.nonResourcePath;
  if (pattern === '*' || pattern === attributes.path) return true;
  return pattern.endsWith('*') && attributes.path.startsWith(pattern.replace(/\*+$/, ''));
}

/** Reports whether one policy allows the request. */
export function policyMatches(policy: Policy, attributes: Attributes): boolean {
  return (
    subjectMatches(policy, attributes.user) &&
    verbMatches(policy, attributes) &&
    (resourceMatches(policy, attributes) || nonResourceMatches(policy, attributes))
  );
}

function verbsOf(policy: Policy): string[] {
  return policy.readonly ? [...READ_ONLY_VERBS] : ['*'];
}

/** An ABAC authorizer, which also lists the rules its policies give a user. */
export type ABACAuthorizer = Authorizer & RuleResolver;

/**
 * Builds the ABAC authorizer (--authorization-mode=ABAC) over parsed policies. The first policy
 * that matches allows the request. When none matches, the result is no opinion, so a later mode
 * may still allow, and ABAC never denies.
 */
export function abacAuthorizer(policies: readonly Policy[]): ABACAuthorizer {
  return {
    authorize(attributes): Promise<AuthorizationResult> {
      const allowed = policies.some((policy) => policyMatches(policy, attributes));
      return Promise.resolve(
        allowed
          ? { decision: 'allow', reason: '' }
          : { decision: 'noOpinion', reason: NO_POLICY_MATCHED },
      );
    },

    /**
     * Lists the rules of the policies that name the user and apply in `namespace`, following
     * RulesFor in pkg/auth/authorizer/abac. A policy of namespace "*" applies everywhere, and
     * one of a single namespace only when `namespace` is that namespace. The list is complete.
     */
    rulesFor(user, namespace): Promise<ResolvedRules> {
      const resourceRules: PolicyRule[] = [];
      const nonResourceRules: PolicyRule[] = [];
      for (const policy of policies) {
        if (!subjectMatches(policy, user)) continue;
        if (policy.namespace !== '*' && policy.namespace !== namespace) continue;
        if (policy.resource !== '') {
          resourceRules.push({
            verbs: verbsOf(policy),
            apiGroups: [policy.apiGroup],
            resources: [policy.resource],
          });
        }
        if (policy.nonResourcePath !== '') {
          nonResourceRules.push({
            verbs: verbsOf(policy),
            nonResourceURLs: [policy.nonResourcePath],
          });
        }
      }
      return Promise.resolve({
        resourceRules,
        nonResourceRules,
        incomplete: false,
        evaluationError: '',
      });
    },
  };
}

/**
 * Reads --authorization-policy-file and returns the ABAC authorizer over its policies. Logs a
 * warning when some lines use the unversioned form, as kube-apiserver does.
 * @throws PolicyFileError naming the flag, the file and the line of the first invalid policy.
 */
export async function loadABACAuthorizer(
  path: string,
  logger: winston.Logger,
): Promise<ABACAuthorizer> {
  const file = await loadPolicyFile(path);
  if (file.unversionedLines > 0) {
    logger.warn(
      'Policy file contains unversioned policies. Rewrite them as abac.authorization.kubernetes.io/v1beta1 Policy objects',
      { policyFile: path, unversionedLines: file.unversionedLines },
    );
  }
  logger.info('Loaded the ABAC policy file', { policyFile: path, policies: file.policies.length });
  return abacAuthorizer(file.policies);
}
