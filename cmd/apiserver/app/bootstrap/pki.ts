import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Lifetime of a generated CA certificate in ms: ten 365-day years. */
export const CA_VALIDITY_MS = 10 * 365 * DAY_MS;

/** Lifetime of a generated serving or client certificate in ms: 365 days. */
export const LEAF_VALIDITY_MS = 365 * DAY_MS;

/**
 * Time in ms by which a generated certificate's notBefore lies before its creation, so that a peer
 * whose clock runs slightly behind still accepts it. client-go's
 * GenerateSelfSignedCertKeyWithFixtures (k8s.io/client-go/util/cert/cert.go) uses the same hour.
 */
export const NOT_BEFORE_BACKDATE_MS = 60 * 60 * 1000;

const RSA_KEY_BITS = 2048;

/** A PEM-encoded certificate with its PEM-encoded private key (PKCS#1 `RSA PRIVATE KEY`). */
export interface CertificateKeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** The period in which a certificate is valid, as in its notBefore and notAfter fields. */
export interface ValidityPeriod {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Options that every certificate generator accepts. */
export interface CertificateOptions {
  /**
   * Validity period to write in place of the default, which starts NOT_BEFORE_BACKDATE_MS before
   * now. Tests use it to create expired certificates.
   */
  readonly validity?: ValidityPeriod;
}

/** Names that a serving certificate covers, written into its subjectAltName extension. */
export interface ServingCertOptions extends CertificateOptions {
  readonly dnsNames: readonly string[];
  /** IPv4 or IPv6 addresses in text form, such as `127.0.0.1` or `::1`. */
  readonly ips: readonly string[];
  /** Subject CN. Defaults to the first DNS name, or the first IP when there is none. */
  readonly commonName?: string;
}

/** The identity in a client certificate, which kube-apiserver's x509 authenticator reads. */
export interface ClientCertOptions extends CertificateOptions {
  /** Subject CN, which becomes the user name. */
  readonly commonName: string;
  /** Subject O values, which become the user's groups. */
  readonly organizations: readonly string[];
}

/**
 * Generates a self-signed CA certificate with a new RSA 2048 key, valid for CA_VALIDITY_MS.
 * The certificate may sign certificates and CRLs but may not issue intermediate CAs.
 */
export function generateCA(
  commonName: string,
  options: CertificateOptions = {},
): CertificateKeyPair {
  const keys = generateRSAKeyPair();
  const subject = [{ shortName: 'CN', value: commonName }];
  const cert = newCertificate(keys.publicKey, options.validity ?? defaultValidity(CA_VALIDITY_MS));
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/**
 * Generates a TLS serving certificate signed by `ca`, with the serverAuth extended key usage and
 * the given DNS names and IPs as subjectAltNames. Throws a TypeError when both lists are empty or
 * an IP is not a valid address.
 */
export function generateServingCert(
  ca: CertificateKeyPair,
  options: ServingCertOptions,
): CertificateKeyPair {
  const commonName = options.commonName ?? options.dnsNames[0] ?? options.ips[0];
  if (commonName === undefined) {
    throw new TypeError('generateServingCert: dnsNames and ips must not both be empty');
  }
  for (const ip of options.ips) {
    if (isIP(ip) === 0) {
      throw new TypeError(`generateServingCert: ips: "${ip}" is not a valid IP address`);
    }
  }
  // GeneralName tags from RFC 5280 section 4.2.1.6: 2 is dNSName, 7 is iPAddress.
  const altNames = [
    ...options.dnsNames.map((value) => ({ type: 2, value })),
    ...options.ips.map((ip) => ({ type: 7, ip })),
  ];
  return signLeafCertificate(ca, {
    subject: [{ shortName: 'CN', value: commonName }],
    validity: options.validity,
    extensions: [
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
}

/**
 * Generates a TLS client certificate signed by `ca`, with the clientAuth extended key usage.
 * kube-apiserver's x509 authenticator maps the CN to the user name and each O to a group.
 */
export function generateClientCert(
  ca: CertificateKeyPair,
  options: ClientCertOptions,
): CertificateKeyPair {
  const subject = [
    ...options.organizations.map((value) => ({ shortName: 'O', value })),
    { shortName: 'CN', value: options.commonName },
  ];
  return signLeafCertificate(ca, {
    subject,
    validity: options.validity,
    extensions: [{ name: 'extKeyUsage', clientAuth: true }],
  });
}

/**
 * Parses a PEM certificate and returns its validity period.
 * Throws an Error, with the parser's error as `cause`, when the PEM is not a valid certificate.
 */
export function parseCertificateValidity(pem: string): ValidityPeriod {
  const cert = parseCertificate(pem);
  return {
    notBefore: parseOpenSSLTime(cert.validFrom),
    notAfter: parseOpenSSLTime(cert.validTo),
  };
}

/** Requirements that a stored certificate must meet to be reused. */
export interface CertificateRequirements {
  /** Time to check the validity period against. */
  readonly now: Date;
  /** PEM certificate that must have signed the certificate. Omit for a self-signed CA. */
  readonly issuerPem?: string;
  /** Whether the certificate must be a CA (basicConstraints cA set). */
  readonly isCA?: boolean;
  readonly dnsNames?: readonly string[];
  readonly ips?: readonly string[];
}

/**
 * Checks a stored certificate and key against `requirements`. Returns the reason they cannot be
 * reused, worded for a log line, or undefined when they can. Input that does not parse is
 * returned as a problem, not thrown.
 */
export function findCertificateProblem(
  pair: CertificateKeyPair,
  requirements: CertificateRequirements,
): string | undefined {
  let cert: X509Certificate;
  let validity: ValidityPeriod;
  try {
    cert = parseCertificate(pair.certPem);
    validity = parseCertificateValidity(pair.certPem);
  } catch (err) {
    return `certificate does not parse: ${errorMessage(err)}`;
  }

  const now = requirements.now.getTime();
  if (validity.notAfter.getTime() <= now) {
    return `certificate expired at ${validity.notAfter.toISOString()}`;
  }
  if (validity.notBefore.getTime() > now) {
    return `certificate is not valid before ${validity.notBefore.toISOString()}`;
  }

  const keyProblem = findKeyMismatch(cert, pair.keyPem);
  if (keyProblem !== undefined) {
    return keyProblem;
  }

  if (requirements.isCA === true && !cert.ca) {
    return 'certificate is not a CA';
  }
  if (requirements.issuerPem !== undefined && !isIssuedBy(cert, requirements.issuerPem)) {
    return 'certificate is not signed by the current CA';
  }

  const missingNames = [
    ...(requirements.dnsNames ?? []).filter((name) => cert.checkHost(name) === undefined),
    ...(requirements.ips ?? []).filter((ip) => cert.checkIP(ip) === undefined),
  ];
  if (missingNames.length > 0) {
    return `certificate does not cover ${missingNames.join(', ')}`;
  }
  return undefined;
}

interface RSAKeyPair {
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly privateKeyPem: string;
}

// node:crypto generates the key in OpenSSL, so the speed does not depend on whether node-forge
// finds a native generator. node:crypto cannot create certificates, so forge builds and signs them.
function generateRSAKeyPair(): RSAKeyPair {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: RSA_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return {
    publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
    privateKey: forgeKey,
    privateKeyPem: privateKey,
  };
}

interface LeafTemplate {
  readonly subject: forge.pki.CertificateField[];
  readonly validity: ValidityPeriod | undefined;
  readonly extensions: object[];
}

function signLeafCertificate(ca: CertificateKeyPair, template: LeafTemplate): CertificateKeyPair {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = generateRSAKeyPair();
  const cert = newCertificate(
    keys.publicKey,
    template.validity ?? defaultValidity(LEAF_VALIDITY_MS),
  );
  cert.setSubject(template.subject);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ...template.extensions,
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function newCertificate(
  publicKey: forge.pki.rsa.PublicKey,
  validity: ValidityPeriod,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialNumber();
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  return cert;
}

function defaultValidity(lifetimeMs: number): ValidityPeriod {
  const notBefore = new Date(Date.now() - NOT_BEFORE_BACKDATE_MS);
  return { notBefore, notAfter: new Date(notBefore.getTime() + lifetimeMs) };
}

// Returns 16 random bytes as hex. RFC 5280 section 4.1.2.2 requires a positive serial number of at
// most 20 bytes. forge writes the hex bytes into the DER INTEGER as they are, so the first byte
// must lie in 0x01..0x7f. A set high bit would make the number negative. A zero first byte would be
// a non-minimal encoding, which strict parsers reject.
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return bytes.toString('hex');
}

function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new Error('unable to parse certificate PEM', { cause: err });
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Parses the time format that X509Certificate.validFrom and validTo use on Node 20, which is
// OpenSSL's ASN1_TIME_print output such as "Mar  1 12:00:00 2026 GMT". Date.parse accepts it in V8,
// but ECMAScript does not define that format, so it is parsed here explicitly.
function parseOpenSSLTime(text: string): Date {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text);
  const month = match === null ? -1 : MONTHS.indexOf(match[1] ?? '');
  if (match === null || month < 0) {
    throw new Error(`unable to parse certificate time "${text}"`);
  }
  const [day, hours, minutes, seconds, year] = match.slice(2).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(year, month, day, hours, minutes, seconds));
}

function findKeyMismatch(cert: X509Certificate, keyPem: string): string | undefined {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem))
      ? undefined
      : 'private key does not match the certificate';
  } catch (err) {
    return `private key does not parse: ${errorMessage(err)}`;
  }
}

function isIssuedBy(cert: X509Certificate, issuerPem: string): boolean {
  try {
    const issuer = new X509Certificate(issuerPem);
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error && err.cause instanceof Error) {
    return `${err.message}: ${err.cause.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
