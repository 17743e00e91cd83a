import type { Command } from 'commander';
import { TokenIssuer } from '../../../../pkg/serviceaccount/jwt.js';
import {
  loadServiceAccountKeys,
  loadServiceAccountSigningKey,
  type ServiceAccountPublicKey,
} from '../../../../pkg/serviceaccount/keys.js';
import {
  buildOpenIDMetadata,
  type OpenIDMetadata,
} from '../../../../pkg/serviceaccount/openidmetadata.js';
import { addFlag, type OptionGroup } from './flag_group.js';
import { collect, parseBool, parseDurationMs } from './flag_values.js';

const HEADING = 'Authentication flags:';

/** The bounds of --service-account-max-token-expiration: one hour to 2^32 seconds. */
const MIN_MAX_EXPIRATION_MS = 3600 * 1000;
const MAX_MAX_EXPIRATION_MS = 2 ** 32 * 1000;

/** The service account settings, with keys loaded, that the server is built from. */
export interface ServiceAccountConfig {
  /** Every --service-account-issuer; the first one issues tokens. */
  issuers: string[];
  /** The verification keys of --service-account-key-file. */
  keys: ServiceAccountPublicKey[];
  /** --api-audiences, or the issuers when that flag is empty, as kube-apiserver defaults them. */
  apiAudiences: string[];
  /** --service-account-lookup. */
  lookup: boolean;
  /** Signs TokenRequest tokens; undefined without --service-account-signing-key-file. */
  tokenIssuer: TokenIssuer | undefined;
  /** --service-account-max-token-expiration in seconds; 0 means no limit. */
  maxExpirationSeconds: number;
  /** The OIDC discovery documents; undefined when the first issuer is not an https URL. */
  openIDMetadata: OpenIDMetadata | undefined;
  /** Why discovery is off, for a warning at start-up; kube-apiserver also only warns. */
  openIDMetadataError: string | undefined;
}

/**
 * Returns the audiences the API accepts: --api-audiences, or every --service-account-issuer
 * when that flag is empty, as kube-apiserver's authentication options do.
 */
export function effectiveAPIAudiences(
  apiAudiences: readonly string[],
  issuers: readonly string[],
): string[] {
  return apiAudiences.length > 0 ? [...apiAudiences] : [...issuers];
}

/** Checks the issuer list as kube-apiserver does: non-empty, unique, a URL when it has a colon. */
function validateIssuers(issuers: readonly string[]): Error[] {
  const errors: Error[] = [];
  const seen = new Set<string>();
  for (const issuer of issuers) {
    if (issuer === '') {
      errors.push(new Error('--service-account-issuer: must not be an empty string'));
      continue;
    }
    if (issuer.includes(':') && !URL.canParse(issuer)) {
      errors.push(
        new Error(
          `--service-account-issuer: ${JSON.stringify(issuer)} contains a ':' but is not a valid URL`,
        ),
      );
      continue;
    }
    if (seen.has(issuer)) {
      errors.push(
        new Error(`--service-account-issuer: ${JSON.stringify(issuer)} is already specified`),
      );
      continue;
    }
    seen.add(issuer);
  }
  return errors;
}

/** Flags of service account tokens: verification keys, issuers, signing and lookup. */
export class ServiceAccountAuthenticationOptions implements OptionGroup {
  keyFiles: string[] = [];
  lookup = true;
  issuers: string[] = [];
  signingKeyFile = '';
  jwksURI = '';
  /** --service-account-max-token-expiration in milliseconds; 0 means no limit. */
  maxExpirationMs = 0;

