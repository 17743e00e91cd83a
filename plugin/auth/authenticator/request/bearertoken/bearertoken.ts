import type {
  AuthenticationRequest,
  AuthenticationResult,
  RequestAuthenticator,
  TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { NOT_APPLICABLE, rejected } from '../../../../../pkg/auth/authenticator/interfaces.js';

/** The reason given when no token authenticator recognised the token (upstream invalidToken). */
export const INVALID_BEARER_TOKEN = 'invalid bearer token';

/**
 * Extracts the token from an `Authorization: Bearer <token>` header value, or returns undefined
 * when the header is missing, uses another scheme or carries an empty token.
 *
 * The rules are kube-apiserver's (k8s.io/apiserver/pkg/authentication/request/bearertoken): the
 * value is trimmed, split on single spaces, the scheme compared case-insensitively, and the token
 * is the second part. So `Bearer  abc` (two spaces) has an empty token, and anything after a
 * space that follows the token is ignored.
 */
export function parseBearerToken(header: string | undefined): string | undefined {
  const value = header?.trim() ?? '';
  if (value === '') return undefined;

  const [scheme = '', token = ''] = value.split(' ');
  if (scheme.toLowerCase() !== 'bearer' || token === '') return undefined;
  return token;
}

/**
 * Creates a request authenticator that passes the bearer token of the `Authorization` header to
 * `token`. A request without a bearer token is not applicable, so other authenticators may try
 * it. A token that `token` does not recognise is rejected with "invalid bearer token", because
 * the client did send a bearer credential and must get 401 instead of anonymous access.
 * Rejections and errors thrown by `token` pass through unchanged.
 *
 * kube-apiserver deletes the `Authorization` header here after a success, so that no later
 * handler can reuse the token. The request view is read-only, so the authentication filter
 * removes the header instead.
 */
export function bearerTokenAuthenticator(token: TokenAuthenticator): RequestAuthenticator {
  return {
    async authenticateRequest(request: AuthenticationRequest): Promise<AuthenticationResult> {
      const bearer = parseBearerToken(request.header('Authorization'));
      if (bearer === undefined) return NOT_APPLICABLE;

      const result = await token.authenticateToken(bearer, request.signal);
      return result.kind === 'notApplicable' ? rejected(INVALID_BEARER_TOKEN) : result;
    },
  };
}
