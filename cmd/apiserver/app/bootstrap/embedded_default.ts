import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type winston from 'winston';

import { SYSTEM_PRIVILEGED_GROUP } from '../../../../pkg/auth/user/user.js';
import { readIfExists, writeFileAtomic } from './files.js';
import { KUBECONFIG_USER_NAME, buildKubeconfig } from './kubeconfig.js';
import {
  findCertificateProblem,
  generateCA,
  generateClientCert,
  generateServingCert,
  parseCertificateValidity,
} from './pki.js';
import type { CertificateKeyPair } from './pki.js';

/** File names inside the cert dir. */
export const EMBEDDED_DEFAULT_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  servingCert: 'apiserver.crt',
  servingKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  tokens: 'tokens.csv',
  adminKubeconfig: 'admin.kubeconfig',
} as const;

/** Subject CN of the generated CA. */
export const EMBEDDED_CA_COMMON_NAME = 'mini-kube-apiserver-ca';

/** Names that the generated serving certificate covers, so clients on this machine can verify it. */
export const EMBEDDED_SERVING_DNS_NAMES: readonly string[] = ['localhost'];
export const EMBEDDED_SERVING_IPS: readonly string[] = ['127.0.0.1', '::1'];

/** The admin user's uid in the generated token file. */
const ADMIN_UID = 'admin-uid';

const PUBLIC_FILE_MODE = 0o644;
const SECRET_FILE_MODE = 0o600;
const CERT_DIR_MODE = 0o700;

/**
 * Options of ensureEmbeddedDefault. The caller sets a need to false when the user set the flag
 * that supplies that part.
 */
export interface EmbeddedDefaultOptions {
  /** Directory for the generated files. Created with mode 0700 when missing. */
  readonly certDir: string;
  /** Whether to generate a serving certificate, because --tls-cert-file is unset. */
  readonly needServingCert: boolean;
  /** Whether to generate an admin client certificate, because --client-ca-file is unset. */
  readonly needClientCA: boolean;
  /** Whether to generate a token file with an admin token, because --token-auth-file is unset. */
  readonly needTokenFile: boolean;
  readonly logger: winston.Logger;
}

/** Paths of the files that ensureEmbeddedDefault loaded or generated, plus the admin token. */
export interface EmbeddedDefault {
  readonly certDir: string;
  /** Serving certificate, set when needServingCert was true. */
  readonly servingCertFile?: string;
  readonly servingKeyFile?: string;
  /** CA certificate. It signed the generated certificates and can serve as --client-ca-file. */
  readonly caFile: string;
  /** Token file in --token-auth-file format, set when needTokenFile was true. */
  readonly tokenFile?: string;
  /** Admin client certificate (CN admin, O system:masters), set when needClientCA was true. */
  readonly adminClientCertFile?: string;
  readonly adminClientKeyFile?: string;
  /** Bearer token of the admin user in tokenFile. */
  readonly adminToken?: string;
}

/**
 * Loads the credentials of the embedded default from `certDir`, generating each file that is
 * missing, does not parse, has expired, or no longer matches its key or the CA.
 *
 * The CA is always ensured, because every other certificate and the kubeconfig depend on it.
 * needServingCert adds a serving certificate for localhost, 127.0.0.1 and ::1. needClientCA adds
 * an admin client certificate. needTokenFile adds a token file with an admin token. Private keys
 * and the token file get mode 0600 and certificates 0644. Logs every generation and reuse, but
 * never a key or token. Throws an Error with a `cause` when a file cannot be read or written.
 */
