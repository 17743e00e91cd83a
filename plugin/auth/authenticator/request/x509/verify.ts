import type { X509Certificate } from 'node:crypto';

/** The extended key usage that allows a certificate to authenticate a TLS client (RFC 5280). */
export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
/** The extended key usage anyExtendedKeyUsage, which allows every usage (RFC 5280). */
export const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';

/** The reason Go's crypto/x509 gives when no chain reaches a trusted CA. */
export const UNKNOWN_AUTHORITY = 'x509: certificate signed by unknown authority';
/** The reason Go's crypto/x509 gives when the chain does not allow the requested key usage. */
export const INCOMPATIBLE_KEY_USAGE = 'x509: certificate specifies an incompatible key usage';

// Bounds on chain building, so that a client sending many certificates cannot make the server
// check signatures without end. Go's crypto/x509 caps signature checks for the same reason.
const MAX_CHAIN_LENGTH = 10;
const MAX_CHAINS = 10;

/** The validity period of one certificate, in milliseconds since the epoch. */
export interface ValidityWindow {
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

/** Reads the validity period of a certificate. */
export function validityWindowOf(certificate: X509Certificate): ValidityWindow {
  return {
    notBeforeMs: Date.parse(certificate.validFrom),
    notAfterMs: Date.parse(certificate.validTo),
  };
}

/** Formats a time like Go's RFC 3339 output, so reasons read like kube-apiserver's. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Returns Go's reason for a certificate used outside its validity period, or undefined when
 * `nowMs` lies within every window. Windows are checked in chain order, leaf first.
 */
export function validityProblem(
  windows: readonly ValidityWindow[],
  nowMs: number,
): string | undefined {
  const prefix = 'x509: certificate has expired or is not yet valid: current time';
  for (const { notBeforeMs, notAfterMs } of windows) {
    if (nowMs > notAfterMs)
      return `${prefix} ${formatTime(nowMs)} is after ${formatTime(notAfterMs)}`;
    if (nowMs < notBeforeMs) {
      return `${prefix} ${formatTime(nowMs)} is before ${formatTime(notBeforeMs)}`;
    }
  }
  return undefined;
}

/**
 * Reports whether every certificate in the chain that lists extended key usages allows client
 * authentication. A certificate without the extension allows every usage. This is how Go's
 * crypto/x509 checks VerifyOptions.KeyUsages, which kube-apiserver sets to ExtKeyUsageClientAuth.
 */
export function allowsClientAuth(chain: readonly X509Certificate[]): boolean {
  return chain.every((certificate) => {
    const usages = certificate.keyUsage;
    if (usages === undefined || usages.length === 0) return true;
    return usages.includes(CLIENT_AUTH_OID) || usages.includes(ANY_EXTENDED_KEY_USAGE_OID);
  });
}

function isSameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return a.raw.equals(b.raw);
}

/** Reports whether `parent` issued `child`: the names match and the signature verifies. */
export function isIssuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    // An unsupported key or signature algorithm cannot be verified, so it cannot vouch.
    return false;
  }
}

function extendChains(
  chain: readonly X509Certificate[],
  intermediates: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  found: X509Certificate[][],
): void {
  const current = chain.at(-1);
  if (current === undefined) return;
  const inChain = (candidate: X509Certificate) =>
    chain.some((member) => isSameCertificate(member, candidate));

  // A certificate that is itself in the bundle is trusted as it is, as in Go's crypto/x509.
  if (roots.some((root) => isSameCertificate(root, current))) {
    found.push([...chain]);
    return;
  }
  for (const root of roots) {
    if (found.length >= MAX_CHAINS) return;
    if (!inChain(root) && isIssuedBy(current, root)) found.push([...chain, root]);
  }
  if (chain.length >= MAX_CHAIN_LENGTH) return;
  for (const intermediate of intermediates) {
    if (found.length >= MAX_CHAINS) return;
    // Only a CA certificate (basicConstraints CA:TRUE) may issue other certificates.
    if (!intermediate.ca || inChain(intermediate) || !isIssuedBy(current, intermediate)) continue;
    extendChains([...chain, intermediate], intermediates, roots, found);
  }
}

/**
 * Builds every chain from `leaf` through the presented `intermediates` to a certificate of the
 * trusted `roots`, leaf first. Signatures and issuer names are checked, validity periods and key
 * usages are not. Returns an empty list when no chain reaches a root.
 *
 * NOTE: Unlike Go's crypto/x509, name constraints and path length constraints of the issuers are
 * not checked.
 */
export function buildChains(
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
  roots: readonly X509Certificate[],
): X509Certificate[][] {
  const found: X509Certificate[][] = [];
  extendChains([leaf], intermediates, roots, found);
  return found;
}
