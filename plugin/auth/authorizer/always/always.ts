import type {
  Authorizer,
  ResolvedRules,
  RuleResolver,
} from '../../../../pkg/auth/authorizer/interfaces.js';

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

/** Returns the rules of a user who may do everything: every verb on every resource and path. */
export function allowAllRules(): ResolvedRules {
  return {
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
    evaluationError: '',
  };
}

/** Returns a complete, empty rule list. */
export function noRules(): ResolvedRules {
  return { resourceRules: [], nonResourceRules: [], incomplete: false, evaluationError: '' };
}

/** Rule resolver of AlwaysAllow: every user gets allowAllRules(), as in kube-apiserver. */
export function alwaysAllowRuleResolver(): RuleResolver {
  return { rulesFor: () => Promise.resolve(allowAllRules()) };
}

/** Rule resolver of AlwaysDeny: every user gets a complete, empty rule list. */
export function alwaysDenyRuleResolver(): RuleResolver {
  return { rulesFor: () => Promise.resolve(noRules()) };
}
