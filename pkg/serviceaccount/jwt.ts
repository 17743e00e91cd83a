import { randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import type { BoundTokenClaims, KubernetesClaim, ObjectRef } from './claims.js';
import { makeUsername } from './claims.js';
import type { ServiceAccountSigningKey } from './keys.js';

/** The lifetime of a requested token when the request names none: one hour. */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
/** The minimum lifetime a TokenRequest may request: 10 minutes. */
export const MIN_EXPIRATION_SECONDS = 10 * 60;
/** The maximum lifetime a TokenRequest may request: 2^32 seconds. */
export const MAX_EXPIRATION_SECONDS = 2 ** 32;

/** The subject, audiences, lifetime and bound object of a token to issue. */
export interface BoundTokenRequest {
  namespace: string;
  serviceAccount: ObjectRef;
  /** The token's `aud`; the caller defaults an empty request to the API audiences. */
  audiences: readonly string[];
  expirationSeconds: number;
  /** The pod the token is bound to; it is deleted with the pod. */
  pod?: ObjectRef;
  /** The secret the token is bound to; it is deleted with the secret. */
  secret?: ObjectRef;
  /** Seconds after issue at which kube-apiserver starts to count the token as stale. */
  warnAfterSeconds?: number;
}

/** A signed token and the claims inside it. */
export interface IssuedToken {
  token: string;
  claims: BoundTokenClaims;
  expirationTimestamp: Date;
}

/** What a TokenIssuer uses besides its key; tests inject a fixed clock and JTI. */
export interface TokenIssuerOptions {
  now?: () => Date;
  newJTI?: () => string;
}

function toSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Signs service account tokens as kube-apiserver's JWT token generator does: the issuer is
 * the first --service-account-issuer, the key is --service-account-signing-key-file, and the
 * JWS header carries the algorithm and kube-apiserver's key ID.
 */
export class TokenIssuer {
  private readonly now: () => Date;
  private readonly newJTI: () => string;

  constructor(
    readonly issuer: string,
    readonly signingKey: ServiceAccountSigningKey,
    options: TokenIssuerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.newJTI = options.newJTI ?? randomUUID;
  }

  /** Builds the claims of a bound token, as Claims in pkg/serviceaccount/claims.go (1.32). */
  boundClaims(request: BoundTokenRequest): BoundTokenClaims {
    const issuedAt = toSeconds(this.now());
    const kubernetes: KubernetesClaim = {
      namespace: request.namespace,
      serviceaccount: { ...request.serviceAccount },
    };
    // A token is bound to at most one object; a pod wins, as in kube-apiserver.
    if (request.pod !== undefined) kubernetes.pod = { ...request.pod };
    else if (request.secret !== undefined) kubernetes.secret = { ...request.secret };
    if (request.warnAfterSeconds !== undefined && request.warnAfterSeconds !== 0) {
      kubernetes.warnafter = issuedAt + request.warnAfterSeconds;
    }
    // Keys are in the alphabetical order of kube-apiserver's tokens, which go-jose merges
    // through a map.
    return {
      aud: [...request.audiences],
      exp: issuedAt + request.expirationSeconds,
      iat: issuedAt,
      iss: this.issuer,
      jti: this.newJTI(),
      'kubernetes.io': kubernetes,
      nbf: issuedAt,
      sub: makeUsername(request.namespace, request.serviceAccount.name),
    };
  }

  /**
   * Issues a bound token.
   * @throws Error when signing fails
   */
  async issue(request: BoundTokenRequest): Promise<IssuedToken> {
    const claims = this.boundClaims(request);
    const token = await this.sign(claims);
    return { token, claims, expirationTimestamp: new Date(claims.exp * 1000) };
  }

  /**
   * Signs any payload with the issuer's key. The payload's own `iss` is kept, so tests can also
   * produce legacy tokens.
   */
  async sign(payload: object): Promise<string> {
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    try {
      return await new CompactSign(bytes)
        .setProtectedHeader({ alg: this.signingKey.algorithm, kid: this.signingKey.keyID })
        .sign(this.signingKey.privateKey);
    } catch (err) {
      throw new Error('unable to sign the service account token', { cause: err });
    }
  }
}
