import { X509Certificate } from 'node:crypto';
import { readFlagFile } from '../../../../../pkg/util/flag_file.js';

const FLAG = '--client-ca-file';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;

/**
 * Parses every CERTIFICATE block of a PEM bundle. Blocks of other types are skipped, as
 * kube-apiserver's certificate parsing (k8s.io/client-go/util/cert.ParseCertsPEM) does.
 *
 * @param source names the input in error messages, for example `--client-ca-file: /etc/ca.crt`.
 * @throws Error starting with `source` when a CERTIFICATE block is invalid or none is found.
 */
export function parsePEMCertificates(pem: string, source: string): X509Certificate[] {
  const certificates: X509Certificate[] = [];
  for (const match of pem.matchAll(PEM_BLOCK)) {
    if (match[1] !== 'CERTIFICATE') continue;
    try {
      certificates.push(new X509Certificate(match[0]));
    } catch (error) {
      const number = certificates.length + 1;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${source}: certificate ${number} is not a valid X.509 certificate (${reason}); ` +
          'replace it with the PEM of the CA certificate',
        { cause: error },
      );
    }
  }
  if (certificates.length === 0) {
    throw new Error(
      `${source}: no PEM certificate found; the file must contain at least one ` +
        '"-----BEGIN CERTIFICATE-----" block',
    );
  }
  return certificates;
}

/**
 * Reads the --client-ca-file bundle: the CA certificates that client certificates must chain
 * to.
 *
 * @throws Error starting with `--client-ca-file: <path>:` when the file is missing or unreadable,
 * contains an invalid certificate, or contains no certificate at all.
 */
export async function loadClientCA(path: string): Promise<X509Certificate[]> {
  const pem = await readFlagFile(FLAG, path);
  return parsePEMCertificates(pem, `${FLAG}: ${path}`);
}
