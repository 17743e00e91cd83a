import type { Authorizer } from '../../../../pkg/auth/authorizer/interfaces.js';

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
