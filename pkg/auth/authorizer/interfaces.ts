import type { UserInfo } from '../user/user.js';

/**
 * What an authorizer decides about. Mirrors k8s.io/apiserver/pkg/authorization/authorizer.Attributes.
 */
export interface Attributes {
  readonly user: UserInfo;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection, or impersonate; lower-cased HTTP method for non-resource requests. */
  readonly verb: string;
  /** True for requests on API objects, false for non-resource paths such as /healthz. */
  readonly isResourceRequest: boolean;
  /** The URL path, for non-resource requests. */
  readonly path: string;
  readonly namespace: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
}

/** An authorizer's decision. `noOpinion` lets the next authorizer in a union decide. */
export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface AuthorizationResult {
  readonly decision: Decision;
  /** Reason for the decision. Appended to a 403 message when it is not empty. */
  readonly reason: string;
}

/** Decides whether a request is allowed. Mirrors authorizer.Authorizer. */
export interface Authorizer {
  authorize(attributes: Attributes): Promise<AuthorizationResult>;
}

/** An RBAC policy rule, as rbac.authorization.k8s.io/v1 PolicyRule encodes it. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

/** The rules a user holds in one namespace, as a SelfSubjectRulesReview reports them. */
export interface ResolvedRules {
  /** Rules on API resources: each has verbs, apiGroups and resources, maybe resourceNames. */
  readonly resourceRules: readonly PolicyRule[];
  /** Rules on non-resource paths: each has verbs and nonResourceURLs. */
  readonly nonResourceRules: readonly PolicyRule[];
  /** True when the list may be missing rules, because a source failed or cannot list them. */
  readonly incomplete: boolean;
  /** The reason the list is incomplete; empty when it is complete. */
  readonly evaluationError: string;
}

/**
 * Lists the rules a user holds. Mirrors authorizer.RuleResolver: the rules come from the
 * cluster-wide bindings plus, when `namespace` is not empty, that namespace's bindings.
 */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules>;
}
