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
