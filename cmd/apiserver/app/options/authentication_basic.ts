import type { Command } from 'commander';
import type {
  RequestAuthenticator,
  TokenAuthenticator,
} from '../../../../pkg/auth/authenticator/interfaces.js';
import type { PasswordFileLogger } from '../../../../plugin/auth/authenticator/password/passwordfile/passwordfile.js';
import { loadPasswordFile } from '../../../../plugin/auth/authenticator/password/passwordfile/passwordfile.js';
import {
  BASIC_AUTH_CHALLENGE,
  basicAuthAuthenticator,
} from '../../../../plugin/auth/authenticator/request/basicauth/basicauth.js';
import {
  INSECURE_ALLOW_ANY_TOKEN_WARNING,
  anyTokenAuthenticator,
} from '../../../../plugin/auth/authenticator/token/anytoken/anytoken.js';
import { addFlag, type OptionGroup } from './flag_group.js';
import { parseBool } from './flag_values.js';

// The same heading as AuthenticationOptions, so the flags are listed together in --help.
const HEADING = 'Authentication flags:';

/**
 * Flags of the password and any-token authenticators.
 *
 * Differs from kube-apiserver: --basic-auth-file was removed in kube-apiserver 1.19 and
 * --insecure-allow-any-token in an earlier release. Both are kept here so the older
 * authentication flows can be studied and tested.
 */
export class BasicAuthenticationOptions implements OptionGroup {
  /** --basic-auth-file. Empty turns basic authentication off. */
  basicAuthFile = '';
  /** --insecure-allow-any-token. Defaults to false. */
  insecureAllowAnyToken = false;

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--basic-auth-file <file>',
      'CSV file of users who may log in to the secure port with HTTP basic authentication, one row per user: password,user,uid,"group1,group2". If unset, basic authentication is off. The passwords are stored in plain text, so prefer client certificates or tokens.',
    );
    addFlag(
      command,
      HEADING,
      '--insecure-allow-any-token [bool]',
      'INSECURE: if true, every bearer token authenticates, as the user it names: "alice/group1,group2" is user alice in groups group1 and group2, and a token without "/" is the user name alone. Anyone can then act as any user, system:masters included. For test servers only.',
      (o) => o.default(this.insecureAllowAnyToken).argParser(parseBool),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.basicAuthFile = (values.basicAuthFile as string | undefined) ?? '';
    this.insecureAllowAnyToken = (values.insecureAllowAnyToken as boolean | undefined) ?? false;
  }

  validate(): Error[] {
    return [];
  }

  /** Returns the warnings to log at start: INSECURE_ALLOW_ANY_TOKEN_WARNING when it applies. */
  warnings(): string[] {
    return this.insecureAllowAnyToken ? [INSECURE_ALLOW_ANY_TOKEN_WARNING] : [];
  }
}

/** The basic authenticator and the WWW-Authenticate value its 401 responses carry. */
export interface BasicAuthentication {
  readonly authenticator: RequestAuthenticator;
  readonly challenge: string;
}

/**
 * Builds the basic authenticator from --basic-auth-file, or returns undefined when the flag is
 * empty. Warnings about the file go to `logger`, or to process.emitWarning without one.
 *
 * @throws Error starting with `--basic-auth-file: <path>:` when the file cannot be read or is
 * malformed.
 */
export async function buildBasicAuthenticator(
  options: BasicAuthenticationOptions,
  logger?: PasswordFileLogger,
): Promise<BasicAuthentication | undefined> {
  if (options.basicAuthFile === '') return undefined;
  const passwords = await loadPasswordFile(
    options.basicAuthFile,
    logger === undefined ? {} : { logger },
  );
  return { authenticator: basicAuthAuthenticator(passwords), challenge: BASIC_AUTH_CHALLENGE };
}

/**
 * Returns the any-token authenticator when --insecure-allow-any-token is set, or undefined. It
 * belongs at the end of the token authenticators, because it accepts every token.
 */
export function buildAnyTokenAuthenticator(
  options: BasicAuthenticationOptions,
): TokenAuthenticator | undefined {
  return options.insecureAllowAnyToken ? anyTokenAuthenticator() : undefined;
}
