import type { TLSSocket } from 'node:tls';
import type { AuthenticationRequest } from '../../../pkg/auth/authenticator/interfaces.js';

/** Inputs of fakeRequest. Every field is optional. */
export interface FakeRequestOptions {
  /** Headers by case-insensitive name. An array value is a header repeated on several lines. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly tlsSocket?: TLSSocket;
  readonly signal?: AbortSignal;
}

/**
 * Builds an AuthenticationRequest from plain values, so authenticators can be tested without an
 * HTTP server.
 */
export function fakeRequest(options: FakeRequestOptions = {}): AuthenticationRequest {
  const headers = new Map<string, string[]>();
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers.set(name.toLowerCase(), typeof value === 'string' ? [value] : [...value]);
  }
  return {
    header: (name) => headers.get(name.toLowerCase())?.[0],
    headerValues: (name) => [...(headers.get(name.toLowerCase()) ?? [])],
    headerNames: () => [...headers.keys()],
    tlsSocket: options.tlsSocket,
    signal: options.signal ?? new AbortController().signal,
  };
}
