import type { ClaimMappings } from './claims.js';

/**
 * JWS algorithms that --oidc-signing-algs accepts: the asymmetric algorithms of RFC 7518
 * section 3.1, the allowlist of kube-apiserver's oidc.go. HMAC and `none` are excluded because
 * a public JWKS cannot verify them.
 */
export const SUPPORTED_SIGNING_ALGS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
]);

/** Everything the OIDC token authenticator needs, resolved from the --oidc-* flags. */
export interface OIDCAuthenticatorConfig extends ClaimMappings {
  /** The issuer: an https URL that must equal the `iss` claim and the discovery `issuer`. */
  readonly issuerURL: string;
  /** Must be one of the token's `aud` values. */
  readonly clientID: string;
  /** PEM CA bundle for the issuer's TLS certificate. Omit to use Node's root CAs. */
  readonly caBundle?: string;
  /** Allowed `alg` header values, each one of SUPPORTED_SIGNING_ALGS. */
  readonly signingAlgs: readonly string[];
  /** Clock for `exp` and `nbf`. Defaults to the system clock, and tests freeze it. */
  readonly now?: () => Date;
  /** First wait in ms before fetching discovery and keys again after a failure. Default 500. */
  readonly retryInitialDelayMs?: number;
  /**
   * Maximum wait in ms between fetch attempts. Each failure doubles the wait up to this. Default
   * 10000, the fixed poll interval of kube-apiserver's oidc.go.
   */
  readonly retryMaxDelayMs?: number;
  /** Timeout in ms of each request to the issuer. Default 30000, as kube-apiserver's client. */
  readonly requestTimeoutMs?: number;
  /**
   * Minimum time in ms between two JWKS fetches caused by an unknown `kid`, which stops tokens
   * with made-up key ids from flooding the issuer. Default 30000.
   */
  readonly jwksRefreshCooldownMs?: number;
}
