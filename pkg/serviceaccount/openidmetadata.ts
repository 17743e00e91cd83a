import { exportJWK } from 'jose';
import type { ServiceAccountPublicKey } from './keys.js';

/** The path of the OpenID Provider Configuration that kube-apiserver serves. */
export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
/** The path of the JSON Web Key Set of the service account keys. */
export const JWKS_PATH = '/openid/v1/jwks';

/** The subset of OpenID Connect Discovery 1.0 provider metadata that kube-apiserver serves. */
export interface OpenIDConfiguration {
  issuer: string;
  jwks_uri: string;
  response_types_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
}

/** One public key of the key set, with members in go-jose's output order. */
export interface PublicJWK {
  use: 'sig';
  kty: string;
  kid: string;
  crv?: string;
  alg: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** The pre-rendered bodies of the two discovery endpoints. */
export interface OpenIDMetadata {
  configuration: OpenIDConfiguration;
  keySet: { keys: PublicJWK[] };
}

/**
 * Checks that an issuer can be an OpenID Connect issuer: an https URL without query or
 * fragment, as OpenID Connect Discovery 1.0 §3 requires.
 * @throws Error naming the issuer when it cannot
 */
export function validateOpenIDIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch (err) {
    throw new Error(`issuer URL ${issuer} is not a valid URL`, { cause: err });
  }
  if (url.protocol !== 'https:') {
    throw new Error(`issuer URL must use https scheme, got: ${issuer}`);
  }
  if (url.search !== '') throw new Error(`issuer URL may not include a query, got: ${issuer}`);
  if (url.hash !== '') throw new Error(`issuer URL may not include a fragment, got: ${issuer}`);
  return url;
}

/** Converts a key to its public JWK with `use`, `kid` and `alg`. */
export async function publicJWK(key: ServiceAccountPublicKey): Promise<PublicJWK> {
  const exported = await exportJWK(key.publicKey);
  // Members are in go-jose's order so the body matches kube-apiserver's; the JSON round trip
  // drops the members of the other key type.
  const jwk = {
    use: 'sig',
    kty: exported.kty,
    kid: key.keyID,
    crv: exported.crv,
    alg: key.algorithm,
    x: exported.x,
    y: exported.y,
    n: exported.n,
    e: exported.e,
  };
  return JSON.parse(JSON.stringify(jwk)) as PublicJWK;
}

/**
 * Builds the discovery documents of the service account issuer, as openidmetadata.go does.
 * @param issuer the first --service-account-issuer
 * @param jwksURI where relying parties fetch the keys; defaults to the issuer plus
 *   /openid/v1/jwks
 * @throws Error when the issuer is not an https URL, a JWKS URI is not https, or there are
 *   no keys
 */
export async function buildOpenIDMetadata(
  issuer: string,
  keys: readonly ServiceAccountPublicKey[],
  jwksURI?: string,
): Promise<OpenIDMetadata> {
  validateOpenIDIssuer(issuer);
  // Differs from kube-apiserver: without --service-account-jwks-uri it builds the URI from the
  // external address. This server has no external address flag, so the issuer is used instead.
  const uri = jwksURI ?? `${issuer.replace(/\/+$/, '')}${JWKS_PATH}`;
  if (new URL(uri).protocol !== 'https:') {
    throw new Error(`jwksURI requires https scheme, parsed as: ${uri}`);
  }
  if (keys.length === 0) throw new Error('no keys provided for validating keyset');
  const jwks = await Promise.all(keys.map(publicJWK));
  // The algorithms are sorted and unique, as Go's sets.String.List returns them.
  const algorithms = [...new Set(jwks.map((jwk) => jwk.alg))].sort();
  return {
    configuration: {
      issuer,
      jwks_uri: uri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algorithms,
    },
    keySet: { keys: jwks },
  };
}
