import { httpsGetJSON, type HTTPSGetOptions } from './https_get.js';

/** Path of the OpenID Provider configuration document, relative to the issuer URL. */
export const WELL_KNOWN_PATH = '/.well-known/openid-configuration';

/** The fields of an OpenID Provider configuration document that the authenticator uses. */
export interface ProviderMetadata {
  readonly issuer: string;
  readonly jwksURI: URL;
}

/** Returns the URL of the issuer's configuration document, as OpenID Connect Discovery 1.0 section 4 builds it. */
export function discoveryURL(issuerURL: string): URL {
  return new URL(issuerURL.replace(/\/$/, '') + WELL_KNOWN_PATH);
}

/**
 * Checks a parsed configuration document and returns its issuer and JWKS URL. The document must
 * name exactly `issuerURL` as its issuer, as OpenID Connect Discovery 1.0 section 4.3 requires.
 *
 * @throws Error naming the field that is missing or wrong.
 */
export function parseProviderMetadata(document: unknown, issuerURL: string): ProviderMetadata {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error('invalid discovery document: expected a JSON object');
  }
  const { issuer, jwks_uri: jwksURI } = document as Record<string, unknown>;
  if (issuer !== issuerURL) {
    throw new Error(
      `invalid discovery document: issuer ${JSON.stringify(issuer)} does not match the ` +
        `configured issuer ${JSON.stringify(issuerURL)}`,
    );
  }
  if (typeof jwksURI !== 'string') {
    throw new Error('invalid discovery document: jwks_uri is missing');
  }
  const parsed = URL.parse(jwksURI);
  if (parsed === null || parsed.protocol !== 'https:') {
    throw new Error(
      `invalid discovery document: jwks_uri ${JSON.stringify(jwksURI)} is not an https URL`,
    );
  }
  return { issuer, jwksURI: parsed };
}

/** Fetches and checks the configuration document of `issuerURL`. */
export async function fetchProviderMetadata(
  issuerURL: string,
  options: HTTPSGetOptions,
): Promise<ProviderMetadata> {
  const document = await httpsGetJSON(discoveryURL(issuerURL), options);
  return parseProviderMetadata(document, issuerURL);
}
