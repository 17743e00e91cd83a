import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type {
  AuthenticationRequest,
  AuthenticationResult,
  RequestAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { NOT_APPLICABLE, authenticated } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import type { ConnectionIdentity } from '../x509/x509.js';
import { readConnectionIdentity } from '../x509/x509.js';
import { validityProblem } from '../x509/verify.js';

/** Configuration of the front-proxy authenticator, the values of the --requestheader-* flags. */
export interface RequestHeaderConfig {
  /** The CA certificates that the front proxy's client certificate must chain to. */
  readonly clientCA: readonly X509Certificate[];
  /** Common names a front proxy certificate may have. Empty allows every name. */
  readonly allowedNames: readonly string[];
  /** Headers that carry the user name, tried in order. The first non-empty one wins. */
  readonly usernameHeaders: readonly string[];
  /** Headers that carry groups. Every non-empty line of every header is one group. */
  readonly groupHeaders: readonly string[];
  /** Header name prefixes whose headers carry extra attributes. */
  readonly extraHeaderPrefixes: readonly string[];
  /** Headers that carry the user uid, tried in order. Defaults to none. */
  readonly uidHeaders?: readonly string[];
  /** The clock for certificate validity checks. Defaults to the system clock. */
  readonly now?: () => Date;
}

/**
 * An AuthenticationRequest that can also list the names of its headers, which the extra headers
 * need because they are found by prefix.
 */
export interface RequestWithHeaderNames extends AuthenticationRequest {
  /** Returns the lower-cased name of every header, once each, in the order they arrived. */
  headerNames(): string[];
}

/** Reports whether a request view can list its header names. */
export function canListHeaderNames(
  request: AuthenticationRequest,
): request is RequestWithHeaderNames {
  return typeof (request as Partial<RequestWithHeaderNames>).headerNames === 'function';
}

/** The identity headers that the authentication filter removes after a front-proxy success. */
export interface HeadersToRemove {
  /** Lower-cased header names: the username, uid and group headers. */
  readonly names: readonly string[];
  /** Lower-cased prefixes of the extra headers. */
  readonly prefixes: readonly string[];
  /** Reports whether a lower-cased header name is one of `names` or starts with a prefix. */
  matches(lowerCaseName: string): boolean;
}

/**
 * Lists the headers that carried the front proxy's identity claims. kube-apiserver deletes them
 * from the request after a successful authentication (ClearAuthenticationHeaders in
 * k8s.io/apiserver/pkg/authentication/request/headerrequest), so that no later handler, and no
 * aggregated API server behind a proxying handler, mistakes them for fresh claims. The request view
 * is read-only, so the authentication filter removes them instead.
 */
export function requestHeaderNamesToRemove(
  config: Pick<
    RequestHeaderConfig,
    'usernameHeaders' | 'groupHeaders' | 'extraHeaderPrefixes' | 'uidHeaders'
  >,
): HeadersToRemove {
  const lower = (values: readonly string[]) => values.map((value) => value.trim().toLowerCase());
  const names = Object.freeze(
    lower([...config.usernameHeaders, ...(config.uidHeaders ?? []), ...config.groupHeaders]),
  );
  const prefixes = Object.freeze(lower(config.extraHeaderPrefixes));
  return {
    names,
    prefixes,
    matches: (lowerCaseName) =>
      names.includes(lowerCaseName) || prefixes.some((prefix) => lowerCaseName.startsWith(prefix)),
  };
}

/** Returns the first value of the first header in `names` whose first value is non-empty. */
export function firstHeaderValue(
  request: AuthenticationRequest,
  names: readonly string[],
): string | undefined {
  for (const name of names) {
    const value = request.header(name);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Returns every non-empty line of every header in `names`, header by header. */
export function allHeaderValues(
  request: AuthenticationRequest,
  names: readonly string[],
): string[] {
  return names.flatMap((name) => request.headerValues(name).filter((value) => value !== ''));
}

/**
 * Decodes the percent-encoded key of an extra header, so that `X-Remote-Extra-Acme.com%2fTeam`
 * gives the key `acme.com/team`. A key with a malformed escape is kept as it is, as kube-apiserver
 * does, so the attribute is still recorded. Differs from kube-apiserver: an escape that decodes
 * to invalid UTF-8 (`%ff`) also keeps the raw key, where Go's url.PathUnescape returns the bytes.
 */
export function decodeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/**
 * Collects the extra attributes from headers whose name starts with one of `prefixes`
 * (case-insensitively). The key is the rest of the name, lower-cased and then percent-decoded.
 * Every line of a header is one value, empty lines included, as in kube-apiserver.
 */
export function extraFromHeaders(
  request: RequestWithHeaderNames,
  prefixes: readonly string[],
): Record<string, string[]> {
  const extra: Record<string, string[]> = {};
  // Prefixes first, so values keep the order of the prefixes as configured.
  for (const prefix of prefixes.map((p) => p.toLowerCase())) {
    for (const name of request.headerNames()) {
      const lowerName = name.toLowerCase();
      if (!lowerName.startsWith(prefix)) continue;
      const key = decodeExtraKey(lowerName.slice(prefix.length));
      (extra[key] ??= []).push(...request.headerValues(name));
    }
  }
  return extra;
}

/**
 * Reports whether a connection's client certificate may speak for users: it chains to the
 * request-header CA with clientAuth usage, every certificate of one such chain is valid at
 * `nowMs`, and its common name is allowed. Mirrors the Verifier of
 * k8s.io/apiserver/pkg/authentication/request/x509 with allowed common names.
 */
export function isTrustedProxy(
  identity: ConnectionIdentity,
  allowedNames: readonly string[],
  nowMs: number,
): boolean {
  if (identity.kind !== 'verified') return false;
  if (validityProblem([identity.leaf], nowMs) !== undefined) return false;
  if (!identity.chains.some((chain) => validityProblem(chain, nowMs) === undefined)) return false;
  if (allowedNames.length === 0) return true;
  // The user name of a verified identity is the subject common name, as Go's pkix.Name reads it.
  const commonName = identity.user?.name ?? '';
  return allowedNames.includes(commonName);
}

function trimmed(values: readonly string[] | undefined, field: string): string[] {
  return (values ?? []).map((value) => {
    const name = value.trim();
    if (name === '') {
      throw new TypeError(`requestHeaderAuthenticator: ${field} contains an empty header name`);
    }
    return name;
  });
}

/**
 * Creates the front-proxy authenticator of `--requestheader-client-ca-file`, like
 * kube-apiserver's k8s.io/apiserver/pkg/authentication/request/headerrequest. The identity headers
 * count only when the request arrived on a TLS connection whose client certificate passes
 * isTrustedProxy. The user name comes from the first non-empty username header, the uid likewise
 * from the uid headers, the groups from every line of the group headers, and the extra attributes
 * from the headers with an extra prefix (see extraFromHeaders). A trusted proxy that sends no
 * username header is not applicable, so other authenticators may try the request.
 *
 * Differs from kube-apiserver: a client certificate that is not a trusted proxy's is not
 * applicable here, where kube-apiserver returns an error that the union reports only when no
 * other authenticator succeeds. Such a certificate is usually a user's --client-ca-file
 * certificate, which the x509 authenticator judges, so the error adds nothing but noise. One
 * consequence: a certificate that no authenticator accepts falls through to anonymous access
 * when --anonymous-auth is on, where kube-apiserver returns 401.
 *
 * The certificate chain is verified once per TLS connection and kept in a WeakMap keyed by the
 * socket, as the x509 authenticator does. Validity periods are compared with `now()` on every
 * request.
 *
 * @throws TypeError when a header name is empty or `clientCA` is empty.
 * Each request with `extraHeaderPrefixes` set throws (which the union turns into a rejection) when
 * the request view cannot list its header names; see RequestWithHeaderNames.
 */
export function requestHeaderAuthenticator(config: RequestHeaderConfig): RequestAuthenticator {
  if (config.clientCA.length === 0) {
    throw new TypeError('requestHeaderAuthenticator: clientCA must contain at least one CA');
  }
  const usernameHeaders = trimmed(config.usernameHeaders, 'usernameHeaders');
  const uidHeaders = trimmed(config.uidHeaders, 'uidHeaders');
  const groupHeaders = trimmed(config.groupHeaders, 'groupHeaders');
  const extraHeaderPrefixes = trimmed(config.extraHeaderPrefixes, 'extraHeaderPrefixes');
  const roots = [...config.clientCA];
  const allowedNames = [...config.allowedNames];
  const now = config.now ?? (() => new Date());
  const identities = new WeakMap<TLSSocket, ConnectionIdentity>();

  const authenticate = (request: AuthenticationRequest): AuthenticationResult => {
    const socket = request.tlsSocket;
    if (socket === undefined) return NOT_APPLICABLE;
    let identity = identities.get(socket);
    if (identity === undefined) {
      identity = readConnectionIdentity(socket, roots);
      identities.set(socket, identity);
    }
    if (!isTrustedProxy(identity, allowedNames, now().getTime())) return NOT_APPLICABLE;

    const name = firstHeaderValue(request, usernameHeaders);
    if (name === undefined) return NOT_APPLICABLE;
    let extra: Record<string, string[]> = {};
    if (extraHeaderPrefixes.length > 0) {
      if (!canListHeaderNames(request)) {
        throw new Error(
          'requestHeaderAuthenticator: the request view has no headerNames(), so extra ' +
            'headers cannot be read; the authentication filter is miswired',
        );
      }
      extra = extraFromHeaders(request, extraHeaderPrefixes);
    }
    const user = newUserInfo({
      name,
      uid: firstHeaderValue(request, uidHeaders) ?? '',
      groups: allHeaderValues(request, groupHeaders),
      extra,
    });
    return authenticated(user);
  };

  return {
    // The executor turns a thrown error into a rejected promise.
    authenticateRequest: (request) => new Promise((resolve) => resolve(authenticate(request))),
  };
}
