import { X509Certificate } from 'node:crypto';
import type { Command } from 'commander';
import { keystonePasswordAuthenticator } from '../../../../plugin/auth/authenticator/password/keystone/keystone.js';
import type { KeystoneLogger } from '../../../../plugin/auth/authenticator/password/keystone/keystone.js';
import {
  BASIC_AUTH_CHALLENGE,
  basicAuthAuthenticator,
} from '../../../../plugin/auth/authenticator/request/basicauth/basicauth.js';
import { readFlagFile } from '../../../../pkg/util/flag_file.js';
import type { BasicAuthentication } from './authentication_basic.js';
import { addFlag, type OptionGroup } from './flag_group.js';

// The same heading as AuthenticationOptions, so the flags are listed together in --help.
const HEADING = 'Authentication flags:';

const URL_FLAG = '--experimental-keystone-url';
const CA_FILE_FLAG = '--experimental-keystone-ca-file';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Returns the problems of an --experimental-keystone-url value, each as one line that starts
 * with the flag. kube-apiserver accepted only URLs starting with "https" and failed at start
 * otherwise, because the API server sends user passwords to this URL.
 *
 * Differs from kube-apiserver: the URL must also parse, must not carry a user name, password,
 * query or fragment, and must not end in `/v2.0`, because only the v3 identity API is used.
 */
export function validateKeystoneURL(value: string): Error[] {
  const url = URL.parse(value);
  const quoted = JSON.stringify(value);
  if (url === null) {
    return [
      new Error(
        `${URL_FLAG}: invalid URL ${quoted}; pass an https URL such as https://keystone.example.com:5000`,
      ),
    ];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:') {
    problems.push(`${quoted} must use https, because user passwords are sent to it`);
  }
  if (url.username !== '' || url.password !== '') {
    problems.push(`${quoted} must not contain a user name or password`);
  }
  if (url.search !== '' || value.includes('?')) {
    problems.push(`${quoted} must not contain a query`);
  }
  if (url.hash !== '' || value.includes('#')) {
    problems.push(`${quoted} must not contain a fragment`);
  }
  if (/\/v2\.0\/*$/.test(url.pathname)) {
    problems.push(
      `${quoted} points at the identity API v2.0, which is not supported; pass the server URL or its /v3 endpoint`,
    );
  }
  return problems.map((problem) => new Error(`${URL_FLAG}: ${problem}`));
}

/**
 * Reads the PEM bundle of --experimental-keystone-ca-file and checks that every certificate in it
 * parses.
 * @throws Error of one line starting with `--experimental-keystone-ca-file: <path>:` when the file
 * cannot be read, contains no PEM certificate, or contains one that does not parse.
 */
export async function loadKeystoneCABundle(path: string): Promise<string> {
  const text = await readFlagFile(CA_FILE_FLAG, path);
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new Error(
      `${CA_FILE_FLAG}: ${path}: the file contains no PEM certificate; pass a file with BEGIN CERTIFICATE blocks`,
    );
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${CA_FILE_FLAG}: ${path}: certificate ${index + 1} is invalid (${reason})`, {
        cause: error,
      });
    }
  }
  return text;
}

/**
 * Flags of the OpenStack Keystone password authenticator, named as in kube-apiserver 1.5 to 1.10.
 * Keystone authentication is on when --experimental-keystone-url is set.
 *
 * Differs from kube-apiserver: both flags were removed in kube-apiserver 1.11. They are kept here
 * so that password authentication against an external identity service can be studied and tested.
 */
export class KeystoneAuthenticationOptions implements OptionGroup {
  /** --experimental-keystone-url. Empty turns Keystone authentication off. */
  url = '';
  /** --experimental-keystone-ca-file. Empty means Node's root CAs. */
  caFile = '';

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      `${URL_FLAG} <url>`,
      'If set, user names and passwords of HTTP basic authentication on the secure port are checked with the OpenStack Keystone server at this https URL, through the v3 password method, for users of the "Default" domain. An authenticated user gets the user name only, with no uid and no groups.',
    );
    addFlag(
      command,
      HEADING,
      `${CA_FILE_FLAG} <file>`,
      `PEM file of the certificate authorities that verify the Keystone server's certificate. If unset, the root CAs that Node.js trusts are used. Requires ${URL_FLAG}.`,
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.url = (values.experimentalKeystoneUrl as string | undefined) ?? '';
    this.caFile = (values.experimentalKeystoneCaFile as string | undefined) ?? '';
  }

  /** Returns whether --experimental-keystone-url is set. */
  isEnabled(): boolean {
    return this.url !== '';
  }

  validate(): Error[] {
    const errors: Error[] = [];
    if (this.url !== '') errors.push(...validateKeystoneURL(this.url));
    if (this.caFile !== '' && this.url === '') {
      errors.push(
        new Error(
          `${CA_FILE_FLAG}: ${this.caFile}: the flag requires ${URL_FLAG}; set both or neither`,
        ),
      );
    }
    return errors;
  }
}

/**
 * Builds the basic authenticator backed by Keystone, or returns undefined when
 * --experimental-keystone-url is empty. Call it after validate() returned no errors. Its 401
 * responses carry the same challenge as --basic-auth-file.
 *
 * @throws Error starting with `--experimental-keystone-ca-file: <path>:` when the CA file cannot be
 * used.
 */
export async function buildKeystoneAuthenticator(
  options: KeystoneAuthenticationOptions,
  logger: KeystoneLogger,
): Promise<BasicAuthentication | undefined> {
  if (!options.isEnabled()) return undefined;
  const caBundle = options.caFile === '' ? undefined : await loadKeystoneCABundle(options.caFile);
  const passwords = keystonePasswordAuthenticator({
    url: new URL(options.url),
    caBundle,
    logger,
  });
  return { authenticator: basicAuthAuthenticator(passwords), challenge: BASIC_AUTH_CHALLENGE };
}
