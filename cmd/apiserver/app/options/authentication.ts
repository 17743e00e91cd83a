import type { Command } from 'commander';
import { addFlag, type OptionGroup } from './flag_group.js';
import { parseBool, parseList } from './flag_values.js';

const HEADING = 'Authentication flags:';

/** Flags that choose and configure the authenticators. */
export class AuthenticationOptions implements OptionGroup {
  clientCAFile = '';
  tokenAuthFile = '';
  anonymousAuth = true;
  apiAudiences: string[] = [];

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--client-ca-file <file>',
      'If set, any request presenting a client certificate signed by one of the authorities in this file is authenticated with an identity corresponding to the CommonName (user) and Organizations (groups) of the certificate. If unset, the CA generated in --cert-dir is used.',
    );
    addFlag(
      command,
      HEADING,
      '--token-auth-file <file>',
      'If set, the file that will be used to secure the secure port of the API server via token authentication: CSV rows of token,user,uid,"group1,group2". If unset, a token file with an admin token is generated in --cert-dir.',
    );
    addFlag(
      command,
      HEADING,
      '--anonymous-auth [bool]',
      'Enables anonymous requests to the secure port. Requests that are not rejected by another authentication method are treated as anonymous requests: user system:anonymous in group system:unauthenticated.',
      (o) => o.default(this.anonymousAuth).argParser(parseBool),
    );
    addFlag(
      command,
      HEADING,
      '--api-audiences <list>',
      'Identifiers of the API. Credentials that report audiences must have at least one of these. Comma-separated; may be repeated.',
      (o) => o.argParser(parseList),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.clientCAFile = (values.clientCaFile as string | undefined) ?? '';
    this.tokenAuthFile = (values.tokenAuthFile as string | undefined) ?? '';
    this.anonymousAuth = values.anonymousAuth as boolean;
    this.apiAudiences = (values.apiAudiences as string[] | undefined) ?? [];
  }

  validate(): Error[] {
    return [];
  }
}
