import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/**
 * Removes a header from a request, both from the parsed headers and from the raw header lines
 * that filters read repeated values from. Used to drop credentials and impersonation headers
 * once a filter has consumed them.
 */
export function deleteRequestHeader(req: IncomingMessage | Http2ServerRequest, name: string): void {
  deleteRequestHeaders(req, (candidate) => candidate === name.toLowerCase());
}

/** Removes every header whose lower-cased name satisfies `matches`. */
export function deleteRequestHeaders(
  req: IncomingMessage | Http2ServerRequest,
  matches: (lowerCaseName: string) => boolean,
): void {
  for (const key of Object.keys(req.headers)) {
    if (matches(key.toLowerCase())) delete req.headers[key];
  }
  const raw = req.rawHeaders;
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!matches(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  }
  raw.splice(0, raw.length, ...kept);
}
