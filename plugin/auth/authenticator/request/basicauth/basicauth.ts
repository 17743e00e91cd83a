import type {
  AuthenticationRequest,
  AuthenticationResult,
  RequestAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { NOT_APPLICABLE, rejected } from '../../../../../pkg/auth/authenticator/interfaces.js';

/**
 * Checks a user name and password. Mirrors authenticator.Password of k8s.io/apiserver. Returns
 * `notApplicable` for an unknown user or a wrong password, and never throws to reject.
 */
export interface PasswordAuthenticator {
  authenticatePassword(
    username: string,
    password: string,
    signal: AbortSignal,
  ): Promise<AuthenticationResult>;
}

/**
 * The WWW-Authenticate value of a 401 while basic authentication is on. kube-apiserver sent this
 * realm until basic authentication was removed in 1.19.
 */
export const BASIC_AUTH_CHALLENGE = 'Basic realm="kubernetes-master"';

/** The reason given when the password authenticator did not accept the credentials. */
export const INVALID_USERNAME_PASSWORD = 'invalid username/password combination';

/** User name and password of an `Authorization: Basic` header. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const BASIC_PREFIX = 'basic ';
// Go's base64.StdEncoding: the standard alphabet with padding.
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Extracts the credentials of an `Authorization: Basic base64(user:password)` header, or returns
 * undefined when the header is missing, uses another scheme, is not padded standard base64 or
 * has no colon. The rules are those of Go's http.Request.BasicAuth, which kube-apiserver used:
 * the scheme is compared case-insensitively, and the user name ends at the first colon, so a
 * password may contain colons.
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined || header.length < BASIC_PREFIX.length) return undefined;
  if (header.slice(0, BASIC_PREFIX.length).toLowerCase() !== BASIC_PREFIX) return undefined;

  // Go's decoder skips line breaks inside the encoded text.
  const encoded = header.slice(BASIC_PREFIX.length).replace(/[\r\n]/g, '');
  if (!STANDARD_BASE64.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Creates the authenticator of `--basic-auth-file`, like kube-apiserver's
 * k8s.io/apiserver/pkg/authentication/request/basicauth before 1.19. A request without valid
 * Basic credentials is not applicable. Credentials that `passwords` does not accept are rejected
 * with "invalid username/password combination", so the client gets 401 instead of anonymous
 * access. Rejections and errors thrown by `passwords` pass through unchanged.
 *
 * The authentication filter removes the `Authorization` header after a success, as it does for
 * bearer tokens, and sets BASIC_AUTH_CHALLENGE on the 401.
 */
export function basicAuthAuthenticator(passwords: PasswordAuthenticator): RequestAuthenticator {
  return {
    async authenticateRequest(request: AuthenticationRequest): Promise<AuthenticationResult> {
      const credentials = parseBasicAuth(request.header('Authorization'));
      if (credentials === undefined) return NOT_APPLICABLE;

      const { username, password } = credentials;
      const result = await passwords.authenticatePassword(username, password, request.signal);
      return result.kind === 'notApplicable' ? rejected(INVALID_USERNAME_PASSWORD) : result;
    },
  };
}
