import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateKeyPair } from '../../../cmd/apiserver/app/bootstrap/pki.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A certificate and key in PEM, plus the issuer chain a client sends along with it. */
export interface IssuedCertificate extends CertificateKeyPair {
  /**
   * The leaf followed by every intermediate CA between it and the root, which is what a TLS
   * client presents. Equals certPem for a certificate signed by a root.
   */
  readonly chainPem: string;
}

/** What issueCertificate writes into a certificate. */
export interface IssueOptions {
  readonly commonName: string;
  /** Subject O values, which kube-apiserver's x509 authenticator reads as groups. */
  readonly organizations?: readonly string[];
  /** The signing CA. The certificate is self-signed when it is absent. */
  readonly issuer?: IssuedCertificate;
  /** Whether the certificate is a CA that may sign certificates and intermediate CAs. */
  readonly isCA?: boolean;
  /**
   * The extended key usage of a leaf certificate. 'none' omits the extension. Defaults to
   * clientAuth. CA certificates never carry the extension.
   */
  readonly extendedKeyUsage?: 'clientAuth' | 'serverAuth' | 'none';
  /** IP addresses written as subjectAltNames, for serving certificates. */
  readonly ips?: readonly string[];
  /** Validity period. Defaults to one hour ago until one day from now. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /**
   * PEM RSA private key to certify, for example the key of an earlier certificate of the same
   * subject. Without it a new RSA 2048 key is generated, which takes roughly 0.1 to 1 s of CPU.
   */
  readonly keyPem?: string;
}

/**
 * Issues an RSA certificate with node-forge. Unlike the bootstrap generators in
 * cmd/apiserver/app/bootstrap/pki.ts, it can issue intermediate CAs, leaf certificates without
 * clientAuth usage and certificates valid at any time, which the x509 tests need.
 */
export function issueCertificate(options: IssueOptions): IssuedCertificate {
  const privateKey = options.keyPem ?? generateRSAKeyPem();
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = positiveSerialNumber();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - HOUR_MS);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + DAY_MS);
  const subject = [
    ...(options.organizations ?? []).map((value) => ({ shortName: 'O', value })),
    { shortName: 'CN', value: options.commonName },
  ];
  cert.setSubject(subject);

  const issuerCert =
    options.issuer === undefined ? undefined : forge.pki.certificateFromPem(options.issuer.certPem);
  cert.setIssuer(issuerCert?.subject.attributes ?? subject);
  cert.setExtensions(extensionsFor(options, issuerCert));
  const signingKey =
    options.issuer === undefined ? forgeKey : forge.pki.privateKeyFromPem(options.issuer.keyPem);
  cert.sign(signingKey, forge.md.sha256.create());

  const certPem = forge.pki.certificateToPem(cert);
  // A root's certificate is not sent by clients, so the chain stops below it.
  const issuerChain =
    options.issuer === undefined || isSelfSigned(options.issuer) ? '' : options.issuer.chainPem;
  return { certPem, keyPem: privateKey, chainPem: certPem + issuerChain };
}

/** A serving certificate for 127.0.0.1 and the CA that signed it. */
export interface LoopbackServingTLS {
  readonly caPem: string;
  readonly serving: CertificateKeyPair;
}

let loopbackServingTLS: LoopbackServingTLS | undefined;

/**
 * Returns a CA and a serving certificate for 127.0.0.1, generated on the first call and shared
 * by every test server of this process that serves HTTPS on loopback, such as front proxies and
 * the OIDC issuer. Sharing them saves generating two RSA keys per server.
 */
export function sharedLoopbackServingTLS(): LoopbackServingTLS {
  if (loopbackServingTLS === undefined) {
    const ca = issueCertificate({ commonName: 'e2e-loopback-serving-ca', isCA: true });
    const serving = issueCertificate({
      commonName: '127.0.0.1',
      issuer: ca,
      extendedKeyUsage: 'serverAuth',
      ips: ['127.0.0.1'],
    });
    loopbackServingTLS = { caPem: ca.certPem, serving };
  }
  return loopbackServingTLS;
}

function generateRSAKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return privateKey;
}

function extensionsFor(
  options: IssueOptions,
  issuerCert: forge.pki.Certificate | undefined,
): object[] {
  const extensions: object[] = [];
  if (options.isCA === true) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true });
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push({ name: 'basicConstraints', cA: false, critical: true });
    extensions.push({
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    });
    const usage = options.extendedKeyUsage ?? 'clientAuth';
    if (usage !== 'none') extensions.push({ name: 'extKeyUsage', [usage]: true });
  }
  if (options.ips !== undefined && options.ips.length > 0) {
    // GeneralName tag 7 is iPAddress (RFC 5280 section 4.2.1.6).
    extensions.push({
      name: 'subjectAltName',
      altNames: options.ips.map((ip) => ({ type: 7, ip })),
    });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  if (issuerCert !== undefined) {
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes(),
    });
  }
  return extensions;
}

function isSelfSigned(certificate: IssuedCertificate): boolean {
  const cert = forge.pki.certificateFromPem(certificate.certPem);
  return cert.isIssuer(cert);
}

// 16 random bytes with the high bit of the first byte cleared and the byte non-zero, so the DER
// INTEGER is positive and minimally encoded, as RFC 5280 section 4.1.2.2 requires.
function positiveSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return bytes.toString('hex');
}
