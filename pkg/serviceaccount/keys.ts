import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** The JWS algorithms kube-apiserver signs and verifies service account tokens with. */
export type ServiceAccountAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

/** A public key that verifies service account tokens, with its key ID and JWS algorithm. */
export interface ServiceAccountPublicKey {
  readonly keyID: string;
  readonly algorithm: ServiceAccountAlgorithm;
  readonly publicKey: KeyObject;
}

/** A private key that signs service account tokens, with its public half. */
export interface ServiceAccountSigningKey extends ServiceAccountPublicKey {
  readonly privateKey: KeyObject;
}

const CURVE_ALGORITHMS: Readonly<Record<string, ServiceAccountAlgorithm>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;

/**
 * Derives kube-apiserver's key ID: the unpadded base64url SHA-256 of the DER (SPKI) public key,
 * as keyIDFromPublicKey in pkg/serviceaccount/jwt.go (1.32). The hash cannot be turned back
 * into the key, so publishing the ID reveals nothing.
 */
export function keyIDFromPublicKey(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

/**
 * Returns the JWS algorithm for a key: RS256 for any RSA key, ES256, ES384 or ES512 for the
 * P-256, P-384 and P-521 curves.
 * @throws Error for another key type or curve
 */
export function algorithmForKey(key: KeyObject): ServiceAccountAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const algorithm = CURVE_ALGORITHMS[curve];
    if (algorithm !== undefined) return algorithm;
    throw new Error(`unsupported elliptic curve ${curve}, must be P-256, P-384 or P-521`);
  }
  throw new Error(
    `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}, must be RSA or ECDSA`,
  );
}

/** Describes a public key with its key ID and algorithm. */
export function describePublicKey(publicKey: KeyObject): ServiceAccountPublicKey {
  return { keyID: keyIDFromPublicKey(publicKey), algorithm: algorithmForKey(publicKey), publicKey };
}

/** Parses one PEM block into a public key, taking the public half of private keys. */
function publicKeyFromBlock(label: string, block: string): KeyObject | undefined {
  switch (label) {
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY':
      return createPublicKey(block);
    case 'PRIVATE KEY':
    case 'RSA PRIVATE KEY':
    case 'EC PRIVATE KEY':
      return createPublicKey(createPrivateKey(block));
    case 'CERTIFICATE':
      return new X509Certificate(block).publicKey;
    default:
      // Other blocks, such as `EC PARAMETERS` in front of an EC key from openssl, are skipped.
      return undefined;
  }
}

/**
 * Parses every RSA and ECDSA key in PEM data: public keys, private keys (PKCS #1, SEC 1,
 * PKCS #8) and certificates, as keyutil.PublicKeysFromFile accepts.
 * @throws Error when a block does not parse or the data contains no usable key
 */
export function parsePublicKeysPEM(pem: string): ServiceAccountPublicKey[] {
  const keys: ServiceAccountPublicKey[] = [];
  for (const match of pem.matchAll(PEM_BLOCK)) {
    const label = match[1] ?? '';
    let publicKey: KeyObject | undefined;
    try {
      publicKey = publicKeyFromBlock(label, match[0]);
    } catch (err) {
      throw new Error(`invalid ${label} block: ${(err as Error).message}`, { cause: err });
    }
    if (publicKey !== undefined) keys.push(describePublicKey(publicKey));
  }
  if (keys.length === 0) {
    throw new Error('data does not contain any valid RSA or ECDSA public keys');
  }
  return keys;
}

/**
 * Parses the first private key in PEM data (PKCS #1, SEC 1 or PKCS #8), as
 * keyutil.PrivateKeyFromFile does for --service-account-signing-key-file.
 * @throws Error when no private key block is found, it does not parse, or its type is not RSA
 *   or ECDSA on a supported curve
 */
export function parseSigningKeyPEM(pem: string): ServiceAccountSigningKey {
  for (const match of pem.matchAll(PEM_BLOCK)) {
    const label = match[1] ?? '';
    if (!['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'].includes(label)) continue;
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(match[0]);
    } catch (err) {
      throw new Error(`invalid ${label} block: ${(err as Error).message}`, { cause: err });
    }
    return { ...describePublicKey(createPublicKey(privateKey)), privateKey };
  }
  throw new Error('data does not contain a PEM encoded RSA or ECDSA private key');
}

async function readKeyFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${flag}: ${path}: unable to read the file: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Loads the verification keys of --service-account-key-file. Each file may hold several PEM
 * blocks, and the keys are returned in file order.
 * @throws Error `--service-account-key-file: <path>: ...` for a file that is missing,
 *   unreadable or contains no valid key
 */
export async function loadServiceAccountKeys(
  files: readonly string[],
): Promise<ServiceAccountPublicKey[]> {
  const keys: ServiceAccountPublicKey[] = [];
  for (const path of files) {
    const pem = await readKeyFile('--service-account-key-file', path);
    try {
      keys.push(...parsePublicKeysPEM(pem));
    } catch (err) {
      throw new Error(`--service-account-key-file: ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return keys;
}

/**
 * Loads the key of --service-account-signing-key-file.
 * @throws Error `--service-account-signing-key-file: <path>: ...` for a file that is missing,
 *   unreadable or contains no usable private key
 */
export async function loadServiceAccountSigningKey(
  path: string,
): Promise<ServiceAccountSigningKey> {
  const pem = await readKeyFile('--service-account-signing-key-file', path);
  try {
    return parseSigningKeyPEM(pem);
  } catch (err) {
    throw new Error(`--service-account-signing-key-file: ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
