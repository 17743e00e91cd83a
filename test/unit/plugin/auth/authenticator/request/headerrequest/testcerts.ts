import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import forge from 'node-forge';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A certificate issued for a test, with its key in PEM. */
export interface TestCertificate {
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
  readonly certPem: string;
  readonly keyPem: string;
  readonly x509: X509Certificate;
}

/** Inputs of issueCertificate. */
export interface IssueOptions {
  readonly cn: string;
  /** The signing CA. Self-signed when absent. */
  readonly issuer?: TestCertificate;
  readonly ca?: boolean;
  readonly extKeyUsage?: 'clientAuth' | 'serverAuth';
  /** Subject alternative IP addresses, for server certificates. */
  readonly ips?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

let serial = 1;

/** Issues an RSA certificate. Keys come from node:crypto, which is much faster than forge. */
export function issueCertificate(options: IssueOptions): TestCertificate {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - HOUR_MS);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + DAY_MS);
  const subject = [{ name: 'commonName', value: options.cn }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer?.cert.subject.attributes ?? subject);

  const extensions: object[] = [];
  if (options.ca === true) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true });
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
  }
  if (options.extKeyUsage !== undefined) {
    extensions.push({ name: 'extKeyUsage', [options.extKeyUsage]: true });
  }
  if (options.ips !== undefined) {
    const altNames = options.ips.map((ip) => ({ type: 7, ip }));
    extensions.push({ name: 'subjectAltName', altNames });
  }
  cert.setExtensions(extensions);
  cert.sign(options.issuer?.key ?? key, forge.md.sha256.create());

  const certPem = forge.pki.certificateToPem(cert);
  return { cert, key, certPem, keyPem, x509: new X509Certificate(certPem) };
}

/**
 * Builds a stand-in for a TLS socket whose client presented `chain` (leaf first). It offers only
 * getPeerCertificate(true), the one call the certificate authenticators make.
 */
export function fakeTLSSocket(chain: readonly TestCertificate[]): TLSSocket {
  type Peer = { raw?: Buffer; subject?: Record<string, string>; issuerCertificate?: Peer };
  let peer: Peer = {};
  for (const certificate of [...chain].reverse()) {
    const cn = certificate.cert.subject.getField('CN') as { value: string } | null;
    peer = {
      raw: certificate.x509.raw,
      subject: cn === null ? {} : { CN: cn.value },
      ...(peer.raw === undefined ? {} : { issuerCertificate: peer }),
    };
  }
  return { getPeerCertificate: () => peer } as unknown as TLSSocket;
}
