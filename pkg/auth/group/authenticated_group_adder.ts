import type {
  AuthenticationRequest,
  AuthenticationResult,
  RequestAuthenticator,
} from '../authenticator/interfaces.js';
import { authenticated } from '../authenticator/interfaces.js';
import type { UserInfo } from '../user/user.js';
import {
  ALL_AUTHENTICATED_GROUP,
  ALL_UNAUTHENTICATED_GROUP,
  ANONYMOUS_USER,
} from '../user/user.js';

/**
 * Reports whether `system:authenticated` belongs on a user: not for `system:anonymous`, and not
 * when the authenticator already placed the user in `system:authenticated` or
 * `system:unauthenticated`.
 */
export function needsAuthenticatedGroup(user: UserInfo): boolean {
  if (user.name === ANONYMOUS_USER) return false;
  return !user.groups.some(
    (group) => group === ALL_AUTHENTICATED_GROUP || group === ALL_UNAUTHENTICATED_GROUP,
  );
}

/**
 * Wraps a request authenticator so that every user it authenticates is also in
 * `system:authenticated`, as kube-apiserver's AuthenticatedGroupAdder does
 * (k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go). Rejected and
 * not-applicable results pass through unchanged.
 *
 * The delegate's user is copied, never changed, because authenticators such as the token file
 * return the same UserInfo object for every request.
 */
export function authenticatedGroupAdder(delegate: RequestAuthenticator): RequestAuthenticator {
  return {
    async authenticateRequest(request: AuthenticationRequest): Promise<AuthenticationResult> {
      const result = await delegate.authenticateRequest(request);
      if (result.kind !== 'authenticated' || !needsAuthenticatedGroup(result.user)) return result;

      const user: UserInfo = {
        ...result.user,
        groups: [...result.user.groups, ALL_AUTHENTICATED_GROUP],
      };
      return authenticated(user, result.audiences);
    },
  };
}
