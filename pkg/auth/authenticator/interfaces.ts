import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../user/user.js';

/**
 * The narrow view of an HTTP request that authenticators see. It keeps authenticators free of
 * Koa, so they can be unit tested with a plain object.
 */
export interface AuthenticationRequest {
  /** Returns the first value of a header, or undefined. Names are case-insensitive. */
  header(name: string): string | undefined;
  /** Returns every value of a header, one entry per header line, in the order they arrived. */
  headerValues(name: string): string[];
  /** Returns the lower-cased names of all headers, in the order they first arrived. */
  headerNames(): string[];
  /** The TLS connection the request arrived on, or undefined for plain HTTP. */
  readonly tlsSocket: TLSSocket | undefined;
  /** Aborted when the client goes away or the request times out. */
  readonly signal: AbortSignal;
}

/** Successful authentication: the user and the audiences the credential was valid for. */
export interface Authenticated {
  readonly kind: 'authenticated';
  readonly user: UserInfo;
  readonly audiences?: readonly string[];
}

/** The request carried a credential of this authenticator's kind, and it was invalid. */
export interface Rejected {
  readonly kind: 'rejected';
  /** Why the credential was rejected. Logged at debug level; never sent to the client. */
  readonly reason: string;
}

/** The request carried no credential of this authenticator's kind. */
export interface NotApplicable {
  readonly kind: 'notApplicable';
}

/**
 * The three outcomes of an authenticator. Authenticators return `rejected` instead of throwing;
 * a thrown error means the authenticator itself failed (for example, a webhook was unreachable).
 */
export type AuthenticationResult = Authenticated | Rejected | NotApplicable;

/** Authenticates a whole request (certificate, headers). Mirrors authenticator.Request. */
export interface RequestAuthenticator {
  authenticateRequest(request: AuthenticationRequest): Promise<AuthenticationResult>;
}

/** Authenticates a bearer token. Mirrors authenticator.Token. */
export interface TokenAuthenticator {
  authenticateToken(token: string, signal: AbortSignal): Promise<AuthenticationResult>;
}

export const NOT_APPLICABLE: NotApplicable = Object.freeze({ kind: 'notApplicable' });

/** Builds an `authenticated` result. */
export function authenticated(user: UserInfo, audiences?: readonly string[]): Authenticated {
  return audiences === undefined
    ? { kind: 'authenticated', user }
    : { kind: 'authenticated', user, audiences };
}

/** Builds a `rejected` result. */
export function rejected(reason: string): Rejected {
  return { kind: 'rejected', reason };
}