export async function ensureEmbeddedDefault(
  options: EmbeddedDefaultOptions,
): Promise<EmbeddedDefault> {
  const { certDir, logger } = options;
  await ensureCertDir(certDir, logger);
  const now = new Date();

  const ca = await ensureCertificate({
    certFile: join(certDir, EMBEDDED_DEFAULT_FILES.caCert),
    keyFile: join(certDir, EMBEDDED_DEFAULT_FILES.caKey),
    commonName: EMBEDDED_CA_COMMON_NAME,
    requirements: { now, isCA: true },
    generate: () => generateCA(EMBEDDED_CA_COMMON_NAME),
    logger,
  });
  let result: EmbeddedDefault = { certDir, caFile: ca.certFile };

  if (options.needServingCert) {
    const serving = await ensureCertificate({
      certFile: join(certDir, EMBEDDED_DEFAULT_FILES.servingCert),
      keyFile: join(certDir, EMBEDDED_DEFAULT_FILES.servingKey),
      commonName: EMBEDDED_SERVING_DNS_NAMES[0] ?? 'localhost',
      requirements: {
        now,
        issuerPem: ca.pair.certPem,
        dnsNames: EMBEDDED_SERVING_DNS_NAMES,
        ips: EMBEDDED_SERVING_IPS,
      },
      generate: () =>
        generateServingCert(ca.pair, {
          dnsNames: EMBEDDED_SERVING_DNS_NAMES,
          ips: EMBEDDED_SERVING_IPS,
        }),
      logger,
    });
    result = { ...result, servingCertFile: serving.certFile, servingKeyFile: serving.keyFile };
  }

  if (options.needClientCA) {
    const admin = await ensureCertificate({
      certFile: join(certDir, EMBEDDED_DEFAULT_FILES.adminCert),
      keyFile: join(certDir, EMBEDDED_DEFAULT_FILES.adminKey),
      commonName: KUBECONFIG_USER_NAME,
      requirements: { now, issuerPem: ca.pair.certPem },
      generate: () =>
        generateClientCert(ca.pair, {
          commonName: KUBECONFIG_USER_NAME,
          organizations: [SYSTEM_PRIVILEGED_GROUP],
        }),
      logger,
    });
    result = { ...result, adminClientCertFile: admin.certFile, adminClientKeyFile: admin.keyFile };
  }

  if (options.needTokenFile) {
    const tokenFile = join(certDir, EMBEDDED_DEFAULT_FILES.tokens);
    const adminToken = await ensureTokenFile(tokenFile, logger);
    result = { ...result, tokenFile, adminToken };
  }
  return result;
}

/**
 * Writes `<certDir>/admin.kubeconfig` with mode 0600, because it contains the admin credentials,
 * and returns its path. The file is rewritten on every call, since `serverURL` can change between
 * runs.
 *
 * The user gets the admin client certificate and the admin token, whichever of them `embedded`
 * has. The CA goes in only when the serving certificate was generated, because a serving
 * certificate from --tls-cert-file was not signed by the generated CA. Throws an Error with a
 * `cause` when a file cannot be read or written.
 */
export async function writeAdminKubeconfig(
  embedded: EmbeddedDefault,
  serverURL: string,
): Promise<string> {
  const caPem =
    embedded.servingCertFile === undefined ? undefined : await readRequired(embedded.caFile);
  const clientCertPem = await readOptional(embedded.adminClientCertFile);
  const clientKeyPem = await readOptional(embedded.adminClientKeyFile);

  const text = buildKubeconfig({
    server: serverURL,
    caPem,
    clientCertPem,
    clientKeyPem,
    token: embedded.adminToken,
  });
  const path = join(embedded.certDir, EMBEDDED_DEFAULT_FILES.adminKubeconfig);
  await writeFileAtomic(path, text, SECRET_FILE_MODE);
  return path;
}

async function ensureCertDir(certDir: string, logger: winston.Logger): Promise<void> {
  try {
    // mkdir returns the first directory it created, or undefined when certDir already existed.
    const created = await mkdir(certDir, { recursive: true, mode: CERT_DIR_MODE });
    if (created !== undefined) {
      logger.info('created cert dir', { dir: certDir });
    }
  } catch (err) {
    throw new Error(`unable to create cert dir ${certDir}`, { cause: err });
  }
}

