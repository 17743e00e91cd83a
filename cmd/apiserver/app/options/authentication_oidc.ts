import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import {
  SUPPORTED_SIGNING_ALGS,
  type OIDCAuthenticatorConfig,
} from '../../../../plugin/auth/authenticator/token/oidc/config.js';
import { addFlag, type OptionGroup } from './flag_group.js';
import { parseList } from './flag_values.js';

const HEADING = 'Authentication flags:';

/**
 * The --oidc-username-claim default: the subject, which OpenID Connect Core 1.0 requires to be
 * unique within the issuer and never reassigned.
 */
export const DEFAULT_USERNAME_CLAIM = 'sub';

/**
 * The --oidc-signing-algs default: RS256, which OpenID Connect Core 1.0 section 15.1 requires
 * every provider to support. Frozen and compared by identity to tell the default from a value.
 */
export const DEFAULT_SIGNING_ALGS: readonly string[] = Object.freeze(['RS256']);

/** The --oidc-username-prefix value that turns prefixing off. */
export const NO_PREFIX = '-';

/**
 * Parses one `key=value` of --oidc-required-claim into the claims collected so far. The value
 * may contain `=`. A repeated key replaces the earlier value, as in kube-apiserver's map flag.
 */
export function parseRequiredClaim(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator < 0) throw new InvalidArgumentError('expected key=value.');
  const key = value.slice(0, separator).trim();
  if (key === '') throw new InvalidArgumentError('the claim name before "=" must not be empty.');
  return { ...previous, [key]: value.slice(separator + 1).trim() };
}

/** Parses --oidc-signing-algs: the first use replaces the default list, later uses add to it. */
function parseSigningAlgs(value: string, previous: readonly string[] | undefined): string[] {
  return parseList(value, previous === DEFAULT_SIGNING_ALGS ? undefined : [...(previous ?? [])]);
}

/**
 * Returns the prefix for user names, by kube-apiserver's rules for the --oidc-* flags: an empty
 * prefix becomes `<issuer URL>#` unless the username claim is `email`, so that names from the
 * issuer cannot clash with other users, and `-` means no prefix.
 */
export function resolveUsernamePrefix(
  issuerURL: string,
  usernameClaim: string,
  usernamePrefix: string,
): string {
  if (usernamePrefix === NO_PREFIX) return '';
  if (usernamePrefix === '' && usernameClaim !== 'email') return `${issuerURL}#`;
  return usernamePrefix;
}

/** Returns the problems of --oidc-issuer-url, which kube-apiserver validates the same way. */
export function validateIssuerURL(issuerURL: string): Error[] {
  const url = URL.parse(issuerURL);
  if (url === null)
    return [new Error(`--oidc-issuer-url: invalid URL ${JSON.stringify(issuerURL)}`)];
  const problems: string[] = [];
  if (url.protocol !== 'https:') problems.push(`the scheme must be https, got ${url.protocol}`);
  if (url.search !== '' || issuerURL.includes('?'))
    problems.push('the URL must not contain a query');
  if (url.hash !== '' || issuerURL.includes('#'))
    problems.push('the URL must not contain a fragment');
  if (url.username !== '' || url.password !== '') {
    problems.push('the URL must not contain a user name or password');
  }
  return problems.map((problem) => new Error(`--oidc-issuer-url: ${problem}`));
}

/**
 * Reads a PEM bundle of CA certificates.
 *
 * @throws Error beginning with `--oidc-ca-file:` when the file cannot be read, contains no
 * certificate, or contains a certificate that does not parse.
 */
