import { decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import {
  NOT_APPLICABLE,
  authenticated,
  rejected,
  type AuthenticationResult,
  type TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { userFromClaims } from './claims.js';
import type { OIDCAuthenticatorConfig } from './config.js';
import { describeError, startKeySet, type AsyncKeySet } from './key_set.js';

/**
 * Seconds by which `nbf` may lie in the future, for clock skew between the issuer and this
 * server. go-oidc v2 (github.com/coreos/go-oidc), which kube-apiserver's oidc.go imports, allows
 * the same minute. It allows no skew on `exp`, and neither does this authenticator.
 */
export const NOT_BEFORE_LEEWAY_SECONDS = 60;

/** The part of a winston logger that the authenticator uses. */
export interface OIDCLogger {
  info(message: string, meta: Record<string, unknown>): unknown;
  error(message: string, meta: Record<string, unknown>): unknown;
}

/** A token authenticator for ID tokens of one OpenID Connect issuer. */
export interface OIDCTokenAuthenticator extends TokenAuthenticator {
  /** Resolves once the issuer's keys have been fetched. Tests wait on it instead of sleeping. */
  readonly ready: Promise<void>;
  /** Stops the background fetch of the issuer's keys. */
  close(): void;
}

/**
 * Returns the unverified `iss` claim of a compact JWT, or undefined when the token is not one.
 * The value only routes the token to an authenticator and must not be trusted.
 */
export function untrustedIssuer(token: string): string | undefined {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return undefined;
  }
  return typeof claims.iss === 'string' ? claims.iss : undefined;
}

/** Returns why `exp` rules the token out at `now`, or undefined. `exp` is in Unix seconds. */
export function findExpiryProblem(claims: JWTPayload, now: Date): string | undefined {
  if (typeof claims.exp !== 'number') return 'oidc: verify token: exp claim is missing';
  if (claims.exp * 1000 < now.getTime()) {
    return `oidc: verify token: token is expired (exp ${new Date(claims.exp * 1000).toISOString()})`;
  }
  return undefined;
}

async function verifyIDToken(
  token: string,
  keySet: NonNullable<ReturnType<AsyncKeySet['current']>>,
  config: OIDCAuthenticatorConfig,
  now: Date,
): Promise<JWTPayload | string> {
  try {
    const { payload } = await jwtVerify(token, keySet, {
      issuer: config.issuerURL,
      audience: config.clientID,
      algorithms: [...config.signingAlgs],
      currentDate: now,
      // jose applies one tolerance to both exp and nbf, so exp is checked again without it.
      clockTolerance: NOT_BEFORE_LEEWAY_SECONDS,
      requiredClaims: ['exp'],
    });
    return findExpiryProblem(payload, now) ?? payload;
  } catch (err) {
    // Anything other than a JOSE error, such as an unreachable issuer during a key refresh, is a
    // failure of the authenticator, not of the token.
    if (!(err instanceof joseErrors.JOSEError)) {
      throw new Error('unable to verify the OIDC token', { cause: err });
    }
    // One message for expiry, whether jose or findExpiryProblem caught it.
    const expired =
      err instanceof joseErrors.JWTExpired ? findExpiryProblem(err.payload, now) : undefined;
    return expired ?? `oidc: verify token: ${describeError(err)}`;
  }
}

/**
 * Creates the authenticator of --oidc-issuer-url, following kube-apiserver's oidc.go: a token is
 * not applicable unless it is a JWT whose unverified `iss` equals the issuer, so other bearer
 * token authenticators can try it. A token of this issuer is rejected until the issuer's keys
 * have been fetched, which happens in the background with retries. A token is authenticated
 * when its signature verifies with an allowed algorithm and a key of the issuer's JWKS, `aud`
 * contains the client ID, `exp` and `nbf` hold, and the claims map to a user (see claims.ts).
 *
 * @throws Error from authenticateToken only when the issuer cannot be reached to refresh its keys.
 */
export function oidcTokenAuthenticator(
  config: OIDCAuthenticatorConfig,
  logger: OIDCLogger,
): OIDCTokenAuthenticator {
  const now = config.now ?? (() => new Date());
  if (config.caBundle === undefined) {
    logger.info('no --oidc-ca-file given, so the host root CAs verify the OIDC issuer', {
      issuer: config.issuerURL,
    });
  }
  const keySet = startKeySet(
    {
      issuerURL: config.issuerURL,
      caBundle: config.caBundle,
      requestTimeoutMs: config.requestTimeoutMs ?? 30_000,
      retryInitialDelayMs: config.retryInitialDelayMs ?? 500,
      retryMaxDelayMs: config.retryMaxDelayMs ?? 10_000,
      jwksRefreshCooldownMs: config.jwksRefreshCooldownMs ?? 30_000,
    },
    logger,
  );

  const authenticateToken = async (token: string): Promise<AuthenticationResult> => {
    if (untrustedIssuer(token) !== config.issuerURL) return NOT_APPLICABLE;
    const keys = keySet.current();
    if (keys === undefined) {
      return rejected(
        `oidc: authenticator not initialized: the keys of ${config.issuerURL} have not been fetched yet`,
      );
    }
    const verified = await verifyIDToken(token, keys, config, now());
    if (typeof verified === 'string') return rejected(verified);
    const mapped = userFromClaims(verified, config);
    return mapped.ok ? authenticated(mapped.user) : rejected(mapped.reason);
  };

  return { authenticateToken, ready: keySet.ready, close: () => keySet.close() };
}