interface CertificateSpec {
  readonly certFile: string;
  readonly keyFile: string;
  readonly commonName: string;
  readonly requirements: Parameters<typeof findCertificateProblem>[1];
  readonly generate: () => CertificateKeyPair;
  readonly logger: winston.Logger;
}

interface EnsuredCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly pair: CertificateKeyPair;
}

// The certificate and its key are reused or regenerated together, because either one is useless
// without the other.
async function ensureCertificate(spec: CertificateSpec): Promise<EnsuredCertificate> {
  const { certFile, keyFile, commonName, logger } = spec;
  const certPem = await readIfExists(certFile);
  const keyPem = await readIfExists(keyFile);

  let reason: string | undefined;
  if (certPem === undefined) {
    reason = 'certificate file is missing';
  } else if (keyPem === undefined) {
    reason = 'key file is missing';
  } else {
    reason = findCertificateProblem({ certPem, keyPem }, spec.requirements);
    if (reason === undefined) {
      const { notAfter } = parseCertificateValidity(certPem);
      logger.info('reusing certificate', {
        file: certFile,
        commonName,
        notAfter: notAfter.toISOString(),
      });
      return { certFile, keyFile, pair: { certPem, keyPem } };
    }
  }

  // Both files missing is the normal first run. Anything else means a file was damaged or expired.
  if (certPem === undefined && keyPem === undefined) {
    logger.info('generating certificate', { file: certFile, reason });
  } else {
    logger.warn('regenerating certificate', { file: certFile, reason });
  }
  const pair = spec.generate();
  // The key goes first: a crash between the two writes then leaves a certificate that does not
  // match its key, which the next run detects and regenerates.
  await writeFileAtomic(keyFile, pair.keyPem, SECRET_FILE_MODE);
  await writeFileAtomic(certFile, pair.certPem, PUBLIC_FILE_MODE);
  logger.info('generated certificate', { file: certFile, commonName });
  return { certFile, keyFile, pair };
}

// Returns the admin token from the token file, generating the file when it is missing or has no
// admin line.
async function ensureTokenFile(tokenFile: string, logger: winston.Logger): Promise<string> {
  const text = await readIfExists(tokenFile);
  if (text !== undefined) {
    const token = findAdminToken(text);
    if (token !== undefined) {
      logger.info('reusing token file', { file: tokenFile, user: KUBECONFIG_USER_NAME });
      return token;
    }
    logger.warn('regenerating token file', {
      file: tokenFile,
      reason: `no line with a token for user ${KUBECONFIG_USER_NAME}`,
    });
  }

  // 32 random bytes give a 256-bit token, written as 43 base64url characters.
  const token = randomBytes(32).toString('base64url');
  await writeFileAtomic(tokenFile, formatTokenLine(token), SECRET_FILE_MODE);
  logger.info('generated token file', { file: tokenFile, user: KUBECONFIG_USER_NAME });
  return token;
}

// One line of kube-apiserver's --token-auth-file CSV: token,user,uid,"group1,group2". The uid is
// fixed so that it stays the same when the file is regenerated.
function formatTokenLine(token: string): string {
  return `${token},${KUBECONFIG_USER_NAME},${ADMIN_UID},"${SYSTEM_PRIVILEGED_GROUP}"\n`;
}

/**
 * Returns the token on the first line of a --token-auth-file whose user is admin, or undefined
 * when there is none. Exported for tests.
 */
export function findAdminToken(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    // Tokens are base64url and user names contain no commas, so the first two fields need no
    // CSV quote handling. Only the groups field is quoted.
    const [token, user] = line.split(',', 2).map((field) => field.trim());
    if (user === KUBECONFIG_USER_NAME && token !== undefined && token !== '') {
      return token;
    }
  }
  return undefined;
}

async function readRequired(path: string): Promise<string> {
  const text = await readIfExists(path);
  if (text === undefined) {
    throw new Error(`unable to read ${path}: file not found`);
  }
  return text;
}

async function readOptional(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? undefined : readRequired(path);
}
