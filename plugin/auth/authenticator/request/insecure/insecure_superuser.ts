import type { RequestAuthenticator } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { authenticated } from '../../../../../pkg/auth/authenticator/interfaces.js';
import {
  ALL_AUTHENTICATED_GROUP,
  INSECURE_SUPERUSER,
  SYSTEM_PRIVILEGED_GROUP,
  newUserInfo,
} from '../../../../../pkg/auth/user/user.js';

/**
 * Creates the authenticator of the insecure port: it authenticates every request as
 * `system:unsecured` in the groups `system:masters` and `system:authenticated`. This matches
 * kube-apiserver's InsecureSuperuser (k8s.io/apiserver/pkg/server/deprecated_insecure_serving.go),
 * which gave the insecure port a real superuser so that authorization never had to special-case a
 * missing user. Only serve it on a loopback address, because it grants full access.
 */
export function insecureSuperuserAuthenticator(): RequestAuthenticator {
  return {
    authenticateRequest: () =>
      Promise.resolve(
        authenticated(
          newUserInfo({
            name: INSECURE_SUPERUSER,
            groups: [SYSTEM_PRIVILEGED_GROUP, ALL_AUTHENTICATED_GROUP],
          }),
        ),
      ),
  };
}