  /** Whether service account tokens are configured at all. */
  get enabled(): boolean {
    return this.keyFiles.length > 0 || this.issuers.length > 0 || this.signingKeyFile !== '';
  }

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--service-account-key-file <file>',
      'File containing PEM-encoded RSA or ECDSA public or private keys (or certificates), used to verify service account tokens. The file may contain several keys, and the flag may be repeated. Must be specified when --service-account-signing-key-file is provided.',
      (o) => o.argParser(collect),
    );
    addFlag(
      command,
      HEADING,
      '--service-account-lookup [bool]',
      'If true, validate that the service account of a legacy token still exists in storage. Bound tokens are always checked.',
      (o) => o.default(this.lookup).argParser(parseBool),
    );
    addFlag(
      command,
      HEADING,
      '--service-account-issuer <issuer>',
      'Identifier of the service account token issuer, put in the "iss" claim of issued tokens. Usually an https URL. May be repeated: the first value issues tokens, and tokens from any value are accepted.',
      (o) => o.argParser(collect),
    );
    addFlag(
      command,
      HEADING,
      '--service-account-signing-key-file <file>',
      'File containing the PEM-encoded RSA or ECDSA private key that signs service account tokens, which turns on the TokenRequest API. Requires --service-account-issuer.',
    );
    addFlag(
      command,
      HEADING,
      '--service-account-jwks-uri <uri>',
      'The https URL of the key set in the OIDC discovery document. If unset, the first issuer followed by /openid/v1/jwks is used.',
    );
    addFlag(
      command,
      HEADING,
      '--service-account-max-token-expiration <duration>',
      'The maximum lifetime of a token that the TokenRequest API issues, as a Go duration between 1h and 2^32 seconds. Longer requests are shortened to it. 0 means no limit.',
      (o) => o.default(this.maxExpirationMs).argParser(parseDurationMs),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.keyFiles = (values.serviceAccountKeyFile as string[] | undefined) ?? [];
    this.lookup = (values.serviceAccountLookup as boolean | undefined) ?? true;
    this.issuers = (values.serviceAccountIssuer as string[] | undefined) ?? [];
    this.signingKeyFile = (values.serviceAccountSigningKeyFile as string | undefined) ?? '';
    this.jwksURI = (values.serviceAccountJwksUri as string | undefined) ?? '';
    this.maxExpirationMs = (values.serviceAccountMaxTokenExpiration as number | undefined) ?? 0;
  }

  validate(): Error[] {
    const errors = validateIssuers(this.issuers);
    if (this.signingKeyFile !== '' && this.issuers.length === 0) {
      errors.push(
        new Error(
          '--service-account-issuer: required when --service-account-signing-key-file is set',
        ),
      );
    }
    if (this.enabled && this.keyFiles.length === 0) {
      errors.push(
        new Error(
          '--service-account-key-file: required when --service-account-issuer or --service-account-signing-key-file is set',
        ),
      );
    }
    if (this.keyFiles.length > 0 && this.issuers.length === 0) {
      errors.push(
        new Error('--service-account-issuer: required when --service-account-key-file is set'),
      );
    }
    const maxMs = this.maxExpirationMs;
    if (maxMs !== 0 && (maxMs < MIN_MAX_EXPIRATION_MS || maxMs > MAX_MAX_EXPIRATION_MS)) {
      errors.push(
        new Error(
          '--service-account-max-token-expiration: must be between 1 hour and 2^32 seconds',
        ),
      );
    }
    if (
      this.jwksURI !== '' &&
      (!URL.canParse(this.jwksURI) || !this.jwksURI.startsWith('https://'))
    ) {
      errors.push(new Error(`--service-account-jwks-uri: ${this.jwksURI} is not an https URL`));
    }
    return errors;
  }

  /**
   * Loads the keys and builds what the server needs; call after validate() returned nothing.
   * @param apiAudiences the value of --api-audiences
   * @returns undefined when no service account flag is set
   * @throws Error beginning with the flag when a key file is missing, unreadable or invalid
   */
  async complete(apiAudiences: readonly string[]): Promise<ServiceAccountConfig | undefined> {
    if (!this.enabled) return undefined;
    const keys = await loadServiceAccountKeys(this.keyFiles);
    let tokenIssuer: TokenIssuer | undefined;
    if (this.signingKeyFile !== '') {
      const signingKey = await loadServiceAccountSigningKey(this.signingKeyFile);
      tokenIssuer = new TokenIssuer(this.issuers[0] ?? '', signingKey);
    }
    let openIDMetadata: OpenIDMetadata | undefined;
    let openIDMetadataError: string | undefined;
    try {
      const jwksURI = this.jwksURI === '' ? undefined : this.jwksURI;
      openIDMetadata = await buildOpenIDMetadata(this.issuers[0] ?? '', keys, jwksURI);
    } catch (err) {
      openIDMetadataError = (err as Error).message;
    }
    return {
      issuers: [...this.issuers],
      keys,
      apiAudiences: effectiveAPIAudiences(apiAudiences, this.issuers),
      lookup: this.lookup,
      tokenIssuer,
      maxExpirationSeconds: Math.floor(this.maxExpirationMs / 1000),
      openIDMetadata,
      openIDMetadataError,
    };
  }
}
