import { request } from 'node:https';

/** A finished HTTPS exchange. */
export interface HTTPSResult {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookies: readonly string[];
  readonly body: string;
}

/** A request of the login flow. Redirects are returned, never followed. */
export interface HTTPSRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** PEM CA that the server certificate must chain to. */
  readonly ca: string;
  readonly headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: URLSearchParams;
}

/** Sends one HTTPS request to the test issuer and reads the whole response. */
export function sendHTTPS(options: HTTPSRequest): Promise<HTTPSResult> {
  const body = options.form?.toString();
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(options.url, { method: options.method, headers, ca: options.ca });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          setCookies: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(body);
  });
}

/** Cookies by name, for a flow against one host. Paths and expiry dates are ignored. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Stores the cookies of Set-Cookie headers. A cookie set to an empty value is removed. */
  store(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const pair = header.split(';', 1)[0] ?? '';
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Returns the value of a Cookie header carrying every stored cookie. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
