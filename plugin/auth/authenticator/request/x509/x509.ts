import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type {
  AuthenticationRequest,
  AuthenticationResult,
  RequestAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import {
  NOT_APPLICABLE,
  authenticated,
  rejected,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import type { UserInfo } from '../../../../../pkg/auth/user/user.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import { parsePEMCertificates } from './client_ca.js';
import type { ValidityWindow } from './verify.js';
import {
  INCOMPATIBLE_KEY_USAGE,
  UNKNOWN_AUTHORITY,
  allowsClientAuth,
  buildChains,
  validityProblem,
  validityWindowOf,
} from './verify.js';

export { loadClientCA } from './client_ca.js';

/** Options of x509Authenticator. */
export interface X509AuthenticatorOptions {
  /** The CA certificates that client certificates must chain to, as a PEM bundle or parsed. */
  readonly clientCA: string | readonly X509Certificate[];
  /** The clock for validity checks. Defaults to the system clock. */
  readonly now?: () => Date;
}

// Certificates beyond this count are ignored, because real client chains have two or three.
const MAX_PRESENTED_CERTIFICATES = 10;

/**
 * The verified facts about one TLS connection's client certificate, before the checks that
 * depend on the time. `leaf` is undefined only when the certificate could not be parsed.
 */
export type ConnectionIdentity =
  | { readonly kind: 'noCertificate' }
  | {
      readonly kind: 'rejected';
      readonly serialNumber: string | undefined;
      readonly leaf: ValidityWindow | undefined;
      readonly reason: string;
    }
  | {
      readonly kind: 'verified';
      readonly serialNumber: string;
      readonly leaf: ValidityWindow;
      /** The validity windows of every chain that reaches a CA and allows client auth. */
      readonly chains: readonly (readonly ValidityWindow[])[];
      /** Undefined when the certificate has no common name. */
      readonly user: UserInfo | undefined;
    };

const NO_CERTIFICATE: ConnectionIdentity = { kind: 'noCertificate' };

/** Returns the values of one subject attribute. Node returns an array when it repeats. */
function subjectValues(subject: object | undefined, attribute: string): string[] {
  const value: unknown = (subject as Record<string, unknown> | undefined)?.[attribute];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}

/**
 * Maps a verified client certificate to a user like kube-apiserver's CommonNameUserConversion:
 * the name is the subject common name (the last one when it repeats, as Go's pkix.Name keeps),
 * the groups are every organization in order, and the uid is empty. Returns undefined without a
 * common name.
 */
export function userFromSubject(subject: object | undefined): UserInfo | undefined {
  const name = subjectValues(subject, 'CN').at(-1) ?? '';
  if (name === '') return undefined;
  const groups = Object.freeze(subjectValues(subject, 'O'));
  return Object.freeze(newUserInfo({ name, groups }));
}

/** Returns the certificates the client presented, leaf first, following Node's issuer links. */
function presentedCertificates(peer: DetailedPeerCertificate): X509Certificate[] {
  const certificates: X509Certificate[] = [];
  const seen = new Set<DetailedPeerCertificate>();
  let current: DetailedPeerCertificate | undefined = peer;
  // Node links a self-signed certificate to itself, so `seen` ends the walk.
  while (current?.raw !== undefined && !seen.has(current)) {
    if (certificates.length === MAX_PRESENTED_CERTIFICATES) break;
    seen.add(current);
    certificates.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return certificates;
}

/** Verifies the client certificate chain of a connection against the CA bundle. */
export function readConnectionIdentity(
  socket: TLSSocket,
  roots: readonly X509Certificate[],
): ConnectionIdentity {
  // Node returns an empty object when the client sent no certificate, and null once the socket
  // is destroyed.
  const peer = socket.getPeerCertificate(true) as DetailedPeerCertificate | null;
  if (peer?.raw === undefined) return NO_CERTIFICATE;

  let presented: X509Certificate[];
  try {
    presented = presentedCertificates(peer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = `x509: failed to parse certificate: ${message}`;
    return { kind: 'rejected', serialNumber: undefined, leaf: undefined, reason };
  }
  const [leaf, ...intermediates] = presented;
  if (leaf === undefined) return NO_CERTIFICATE;
  const serialNumber = leaf.serialNumber;
  const leafWindow = validityWindowOf(leaf);

  const chains = buildChains(leaf, intermediates, roots);
  if (chains.length === 0) {
    return { kind: 'rejected', serialNumber, leaf: leafWindow, reason: UNKNOWN_AUTHORITY };
  }
  const usable = chains.filter(allowsClientAuth);
  if (usable.length === 0) {
    return { kind: 'rejected', serialNumber, leaf: leafWindow, reason: INCOMPATIBLE_KEY_USAGE };
  }
  return {
    kind: 'verified',
    serialNumber,
    leaf: leafWindow,
    chains: usable.map((chain) => chain.map(validityWindowOf)),
    user: userFromSubject(peer.subject),
  };
}

/** Builds the rejection, naming the certificate like kube-apiserver's certificateIdentifier. */
function rejectCertificate(
  serialNumber: string | undefined,
  problem: string,
): AuthenticationResult {
  const certificate = serialNumber === undefined ? 'certificate' : `certificate SN=${serialNumber}`;
  return rejected(`verifying ${certificate} failed: ${problem}`);
}

/**
 * Applies the checks that depend on the time to a connection's identity. The leaf is checked
 * first so that an expired certificate reads as expired whatever else is wrong, as in Go.
 */
export function evaluateIdentity(
  identity: ConnectionIdentity,
  nowMs: number,
): AuthenticationResult {
  if (identity.kind === 'noCertificate') return NOT_APPLICABLE;

  const leafProblem = identity.leaf && validityProblem([identity.leaf], nowMs);
  if (leafProblem !== undefined) return rejectCertificate(identity.serialNumber, leafProblem);
  if (identity.kind === 'rejected') {
    return rejectCertificate(identity.serialNumber, identity.reason);
  }

  // Any chain valid now will do: a CA bundle may hold an expired CA next to its renewal.
  const problems = identity.chains.map((chain) => validityProblem(chain, nowMs));
  if (!problems.includes(undefined)) {
    // A verified identity has at least one chain, so the fallback reason is never used.
    return rejectCertificate(identity.serialNumber, problems[0] ?? UNKNOWN_AUTHORITY);
  }

  // A verified certificate without a common name names no user, so other authenticators
  // may try the request (kube-apiserver's CommonNameUserConversion returns false without error).
  return identity.user === undefined ? NOT_APPLICABLE : authenticated(identity.user);
}

function clientCAFrom(option: X509AuthenticatorOptions['clientCA']): readonly X509Certificate[] {
  const certificates =
    typeof option === 'string'
      ? parsePEMCertificates(option, 'x509Authenticator: clientCA')
      : option;
  if (certificates.length === 0) {
    throw new TypeError('x509Authenticator: clientCA must contain at least one CA certificate');
  }
  return certificates;
}

/**
 * Creates the client certificate authenticator of `--client-ca-file`, like kube-apiserver's
 * k8s.io/apiserver/pkg/authentication/request/x509. A request without a client certificate is not
 * applicable. A certificate is accepted when it chains to one of `clientCA` through the
 * certificates the client presented, every certificate in the chain is within its validity
 * period, and every extended key usage list in the chain allows clientAuth. The user is the
 * subject common name, with the subject organizations as groups.
 *
 * Differs from kube-apiserver: the chain is verified once per TLS connection and the result is
 * kept in a WeakMap keyed by the socket, where kube-apiserver verifies on every request. The peer
 * certificate cannot change within a connection because TLS 1.3 has no renegotiation, provided
 * the server also refuses TLS 1.2 renegotiation (secureOptions SSL_OP_NO_RENEGOTIATION). Validity
 * periods are still compared with `now()` on every request, so a certificate that expires during
 * a long-lived connection (a watch, say) is rejected from then on.
 *
 * NOTE: kube-apiserver also records apiserver_client_certificate_expiration_seconds; this
 * authenticator records no metrics.
 *
 * @throws Error when `clientCA` is a PEM string without a valid certificate.
 * @throws TypeError when `clientCA` is an empty list.
 */
export function x509Authenticator(options: X509AuthenticatorOptions): RequestAuthenticator {
  const roots = clientCAFrom(options.clientCA);
  const now = options.now ?? (() => new Date());
  const identities = new WeakMap<TLSSocket, ConnectionIdentity>();

  return {
    authenticateRequest(request: AuthenticationRequest): Promise<AuthenticationResult> {
      const socket = request.tlsSocket;
      if (socket === undefined) return Promise.resolve(NOT_APPLICABLE);

      let identity = identities.get(socket);
      if (identity === undefined) {
        identity = readConnectionIdentity(socket, roots);
        identities.set(socket, identity);
      }
      return Promise.resolve(evaluateIdentity(identity, now().getTime()));
    },
  };
}
