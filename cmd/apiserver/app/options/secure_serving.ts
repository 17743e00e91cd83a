import { isIP } from 'node:net';
import type { Command } from 'commander';
import { addFlag, type OptionGroup } from './flag_group.js';
import { collect, oneOf, parsePort } from './flag_values.js';

const HEADING = 'Secure serving flags:';

/** kube-apiserver's names for TLS versions, and Node's. */
export const TLS_VERSIONS = {
  VersionTLS12: 'TLSv1.2',
  VersionTLS13: 'TLSv1.3',
} as const;

/** One --tls-sni-cert-key value: a certificate, its key, and optional server names. */
export interface SNICertKey {
  certFile: string;
  keyFile: string;
  names: string[];
}

/**
 * Parses `cert.crt,key.key` or `cert.crt,key.key:name1,*.name2`.
 * @throws Error naming --tls-sni-cert-key when the value has another shape.
 */
export function parseSNICertKey(value: string): SNICertKey {
  const colon = value.indexOf(':');
  const files = colon === -1 ? value : value.slice(0, colon);
  const names =
    colon === -1
      ? []
      : value
          .slice(colon + 1)
          .split(',')
          .map((name) => name.trim());
  const [certFile, keyFile, ...rest] = files.split(',').map((file) => file.trim());
  if (
    certFile === undefined ||
    keyFile === undefined ||
    certFile === '' ||
    keyFile === '' ||
    rest.length > 0
  ) {
    throw new Error(
      `--tls-sni-cert-key: invalid value ${JSON.stringify(value)}: expected CERT,KEY or CERT,KEY:NAME1,NAME2`,
    );
  }
  if (names.some((name) => name === '')) {
    throw new Error(
      `--tls-sni-cert-key: invalid value ${JSON.stringify(value)}: empty server name`,
    );
  }
  return { certFile, keyFile, names };
}

/** Flags of the secure (HTTPS) port. */
export class SecureServingOptions implements OptionGroup {
  bindAddress = '127.0.0.1';
  securePort = 6443;
  certDir: string;
  tlsCertFile = '';
  tlsPrivateKeyFile = '';
  tlsSNICertKeys: string[] = [];
  tlsMinVersion: keyof typeof TLS_VERSIONS = 'VersionTLS12';

  constructor(defaultCertDir: string) {
    this.certDir = defaultCertDir;
  }

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--bind-address <ip>',
      'The IP address on which to listen for the --secure-port port. Differs from kube-apiserver, whose default is 0.0.0.0: this test server listens on loopback unless told otherwise.',
      (o) => o.default(this.bindAddress),
    );
    addFlag(
      command,
      HEADING,
      '--secure-port <port>',
      'The port on which to serve HTTPS with authentication and authorization. 0 picks a free port.',
      (o) => o.default(this.securePort).argParser(parsePort),
    );
    addFlag(
      command,
      HEADING,
      '--cert-dir <dir>',
      'The directory where generated TLS certificates, the generated token file and admin.kubeconfig are kept. Ignored for the serving certificate if --tls-cert-file and --tls-private-key-file are set.',
      (o) => o.default(this.certDir),
    );
    addFlag(
      command,
      HEADING,
      '--tls-cert-file <file>',
      'File containing the default x509 certificate for HTTPS (CA certificates, if any, concatenated after the server certificate). If unset, a CA and a certificate for localhost, 127.0.0.1 and ::1 are generated in --cert-dir.',
    );
    addFlag(
      command,
      HEADING,
      '--tls-private-key-file <file>',
      'File containing the default x509 private key matching --tls-cert-file.',
    );
    addFlag(
      command,
      HEADING,
      '--tls-sni-cert-key <cert,key[:names]>',
      'A pair of x509 certificate and private key file paths, optionally followed by a comma-separated list of domain patterns (fully qualified names, possibly with a leading *. wildcard). Without patterns, the names come from the certificate. Repeat the flag for several certificates.',
      (o) => o.argParser(collect),
    );
    addFlag(
      command,
      HEADING,
      '--tls-min-version <version>',
      'Minimum TLS version supported.',
      (o) => o.default(this.tlsMinVersion).argParser(oneOf(Object.keys(TLS_VERSIONS))),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.bindAddress = values.bindAddress as string;
    this.securePort = values.securePort as number;
    this.certDir = values.certDir as string;
    this.tlsCertFile = (values.tlsCertFile as string | undefined) ?? '';
    this.tlsPrivateKeyFile = (values.tlsPrivateKeyFile as string | undefined) ?? '';
    this.tlsSNICertKeys = (values.tlsSniCertKey as string[] | undefined) ?? [];
    this.tlsMinVersion = values.tlsMinVersion as keyof typeof TLS_VERSIONS;
  }

  validate(): Error[] {
    const errors: Error[] = [];
    if (isIP(this.bindAddress) === 0) {
      errors.push(
        new Error(`--bind-address: ${JSON.stringify(this.bindAddress)} is not a valid IP address`),
      );
    }
    if ((this.tlsCertFile === '') !== (this.tlsPrivateKeyFile === '')) {
      errors.push(new Error('--tls-cert-file and --tls-private-key-file must be set together'));
    }
    for (const value of this.tlsSNICertKeys) {
      try {
        parseSNICertKey(value);
      } catch (err) {
        errors.push(err as Error);
      }
    }
    return errors;
  }
}
