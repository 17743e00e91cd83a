import type { X509Certificate } from 'node:crypto';
import type { Command, Option } from 'commander';
import type { RequestAuthenticator } from '../../../../pkg/auth/authenticator/interfaces.js';
import type { HeadersToRemove } from '../../../../plugin/auth/authenticator/request/headerrequest/requestheader.js';
import {
  requestHeaderAuthenticator,
  requestHeaderNamesToRemove,
} from '../../../../plugin/auth/authenticator/request/headerrequest/requestheader.js';
import { parsePEMCertificates } from '../../../../plugin/auth/authenticator/request/x509/client_ca.js';
import { addFlag, type OptionGroup } from './flag_group.js';
import { readFlagFile } from '../../../../pkg/util/flag_file.js';

// The same heading as AuthenticationOptions, so the flags are listed together in --help.
const HEADING = 'Authentication flags:';
const CA_FLAG = '--requestheader-client-ca-file';

/** The header names that kube-apiserver's API aggregation layer sends to aggregated servers. */
const AGGREGATOR_USERNAME_HEADER = 'X-Remote-User';
const AGGREGATOR_GROUP_HEADER = 'X-Remote-Group';
const AGGREGATOR_EXTRA_PREFIX = 'X-Remote-Extra-';

/**
 * Parses a comma-separated flag value like pflag's StringSlice: repeating the flag adds to the
 * list, and an empty value adds nothing. Entries are trimmed, and empty entries are kept so that
 * validate() can name them.
 */
export function parseHeaderList(value: string, previous: string[] | undefined): string[] {
  const items = value === '' ? [] : value.split(',').map((item) => item.trim());
  return [...(previous ?? []), ...items];
}

/** Flags of the front-proxy (request header) authenticator. */
export class RequestHeaderAuthenticationOptions implements OptionGroup {
  /** --requestheader-client-ca-file. Empty turns the authenticator off. */
  clientCAFile = '';
  /** --requestheader-allowed-names. Empty allows every certificate the CA verifies. */
  allowedNames: string[] = [];
  /** --requestheader-username-headers. kube-apiserver's default is empty. */
  usernameHeaders: string[] = [];
  /** --requestheader-uid-headers. kube-apiserver's default is empty. */
  uidHeaders: string[] = [];
  /** --requestheader-group-headers. kube-apiserver's default is empty. */
  groupHeaders: string[] = [];
  /** --requestheader-extra-headers-prefix. kube-apiserver's default is empty. */
  extraHeaderPrefixes: string[] = [];

