import type { Authorizer, RuleResolver } from '../../../../pkg/auth/authorizer/interfaces.js';
import { allowAllRules, noRules } from '../always/always.js';

/**
 * Allows every request of a user in one of `groups`. kube-apiserver puts this first, for
 * system:masters, whatever --authorization-mode says, so an administrator cannot lock
 * themselves out.
 */
export function privilegedGroupsAuthorizer(groups: readonly string[]): Authorizer {
  return {
    authorize(attributes) {
      const privileged = attributes.user.groups.some((group) => groups.includes(group));
      return Promise.resolve(
        privileged ? { decision: 'allow', reason: '' } : { decision: 'noOpinion', reason: '' },
      );
    },
  };
}

/**
 * Lists every verb on every resource and path for a user in one of `groups`, and no rules for
 * anyone else, so the rules match what privilegedGroupsAuthorizer allows.
 *
 * Differs from kube-apiserver: there the privileged group authorizer resolves no rules, so the
 * rules review of a system:masters member lists only the rules of the --authorization-mode
 * plug-ins (with RBAC, the "*" rules of the cluster-admin binding).
 */
export function privilegedGroupsRuleResolver(groups: readonly string[]): RuleResolver {
  return {
    rulesFor(user) {
      const privileged = user.groups.some((group) => groups.includes(group));
      return Promise.resolve(privileged ? allowAllRules() : noRules());
    },
  };
}
