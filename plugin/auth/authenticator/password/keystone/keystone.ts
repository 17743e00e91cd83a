import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AuthenticationResult } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { NOT_APPLICABLE, authenticated } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import type { PasswordAuthenticator } from '../../request/basicauth/basicauth.js';

/**
 * Time limit of one request to Keystone, in ms, from connecting to the end of the response.
 * kube-apiserver's Keystone client (gophercloud over Go's http.Client) limited only connecting and
 * the TLS handshake, so a hung Keystone held basic-auth requests until they timed out. NOTE: 5 s
 * is a choice, not an upstream value.
 */
export const DEFAULT_KEYSTONE_TIMEOUT_MS = 5_000;

/**
 * The domain that user names are looked up in: the domain Keystone creates at installation, whose
 * ID is `default`. A v3 password request that names the user must name a domain too.
 * kube-apiserver set none, and its client library (gophercloud) then refused to send v3 requests,
 * so kube-apiserver worked only with Keystone's v2.0 API.
 */
export const DEFAULT_USER_DOMAIN_NAME = 'Default';

/** Responses larger than this are cut off: 1 MiB, far above a token without the catalog. */
export const MAX_KEYSTONE_RESPONSE_BYTES = 1024 * 1024;

/** The part of a winston logger that the Keystone authenticator uses. */
export interface KeystoneLogger {
  debug(message: string, meta: Record<string, unknown>): unknown;
  error(message: string, meta: Record<string, unknown>): unknown;
}

/** Settings of the Keystone password authenticator. */
export interface KeystoneAuthenticatorConfig {
  /** The Keystone server, from --experimental-keystone-url. Must be https. */
  readonly url: URL;
  /** PEM CA bundle that the Keystone certificate must chain to. Omit to use Node's root CAs. */
  readonly caBundle?: string;
  /** Time limit of one request in ms. Defaults to DEFAULT_KEYSTONE_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Domain name sent with every user name. Defaults to DEFAULT_USER_DOMAIN_NAME. */
  readonly userDomainName?: string;
  readonly logger: KeystoneLogger;
}

/**
 * Returns the URL of Keystone's v3 token API for a server URL: `<url>/v3/auth/tokens`, or
 * `<url>/auth/tokens` when the path already ends in `/v3`, as an OS_AUTH_URL often does. The
 * `nocatalog` query makes Keystone leave the service catalog out of the response.
 */
export function keystoneTokensURL(url: URL): URL {
  const tokens = new URL(url.href);
  const base = tokens.pathname.replace(/\/+$/, '');
  tokens.pathname = base.endsWith('/v3') ? `${base}/auth/tokens` : `${base}/v3/auth/tokens`;
  tokens.search = '?nocatalog';
  tokens.hash = '';
  return tokens;
}

/**
 * Builds the body of a v3 password authentication request without a scope, so Keystone checks
 * the password and issues an unscoped token (or one scoped to the user's default project).
 */
export function passwordAuthenticationBody(
  username: string,
  password: string,
  domainName: string,
): string {
  return JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: username, domain: { name: domainName }, password } },
      },
    },
  });
}

