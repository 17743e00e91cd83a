import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

/** The flag and file a certificate or key was read from, for error messages. */
export interface FlagFile {
  flag: string;
  path: string;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Parses every CERTIFICATE block of a PEM file, leaf first.
 * @throws Error beginning with the flag and file when there is no block or a block is invalid
 */
function parseCertificates(pem: string, source: FlagFile): X509Certificate[] {
  const blocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new Error(`${source.flag}: ${source.path}: no PEM certificate found`);
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new Error(
        `${source.flag}: ${source.path}: certificate ${index + 1} is invalid: ${(err as Error).message}`,
        { cause: err },
      );
    }
  });
}

/**
 * Parses a PEM private key (PKCS #1, PKCS #8 or SEC 1).
 * @throws Error beginning with the flag and file when the key cannot be read
 */
function parsePrivateKey(pem: string, source: FlagFile): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new Error(`${source.flag}: ${source.path}: no PEM private key found`);
  }
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new Error(
      `${source.flag}: ${source.path}: invalid private key: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Checks that a serving certificate file and its key file can be used together, as Go's
 * tls.X509KeyPair does when kube-apiserver loads them. The certificate file must contain at least
 * one certificate, and the key file a private key that belongs to the first (leaf) certificate.
 * Node would otherwise fail later, in TLS setup, with an OpenSSL error that names neither file.
 * @throws Error beginning with the flag and file that is wrong, in one line
 */
export function validateServingCertKey(
  certPem: string,
  cert: FlagFile,
  keyPem: string,
  key: FlagFile,
): void {
  const [leaf] = parseCertificates(certPem, cert);
  const privateKey = parsePrivateKey(keyPem, key);
  if (leaf === undefined || !leaf.checkPrivateKey(privateKey)) {
    throw new Error(
      `${key.flag}: ${key.path}: the private key does not match the certificate in ${cert.flag} ${cert.path}`,
    );
  }
}
