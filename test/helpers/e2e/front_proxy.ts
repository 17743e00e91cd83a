import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CertificateKeyPair } from '../../../cmd/apiserver/app/bootstrap/pki.js';
import { sharedLoopbackServingTLS } from './certificates.js';
import type { Endpoint } from './http_client.js';

/** A user of the front proxy, forwarded to the API server in the identity headers. */
export interface FrontProxyUser {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  /** Extra attributes by key. Keys are sent percent-encoded in the header name. */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** The header names the proxy writes, as set by the API server's --requestheader-* flags. */
export interface IdentityHeaderNames {
  readonly username: string;
  readonly uid: string;
  readonly group: string;
  readonly extraPrefix: string;
}

/** The header names that kube-apiserver's aggregation layer sends and most front proxies use. */
export const STANDARD_IDENTITY_HEADERS: IdentityHeaderNames = {
  username: 'X-Remote-User',
  uid: 'X-Remote-Uid',
  group: 'X-Remote-Group',
  extraPrefix: 'X-Remote-Extra-',
};

/** How to start a front proxy. */
export interface FrontProxyOptions {
  /** The API server to forward to. */
  readonly upstream: Endpoint;
  /** The client certificate and key the proxy presents to the API server. */
  readonly clientCertificate: CertificateKeyPair;
  /** The proxy's own users by bearer token. */
  readonly users: ReadonlyMap<string, FrontProxyUser>;
  /** Defaults to STANDARD_IDENTITY_HEADERS. */
  readonly headerNames?: IdentityHeaderNames;
}

/** A running front proxy on https://127.0.0.1:PORT. */
export interface FrontProxy extends Endpoint {
  /** Stops listening, closes open connections and the pool of upstream connections. */
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 section 7.6.1) apply to one connection and are never forwarded.
const HOP_BY_HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

// The characters of an HTTP token (RFC 9110 section 5.6.2) other than `%`, which escapes.
const HEADER_NAME_SAFE = /[A-Za-z0-9!#$&'*+.^_`|~-]/;

/**
 * Percent-encodes an extra key for use in a header name: every byte that is not a header-name
 * character, and `%` itself, becomes `%XX`. `example.com/team` becomes `example.com%2Fteam`, which
 * the API server lower-cases and decodes back.
 */
export function encodeExtraKey(key: string): string {
  let encoded = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded +=
      byte < 0x80 && HEADER_NAME_SAFE.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Builds the identity header lines for `user`, one line per group and per extra value. */
export function identityHeaders(user: FrontProxyUser, names: IdentityHeaderNames): string[] {
  const lines = [names.username, user.name];
  if (user.uid !== undefined) lines.push(names.uid, user.uid);
  for (const group of user.groups) lines.push(names.group, group);
  for (const [key, values] of Object.entries(user.extra ?? {})) {
    for (const value of values) lines.push(`${names.extraPrefix}${encodeExtraKey(key)}`, value);
  }
  return lines;
}

/** Reports whether a lower-cased header name is one of the identity headers. */
function isIdentityHeader(lowerName: string, names: IdentityHeaderNames): boolean {
  return (
    lowerName === names.username.toLowerCase() ||
    lowerName === names.uid.toLowerCase() ||
    lowerName === names.group.toLowerCase() ||
    lowerName.startsWith(names.extraPrefix.toLowerCase())
  );
}

/**
 * Copies raw header lines, as Node's rawHeaders lists them, without those `drop` matches. The
 * result keeps repeated names as separate lines.
 */
function filterRawHeaders(raw: readonly string[], drop: (lowerName: string) => boolean): string[] {
  const filtered: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (!drop(name.toLowerCase())) filtered.push(name, raw[i + 1]!);
  }
  return filtered;
}

function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

function rejectClient(res: ServerResponse): void {
  res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' });
  res.end('front proxy: missing or unknown bearer token\n');
}

/**
 * Starts an authenticating front proxy in this process, on 127.0.0.1 with a free port and the
 * serving certificate of sharedLoopbackServingTLS, whose CA it returns as `caPem`.
 *
 * The proxy authenticates each client by its bearer token. It then forwards the request to
 * `upstream` over TLS, presenting `clientCertificate`, with the user's identity in the identity
 * headers and without the client's Authorization header, hop-by-hop headers or any identity
 * header the client sent. The response is streamed back as it arrives, so watches work.
 *
 * NOTE: Upgrade requests (kubectl exec, attach, port-forward) are not proxied.
 */
export async function startFrontProxy(options: FrontProxyOptions): Promise<FrontProxy> {
  const names = options.headerNames ?? STANDARD_IDENTITY_HEADERS;
  const { caPem, serving } = sharedLoopbackServingTLS();
  const upstreamURL = new URL(options.upstream.url);
  const agent = new Agent({
    keepAlive: true,
    ca: options.upstream.caPem,
    cert: options.clientCertificate.certPem,
    key: options.clientCertificate.keyPem,
  });

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const user = options.users.get(bearerToken(req) ?? '');
    if (user === undefined) {
      rejectClient(res);
      return;
    }
    const headers = filterRawHeaders(
      req.rawHeaders,
      (name) =>
        HOP_BY_HOP_HEADERS.has(name) ||
        name === 'host' ||
        name === 'authorization' ||
        isIdentityHeader(name, names),
    );
    headers.push(...identityHeaders(user, names));

    const upstream = httpsRequest(
      {
        host: upstreamURL.hostname,
        port: upstreamURL.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (upstreamRes) => {
        const responseHeaders = filterRawHeaders(upstreamRes.rawHeaders, (name) =>
          HOP_BY_HOP_HEADERS.has(name),
        );
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, responseHeaders);
        // Sends the status line and headers at once, so a watch client gets them before the
        // first event.
        res.flushHeaders();
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (res.headersSent) {
        res.destroy(err);
        return;
      }
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`front proxy: upstream request failed: ${err.message}\n`);
    });
    // A client that disconnects early, for example one that ends a watch, ends the upstream too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