/** Status, headers and body of a completed response from Keystone. */
interface KeystoneResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Sends one POST and reads the whole response. Redirects are returned, not followed. */
function post(
  url: URL,
  body: string,
  caBundle: string | undefined,
  signal: AbortSignal,
): Promise<KeystoneResponse> {
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'Content-Length': String(payload.length),
        },
        ca: caBundle,
        signal,
        // A new connection per request, so no idle socket outlives a stopped Keystone or test.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_KEYSTONE_RESPONSE_BYTES) {
            request.destroy(
              new Error(`the response is larger than ${MAX_KEYSTONE_RESPONSE_BYTES} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('close', () => {
          if (!response.complete) reject(new Error('the connection closed during the response'));
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * Returns the `title` of Keystone's error body (`{"error": {"code", "title", "message"}}`), or
 * undefined. The `message` is left out because Keystone's validation messages may quote fields of
 * the request, and the request contains the password.
 */
function errorTitle(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { title?: unknown } };
    const title = parsed.error?.title;
    return typeof title === 'string' && title.length <= 100 ? title : undefined;
  } catch {
    return undefined;
  }
}

/** Returns whether a 201 body is a Keystone v3 token with a user, as the API reference shows. */
function isTokenResponse(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      token?: { user?: { id?: unknown; name?: unknown } };
    };
    const user = parsed.token?.user;
    return typeof user?.id === 'string' && typeof user.name === 'string';
  } catch {
    return false;
  }
}

/** Builds the error of a failed request: timeout, client abort or network error. */
function requestError(
  error: unknown,
  tokensURL: URL,
  timeout: AbortSignal,
  timeoutMs: number,
  requestSignal: AbortSignal,
): Error {
  if (timeout.aborted) {
    return new Error(`Keystone at ${tokensURL.origin} did not respond within ${timeoutMs} ms`, {
      cause: error,
    });
  }
  if (requestSignal.aborted) {
    return new Error('the client request ended before Keystone responded', { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`unable to reach Keystone at ${tokensURL.origin}: ${reason}`, { cause: error });
}

/**
 * Creates a password authenticator that checks each user name and password with OpenStack
 * Keystone's v3 password method (`POST /v3/auth/tokens`), like kube-apiserver's
 * --experimental-keystone-url authenticator of releases 1.5 to 1.10
 * (plugin/pkg/auth/authenticator/password/keystone). Every check sends one request, and
 * results are not cached.
 *
 * Keystone's 201 authenticates the user with the name as the client sent it, no uid and no
 * groups, as kube-apiserver did (authenticatedGroupAdder adds system:authenticated later).
 * Keystone's user ID and roles are not used. NOTE: if Keystone's identity backend matches names
 * case-insensitively, `Alice` and `alice` log in as two different Kubernetes users.
 *
 * Keystone's 401, an empty user name and an empty password are not applicable, so the basic
 * authenticator rejects the credentials. Any other status, a 201 without a token, a TLS or
 * network failure and the timeout throw an Error that names the cause. Errors are also logged at
 * error level with the user name and Keystone URL, because the union turns thrown errors into
 * rejections that are logged only at debug level. No log entry or error contains the password.
 *
 * Differs from kube-apiserver: it returned an error for every failure, wrong passwords included,
 * so a wrong password and an unreachable Keystone looked the same in the log.
 */
export function keystonePasswordAuthenticator(
  config: KeystoneAuthenticatorConfig,
): PasswordAuthenticator {
  const tokensURL = keystoneTokensURL(config.url);
  const timeoutMs = config.timeoutMs ?? DEFAULT_KEYSTONE_TIMEOUT_MS;
  const domainName = config.userDomainName ?? DEFAULT_USER_DOMAIN_NAME;
  const { logger } = config;

  async function check(username: string, password: string, requestSignal: AbortSignal) {
    const timeout = AbortSignal.timeout(timeoutMs);
    const body = passwordAuthenticationBody(username, password, domainName);
    let response: KeystoneResponse;
    try {
      const signal = AbortSignal.any([timeout, requestSignal]);
      response = await post(tokensURL, body, config.caBundle, signal);
    } catch (error) {
      throw requestError(error, tokensURL, timeout, timeoutMs, requestSignal);
    }

    if (response.status === 401) {
      logger.debug('Keystone rejected the user name or password', { user: username });
      return NOT_APPLICABLE;
    }
    if (response.status !== 201) {
      const title = errorTitle(response.body);
      const detail = title === undefined ? '' : ` (${title})`;
      throw new Error(
        `Keystone at ${tokensURL.origin} responded with HTTP ${response.status}${detail}, expected 201 or 401`,
      );
    }
    if (!isTokenResponse(response.body)) {
      throw new Error(
        `Keystone at ${tokensURL.origin} responded with 201 but the body is not a v3 token with a user`,
      );
    }
    return authenticated(newUserInfo({ name: username }));
  }

  return {
    async authenticatePassword(
      username: string,
      password: string,
      signal: AbortSignal,
    ): Promise<AuthenticationResult> {
      if (username === '' || password === '') return NOT_APPLICABLE;
      try {
        return await check(username, password, signal);
      } catch (error) {
        const meta = { user: username, url: tokensURL.href, err: (error as Error).message };
        // A client that went away is not Keystone's failure.
        if (signal.aborted) logger.debug('unable to check the password with Keystone', meta);
        else logger.error('unable to check the password with Keystone', meta);
        throw error;
      }
    },
  };
}