export function loadCABundle(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`--oidc-ca-file: unable to read ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new Error(`--oidc-ca-file: ${path} contains no PEM certificate`);
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new Error(`--oidc-ca-file: ${path}: certificate ${index + 1} is invalid`, {
        cause: err,
      });
    }
  }
  return text;
}

/**
 * Flags of the OpenID Connect token authenticator, with kube-apiserver's names, defaults and
 * validation (pkg/kubeapiserver/options/authentication.go). OIDC is on when --oidc-issuer-url
 * and --oidc-client-id are both set.
 */
export class OIDCAuthenticationOptions implements OptionGroup {
  issuerURL = '';
  clientID = '';
  caFile = '';
  usernameClaim = DEFAULT_USERNAME_CLAIM;
  usernamePrefix = '';
  groupsClaim = '';
  groupsPrefix = '';
  requiredClaims: Record<string, string> = {};
  signingAlgs: readonly string[] = DEFAULT_SIGNING_ALGS;
  /**
   * Whether any --oidc-* flag was given. Differs from kube-apiserver: a flag given with its
   * default value (`--oidc-username-claim=sub`) does not count, because commander reports the
   * value and not where it came from.
   */
  flagsSet = false;

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--oidc-issuer-url <url>',
      'The URL of the OpenID issuer. Only the https scheme is accepted. If set, it is used to verify OIDC JSON Web Tokens (JWT) presented as bearer tokens.',
    );
    addFlag(
      command,
      HEADING,
      '--oidc-client-id <id>',
      'The client ID for the OpenID Connect client, which must be one of the token audiences. Must be set if --oidc-issuer-url is set.',
    );
    addFlag(
      command,
      HEADING,
      '--oidc-ca-file <file>',
      "If set, the OpenID server's certificate is verified by one of the authorities in this PEM file. Otherwise the host's root CAs are used.",
    );
    addFlag(
      command,
      HEADING,
      '--oidc-username-claim <claim>',
      "The OpenID claim to use as the user name. Claims other than the default ('sub') are not guaranteed to be unique and immutable.",
      (o) => o.default(DEFAULT_USERNAME_CLAIM),
    );
    addFlag(
      command,
      HEADING,
      '--oidc-username-prefix <prefix>',
      "If set, every user name is prefixed with this value. If not set, user name claims other than 'email' are prefixed with the issuer URL and '#' to avoid clashes. To skip any prefixing, pass '-'.",
    );
    addFlag(
      command,
      HEADING,
      '--oidc-groups-claim <claim>',
      'If set, the name of the OpenID claim that lists the user groups. The claim value must be a string or an array of strings.',
    );
    addFlag(
      command,
      HEADING,
      '--oidc-groups-prefix <prefix>',
      'If set, every group is prefixed with this value to prevent conflicts with other authentication methods.',
    );
    addFlag(
      command,
      HEADING,
      '--oidc-required-claim <key=value>',
      'A claim that the ID token must contain with exactly this string value. Repeat the flag for several claims.',
      (o) => o.argParser(parseRequiredClaim),
    );
    addFlag(
      command,
      HEADING,
      '--oidc-signing-algs <list>',
      `Comma-separated list of allowed JOSE asymmetric signing algorithms. Tokens whose 'alg' header is not in the list are rejected. Supported values: ${SUPPORTED_SIGNING_ALGS.join(', ')} (RFC 7518 section 3.1).`,
      (o) => o.default(DEFAULT_SIGNING_ALGS).argParser(parseSigningAlgs),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.issuerURL = (values.oidcIssuerUrl as string | undefined) ?? '';
    this.clientID = (values.oidcClientId as string | undefined) ?? '';
    this.caFile = (values.oidcCaFile as string | undefined) ?? '';
    this.usernameClaim = (values.oidcUsernameClaim as string | undefined) ?? DEFAULT_USERNAME_CLAIM;
    this.usernamePrefix = (values.oidcUsernamePrefix as string | undefined) ?? '';
    this.groupsClaim = (values.oidcGroupsClaim as string | undefined) ?? '';
    this.groupsPrefix = (values.oidcGroupsPrefix as string | undefined) ?? '';
    this.requiredClaims = (values.oidcRequiredClaim as Record<string, string> | undefined) ?? {};
    this.signingAlgs = (values.oidcSigningAlgs as string[] | undefined) ?? DEFAULT_SIGNING_ALGS;
    this.flagsSet =
      [
        this.issuerURL,
        this.clientID,
        this.caFile,
        this.usernamePrefix,
        this.groupsClaim,
        this.groupsPrefix,
      ].some((value) => value !== '') ||
      this.usernameClaim !== DEFAULT_USERNAME_CLAIM ||
      Object.keys(this.requiredClaims).length > 0 ||
      this.signingAlgs !== DEFAULT_SIGNING_ALGS;
  }

  /** Returns whether --oidc-issuer-url and --oidc-client-id are both set. */
  isEnabled(): boolean {
    return this.issuerURL !== '' && this.clientID !== '';
  }

  validate(): Error[] {
    if (!this.flagsSet) return [];
    const errors: Error[] = [];
    if (!this.isEnabled()) {
      errors.push(
        new Error(
          '--oidc-issuer-url and --oidc-client-id must be specified together when any --oidc-* flag is set',
        ),
      );
    }
    if (this.issuerURL !== '') errors.push(...validateIssuerURL(this.issuerURL));
    if (this.usernameClaim === '') {
      errors.push(new Error('--oidc-username-claim: must not be empty'));
    }
    if (this.signingAlgs.length === 0) {
      errors.push(new Error('--oidc-signing-algs: must list at least one algorithm'));
    }
    for (const alg of this.signingAlgs) {
      if (!SUPPORTED_SIGNING_ALGS.includes(alg)) {
        errors.push(
          new Error(
            `--oidc-signing-algs: unsupported signing algorithm ${JSON.stringify(alg)}, use one of ${SUPPORTED_SIGNING_ALGS.join(', ')}`,
          ),
        );
      }
    }
    return errors;
  }

  /**
   * Returns the configuration of the OIDC token authenticator, or undefined when OIDC is off.
   * Call it after validate() returned no errors.
   *
   * @throws Error beginning with `--oidc-ca-file:` when the CA file cannot be used.
   */
  toAuthenticatorConfig(): OIDCAuthenticatorConfig | undefined {
    if (!this.isEnabled()) return undefined;
    return {
      issuerURL: this.issuerURL,
      clientID: this.clientID,
      caBundle: this.caFile === '' ? undefined : loadCABundle(this.caFile),
      usernameClaim: this.usernameClaim,
      usernamePrefix: resolveUsernamePrefix(
        this.issuerURL,
        this.usernameClaim,
        this.usernamePrefix,
      ),
      groupsClaim: this.groupsClaim,
      groupsPrefix: this.groupsPrefix,
      requiredClaims: { ...this.requiredClaims },
      signingAlgs: [...this.signingAlgs],
    };
  }
}
