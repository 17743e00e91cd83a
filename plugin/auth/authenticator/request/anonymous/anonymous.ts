import type { RequestAuthenticator } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { authenticated } from '../../../../../pkg/auth/authenticator/interfaces.js';
import {
  ALL_UNAUTHENTICATED_GROUP,
  ANONYMOUS_USER,
  newUserInfo,
} from '../../../../../pkg/auth/user/user.js';

/**
 * Creates the authenticator of `--anonymous-auth`: it authenticates every request as
 * `system:anonymous` in the group `system:unauthenticated`, like kube-apiserver's
 * k8s.io/apiserver/pkg/authentication/request/anonymous. Put it last, behind
 * `unionFailOnError`, so that a request with an invalid credential is rejected instead of
 * falling back to anonymous.
 */
export function anonymousAuthenticator(): RequestAuthenticator {
  return {
    authenticateRequest: () =>
      Promise.resolve(
        authenticated(newUserInfo({ name: ANONYMOUS_USER, groups: [ALL_UNAUTHENTICATED_GROUP] })),
      ),
  };
}
