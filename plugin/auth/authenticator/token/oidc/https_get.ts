import { request } from 'node:https';

/** Responses larger than this many bytes are rejected: 1 MiB, far above any discovery or JWKS document. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Settings of an HTTPS GET to the issuer. */
export interface HTTPSGetOptions {
  /** PEM CA bundle that the server certificate must chain to. Omit to use Node's root CAs. */
  readonly ca?: string;
  /** Time in ms after which the request is aborted. */
  readonly timeoutMs: number;
  /** Aborts the request early. */
  readonly signal?: AbortSignal;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The status, headers and body of a completed HTTPS GET. */
export interface HTTPSGetResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/**
 * Sends a GET to an `https:` URL and returns the whole response. Redirects are returned, not
 * followed. The global fetch cannot take a custom CA on Node 20 without importing undici, so the
 * request goes through node:https.
 *
 * @throws Error when the URL is not https, the connection or TLS handshake fails, the timeout
 * or signal aborts the request, or the body exceeds MAX_RESPONSE_BYTES.
 */
export function httpsGet(url: URL, options: HTTPSGetOptions): Promise<HTTPSGetResponse> {
  if (url.protocol !== 'https:') {
    return Promise.reject(new Error(`unable to fetch ${url.href}: only https URLs are allowed`));
  }
  const signals = [AbortSignal.timeout(options.timeoutMs)];
  if (options.signal !== undefined) signals.push(options.signal);

  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...options.headers },
      ca: options.ca,
      signal: AbortSignal.any(signals),
    });
    req.on('error', (err) => reject(new Error(`unable to fetch ${url.href}`, { cause: err })));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new Error(`response is larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => reject(new Error(`unable to fetch ${url.href}`, { cause: err })));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') headers.set(name, value);
          else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}

/** Fetches an https URL and parses its 200 response as JSON. */
export async function httpsGetJSON(url: URL, options: HTTPSGetOptions): Promise<unknown> {
  const response = await httpsGet(url, options);
  if (response.status !== 200) {
    throw new Error(`unable to fetch ${url.href}: expected status 200, got ${response.status}`);
  }
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch (err) {
    throw new Error(`unable to fetch ${url.href}: the body is not valid JSON`, { cause: err });
  }
}
