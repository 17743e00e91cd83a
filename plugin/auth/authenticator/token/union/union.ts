import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { firstAuthenticated } from '../../request/union/union.js';

/**
 * Combines token authenticators like kube-apiserver's token union
 * (k8s.io/apiserver/pkg/authentication/token/union): each is tried in order and the first
 * success wins. Rejections are joined into one `rejected` when nothing succeeds, NOT_APPLICABLE
 * is returned when no member recognised the token, and a thrown error counts as a rejection, so
 * the union never throws.
 */
export function unionTokenAuthenticator(
  ...authenticators: TokenAuthenticator[]
): TokenAuthenticator {
  return {
    authenticateToken: (token: string, signal: AbortSignal): Promise<AuthenticationResult> =>
      firstAuthenticated(
        authenticators.map((member) => () => member.authenticateToken(token, signal)),
      ),
  };
}