  addFlags(command: Command): void {
    const list = (o: Option) => o.argParser(parseHeaderList);
    addFlag(
      command,
      HEADING,
      `${CA_FLAG} <file>`,
      "CA bundle that a front proxy's client certificate must chain to before the identity headers it sends (see --requestheader-username-headers) are trusted. If unset, the front proxy authenticator is off. Do not reuse the --client-ca-file bundle, because every certificate this bundle verifies may act as any user.",
    );
    addFlag(
      command,
      HEADING,
      '--requestheader-allowed-names <list>',
      "Common names a front proxy's client certificate may have. If empty, every certificate that chains to --requestheader-client-ca-file is a trusted front proxy. Comma-separated; may be repeated.",
      list,
    );
    addFlag(
      command,
      HEADING,
      '--requestheader-username-headers <list>',
      'Request headers to read the user name from, in order; the first non-empty one wins. X-Remote-User is common. Comma-separated; may be repeated.',
      list,
    );
    addFlag(
      command,
      HEADING,
      '--requestheader-uid-headers <list>',
      'Request headers to read the user uid from, in order; the first non-empty one wins. X-Remote-Uid is suggested. Comma-separated; may be repeated.',
      list,
    );
    addFlag(
      command,
      HEADING,
      '--requestheader-group-headers <list>',
      'Request headers to read groups from. Every line of every listed header is one group. X-Remote-Group is suggested. Comma-separated; may be repeated.',
      list,
    );
    addFlag(
      command,
      HEADING,
      '--requestheader-extra-headers-prefix <list>',
      'Request header prefixes to read extra user attributes from: the rest of the header name, lower-cased and percent-decoded, is the key, and each header line is one value. X-Remote-Extra- is suggested. Comma-separated; may be repeated.',
      list,
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.clientCAFile = (values.requestheaderClientCaFile as string | undefined) ?? '';
    this.allowedNames = (values.requestheaderAllowedNames as string[] | undefined) ?? [];
    this.usernameHeaders = (values.requestheaderUsernameHeaders as string[] | undefined) ?? [];
    this.uidHeaders = (values.requestheaderUidHeaders as string[] | undefined) ?? [];
    this.groupHeaders = (values.requestheaderGroupHeaders as string[] | undefined) ?? [];
    this.extraHeaderPrefixes =
      (values.requestheaderExtraHeadersPrefix as string[] | undefined) ?? [];
  }

  private get lists(): [flag: string, values: string[]][] {
    return [
      ['--requestheader-username-headers', this.usernameHeaders],
      ['--requestheader-uid-headers', this.uidHeaders],
      ['--requestheader-group-headers', this.groupHeaders],
      ['--requestheader-extra-headers-prefix', this.extraHeaderPrefixes],
      ['--requestheader-allowed-names', this.allowedNames],
    ];
  }

  /**
   * Returns every problem: an empty entry in a list (kube-apiserver rejects whitespace-only
   * entries too), and any list set without a CA file.
   *
   * Differs from kube-apiserver: kube-apiserver silently turns the authenticator off when
   * --requestheader-client-ca-file is empty, even with the header flags set, so a misconfigured
   * front proxy gets anonymous access with no hint why. Here that is an error.
   *
   * Differs from kube-apiserver: kube-apiserver 1.32 accepts --requestheader-uid-headers only
   * with the alpha RemoteRequestHeaderUID feature gate. This server has no feature gates, so the
   * flag is always accepted.
   */
  validate(): Error[] {
    const errors: Error[] = [];
    for (const [flag, values] of this.lists) {
      if (values.some((value) => value === '')) {
        errors.push(new Error(`${flag}: empty entry in the list; remove the extra comma`));
      }
    }
    if (this.clientCAFile === '') {
      const set = this.lists.filter(([, values]) => values.length > 0).map(([flag]) => flag);
      if (set.length > 0) {
        errors.push(
          new Error(
            `${CA_FLAG}: required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} ` +
              'set; give the CA bundle that signs the front proxy client certificate',
          ),
        );
      }
    }
    return errors;
  }

  /**
   * Returns the tolerated misconfigurations to log at warning level at start: header names that
   * differ from the ones kube-apiserver's API aggregation layer sends (so aggregated requests
   * would not authenticate, as kube-apiserver also warns), and a CA file without username
   * headers, which authenticates no one.
   */
  warnings(): string[] {
    const warnings: string[] = [];
    const expected: [string, string[], string][] = [
      ['--requestheader-username-headers', this.usernameHeaders, AGGREGATOR_USERNAME_HEADER],
      ['--requestheader-group-headers', this.groupHeaders, AGGREGATOR_GROUP_HEADER],
      ['--requestheader-extra-headers-prefix', this.extraHeaderPrefixes, AGGREGATOR_EXTRA_PREFIX],
    ];
    for (const [flag, values, standard] of expected) {
      const lower = values.map((value) => value.toLowerCase());
      if (values.length > 0 && !lower.includes(standard.toLowerCase())) {
        warnings.push(
          `${flag} is set without the standard ${standard}, so requests proxied by the API ` +
            'aggregation layer will not carry an identity this server reads',
        );
      }
    }
    if (this.clientCAFile !== '' && this.usernameHeaders.length === 0) {
      warnings.push(
        `${CA_FLAG} is set without --requestheader-username-headers, so the front proxy ` +
          'authenticator accepts no request; set --requestheader-username-headers=X-Remote-User',
      );
    }
    return warnings;
  }
}

/** The front-proxy authenticator and the headers the authentication filter removes after it. */
export interface RequestHeaderAuthentication {
  readonly authenticator: RequestAuthenticator;
  readonly headersToRemove: HeadersToRemove;
}

async function loadRequestHeaderCA(path: string): Promise<X509Certificate[]> {
  const pem = await readFlagFile(CA_FLAG, path);
  return parsePEMCertificates(pem, `${CA_FLAG}: ${path}`);
}

/**
 * Builds the front-proxy authenticator from validated options, or returns undefined when
 * --requestheader-client-ca-file is empty.
 *
 * @throws Error starting with `--requestheader-client-ca-file: <path>:` when the CA file cannot
 * be read, contains an invalid certificate or contains none.
 */
export async function buildRequestHeaderAuthenticator(
  options: RequestHeaderAuthenticationOptions,
): Promise<RequestHeaderAuthentication | undefined> {
  if (options.clientCAFile === '') return undefined;
  const clientCA = await loadRequestHeaderCA(options.clientCAFile);
  const config = {
    clientCA,
    allowedNames: options.allowedNames,
    usernameHeaders: options.usernameHeaders,
    uidHeaders: options.uidHeaders,
    groupHeaders: options.groupHeaders,
    extraHeaderPrefixes: options.extraHeaderPrefixes,
  };
  return {
    authenticator: requestHeaderAuthenticator(config),
    headersToRemove: requestHeaderNamesToRemove(config),
  };
}
