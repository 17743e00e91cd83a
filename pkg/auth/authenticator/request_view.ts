import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { TLSSocket } from 'node:tls';
import type { AuthenticationRequest } from './interfaces.js';

/** Pseudo-headers of HTTP/2 (":path", ":method") are not request headers for authenticators. */
function isPseudoHeader(name: string): boolean {
  return name.startsWith(':');
}

/**
 * Collects every header line of a request by lower-cased name, keeping repeated lines as
 * separate values. Node joins repeated headers with ", " in `headers`, which would merge
 * `Impersonate-Group: a` and `Impersonate-Group: b` into one group named "a, b".
 */
export function distinctHeaders(rawHeaders: readonly string[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (isPseudoHeader(name)) continue;
    const list = values.get(name);
    if (list === undefined) values.set(name, [rawHeaders[i + 1]!]);
    else list.push(rawHeaders[i + 1]!);
  }
  return values;
}

/** Returns the TLS socket under a request, for HTTP/1.1 and HTTP/2 alike. */
export function tlsSocketOf(req: IncomingMessage | Http2ServerRequest): TLSSocket | undefined {
  const socket: unknown = 'stream' in req ? req.stream.session?.socket : req.socket;
  return socket instanceof TLSSocket ? socket : undefined;
}

/** Builds the authenticators' view of a request from its raw header lines and TLS socket. */
export function authenticationRequestFrom(
  req: IncomingMessage | Http2ServerRequest,
  signal: AbortSignal,
): AuthenticationRequest {
  const headers = distinctHeaders(req.rawHeaders);
  return {
    header: (name) => headers.get(name.toLowerCase())?.[0],
    headerValues: (name) => [...(headers.get(name.toLowerCase()) ?? [])],
    headerNames: () => [...headers.keys()],
    tlsSocket: tlsSocketOf(req),
    signal,
  };
}
