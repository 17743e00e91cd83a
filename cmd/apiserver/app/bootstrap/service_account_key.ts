import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import type winston from 'winston';
import { readIfExists, writeFileAtomic } from './files.js';

/** The file name of the generated service account signing key in the cert dir. */
export const SERVICE_ACCOUNT_KEY_FILE = 'sa.key';

/** The issuer of the embedded default: kube-apiserver's in-cluster name for itself. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * Returns the path of the service account signing key in `certDir`, generating an ECDSA P-256
 * key (mode 0600) when none is there. kube-apiserver requires --service-account-key-file,
 * --service-account-signing-key-file and --service-account-issuer; the embedded default fills
 * all three so `kubectl create token` works with no flags.
 */
export async function ensureServiceAccountKey(
  certDir: string,
  logger: winston.Logger,
): Promise<string> {
  const path = join(certDir, SERVICE_ACCOUNT_KEY_FILE);
  if ((await readIfExists(path)) !== undefined) {
    logger.info('reusing service account key', { file: path });
    return path;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFileAtomic(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), 0o600);
  logger.info('generated service account key', { file: path });
  return path;
}
