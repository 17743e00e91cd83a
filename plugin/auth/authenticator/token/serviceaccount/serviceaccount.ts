import { compactVerify, decodeProtectedHeader } from 'jose';
import {
  authenticated,
  NOT_APPLICABLE,
  rejected,
  type AuthenticationResult,
  type TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { LEGACY_ISSUER, serviceAccountUserInfo } from '../../../../../pkg/serviceaccount/claims.js';
import type { ServiceAccountPublicKey } from '../../../../../pkg/serviceaccount/keys.js';
import {
  validateBoundToken,
  validateLegacyToken,
  type BoundObjectLookup,
  type Claims,
  type ServiceAccountLookup,
  type ValidationResult,
} from './validators.js';

export type {
  BoundObjectLookup,
  ObjectRecord,
  ServiceAccountLookup,
  ServiceAccountRecord,
} from './validators.js';

/** Options of the service account token authenticator: what it verifies tokens against. */
export interface ServiceAccountTokenAuthenticatorOptions {
  /** Every --service-account-issuer; bound tokens from any of them are accepted. */
  issuers: readonly string[];
  /** The keys of --service-account-key-file. */
  keys: readonly ServiceAccountPublicKey[];
  /** --api-audiences; a token must name one of them, and tokens without `aud` get them all. */
  apiAudiences: readonly string[];
  /** Finds service accounts, so tokens of deleted or recreated accounts are rejected. */
  lookup?: ServiceAccountLookup;
  /**
   * Finds the secret or pod a bound token is bound to, so deleting or recreating it revokes the
   * token. Like the bound token's service account check, it ignores --service-account-lookup.
   */
  lookupBoundObject?: BoundObjectLookup;
  /**
   * Whether legacy tokens are checked with `lookup` too: --service-account-lookup, default
   * true. kube-apiserver always checks bound tokens, whatever this flag is set to.
   */
  lookupLegacy?: boolean;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * Reads `iss` from a compact JWS without verifying it, to tell whether the token is ours.
 * @returns undefined for anything that is not a three-part JWT with a JSON payload
 */
export function unverifiedIssuer(token: string): string | undefined {
  if (token.trimStart().startsWith('{')) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return undefined;
    const issuer = (payload as Claims).iss;
    return typeof issuer === 'string' ? issuer : undefined;
  } catch {
    return undefined;
  }
}

/** Formats strings as Go's `%q` prints a []string: `["a" "b"]`. */
function goQuotedList(values: readonly string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(' ')}]`;
}

/** Joins errors as apimachinery's aggregate does: one message alone, several as `[a, b]`. */
function aggregate(messages: readonly string[]): string {
  return messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`;
}

type VerifyResult = { ok: true; claims: Claims } | { ok: false; reason: string };

/**
 * Verifies the signature with the keys whose ID matches the token's `kid`, or with every key
 * when the token has none, as jwtTokenAuthenticator does to allow key rotation.
 */
async function verifySignature(
  token: string,
  kid: string,
  keys: readonly ServiceAccountPublicKey[],
): Promise<VerifyResult> {
  const candidates = kid === '' ? keys : keys.filter((key) => key.keyID === kid);
  if (candidates.length === 0) return { ok: false, reason: 'invalid signature, no keys found' };
  const errors: string[] = [];
  for (const key of candidates) {
    try {
      const { payload } = await compactVerify(token, key.publicKey, {
        algorithms: [key.algorithm],
      });
      const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
        return { ok: false, reason: 'the token payload is not a JSON object' };
      }
      return { ok: true, claims: claims as Claims };
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  return { ok: false, reason: aggregate(errors) };
}

/** Returns the token's audiences; a string `aud` is one audience, as RFC 7519 §4.1.3 allows. */
function audiencesOf(claims: Claims): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

/**
 * Builds the service account token authenticator: kube-apiserver's two JWT token authenticators
 * (legacy issuer `kubernetes/serviceaccount`, and the --service-account-issuer values) in one.
 * Tokens that are not JWTs or come from another issuer are not applicable, so OIDC and webhook
 * authenticators get their turn. A bad signature, an unknown key, an expired token, a wrong
 * audience or a deleted service account is rejected.
 */
export function serviceAccountTokenAuthenticator(
  options: ServiceAccountTokenAuthenticatorOptions,
): TokenAuthenticator {
  const issuers = new Set(options.issuers);
  const now = options.now ?? (() => new Date());
  const legacyLookup = (options.lookupLegacy ?? true) ? options.lookup : undefined;

  return {
    async authenticateToken(token: string): Promise<AuthenticationResult> {
      const issuer = unverifiedIssuer(token);
      if (issuer === undefined) return NOT_APPLICABLE;
      const isLegacy = issuer === LEGACY_ISSUER;
      if (!isLegacy && !issuers.has(issuer)) return NOT_APPLICABLE;
      let kid: string;
      try {
        kid = decodeProtectedHeader(token).kid ?? '';
      } catch {
        return NOT_APPLICABLE;
      }

      const verified = await verifySignature(token, kid, options.keys);
      if (!verified.ok) return rejected(verified.reason);
      const { claims } = verified;
      // The issuer was read before the signature was checked, so it is checked again.
      if (claims.iss !== issuer)
        return rejected(`token issuer ${JSON.stringify(claims.iss)} is invalid`);

      // Tokens without audiences (legacy tokens) are valid for the API audiences only.
      let tokenAudiences = audiencesOf(claims);
      if (tokenAudiences.length === 0) tokenAudiences = [...options.apiAudiences];
      const audiences = tokenAudiences.filter((aud) => options.apiAudiences.includes(aud));
      if (audiences.length === 0 && options.apiAudiences.length > 0) {
        return rejected(
          `token audiences ${goQuotedList(tokenAudiences)} is invalid for the target audiences ${goQuotedList(options.apiAudiences)}`,
        );
      }

      const nowSeconds = Math.floor(now().getTime() / 1000);
      const validation: ValidationResult = isLegacy
        ? await validateLegacyToken(claims, legacyLookup)
        : await validateBoundToken(claims, nowSeconds, {
            serviceAccount: options.lookup,
            boundObject: options.lookupBoundObject,
          });
      if (!validation.ok) return rejected(validation.reason);
      const user = serviceAccountUserInfo(validation.info);
      return options.apiAudiences.length > 0 ? authenticated(user, audiences) : authenticated(user);
    },
  };
}
