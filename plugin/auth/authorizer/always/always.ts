import type { Authorizer } from '../../../../pkg/auth/authorizer/interfaces.js';

/** --authorization-mode=AlwaysAllow: allows every request. */
export function alwaysAllowAuthorizer(): Authorizer {
  return { authorize: () => Promise.resolve({ decision: 'allow', reason: '' }) };
}

/**
 * --authorization-mode=AlwaysDeny. Like kube-apiserver's, it answers "no opinion" rather than
 * deny, so an authorizer after it in the mode list may still allow; with nothing after it the
 * request is forbidden with this reason.
 */
export function alwaysDenyAuthorizer(): Authorizer {
  return {
    authorize: () => Promise.resolve({ decision: 'noOpinion', reason: 'Everything is forbidden.' }),
  };
}
