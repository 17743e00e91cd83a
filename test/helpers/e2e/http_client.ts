import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Where a server listens and the CA that signed its serving certificate. */
export interface Endpoint {
  /** `https://127.0.0.1:PORT`, or `http://127.0.0.1:PORT` for the insecure port. */
  readonly url: string;
  /** PEM of the CA, ignored for plain HTTP. */
  readonly caPem: string;
}

/** How a request authenticates; leave every field unset for an anonymous request. */
export interface Credentials {
  readonly token?: string;
  readonly clientCertPem?: string;
  readonly clientKeyPem?: string;
}

/** A request to send. */
export interface RequestSpec {
  /** HTTP method, GET by default. */
  readonly method?: string;
  /** Path and query, starting with `/`. */
  readonly path: string;
  /**
   * Extra header lines as name and value pairs. A name given twice becomes two header lines,
   * which Node would otherwise join into one line.
   */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly credentials?: Credentials;
}

/** A complete response. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A request whose body the caller writes, to hold the request open on the server. */
export interface OpenRequest {
  /** Sends part of the body now. */
  write(chunk: string | Uint8Array): void;
  /** Sends the rest of the body and finishes the request. */
  end(chunk?: string | Uint8Array): void;
  /** Closes the connection without finishing the request. */
  destroy(): void;
  /** Resolves with the response, or rejects when the connection fails. */
  readonly reply: Promise<Reply>;
}

/** The selfsubjectreviews path, which returns the user a request authenticated as. */
export const SELF_SUBJECT_REVIEWS_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

/** A minimal SelfSubjectReview in JSON. */
export const SELF_SUBJECT_REVIEW_JSON = JSON.stringify({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'SelfSubjectReview',
});

/**
 * Opens a request with a Content-Length of `contentLength` bytes and sends its headers at once,
 * but none of the body. Header lines go out exactly as listed, so repeated names stay separate.
 * Uses a new connection without keep-alive.
 */
export function openRequest(
  endpoint: Endpoint,
  spec: RequestSpec,
  contentLength: number | undefined,
): OpenRequest {
  const url = new URL(endpoint.url);
  const lines: string[] = ['Host', url.host];
  const credentials = spec.credentials ?? {};
  if (credentials.token !== undefined) lines.push('Authorization', `Bearer ${credentials.token}`);
  for (const [name, value] of spec.headers ?? []) lines.push(name, value);
  if (contentLength !== undefined) lines.push('Content-Length', String(contentLength));

  const options = {
    host: url.hostname,
    port: url.port,
    method: spec.method ?? 'GET',
    path: spec.path,
    headers: lines,
    agent: false as const,
  };
  let resolveReply: (reply: Reply) => void = () => undefined;
  let rejectReply: (err: Error) => void = () => undefined;
  const reply = new Promise<Reply>((resolve, reject) => {
    resolveReply = resolve;
    rejectReply = reject;
  });
  const onResponse = (response: IncomingMessage): void => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', rejectReply);
    response.on('end', () =>
      resolveReply({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  };
  const request =
    url.protocol === 'https:'
      ? httpsRequest(
          {
            ...options,
            ca: endpoint.caPem,
            cert: credentials.clientCertPem,
            key: credentials.clientKeyPem,
          },
          onResponse,
        )
      : httpRequest(options, onResponse);
  request.on('error', rejectReply);
  request.flushHeaders();
  return {
    write: (chunk) => void request.write(chunk),
    end: (chunk) => void (chunk === undefined ? request.end() : request.end(chunk)),
    destroy: () => void request.destroy(),
    reply,
  };
}

/** Sends a request with an optional body and returns the complete response. */
export function send(
  endpoint: Endpoint,
  spec: RequestSpec & { body?: string | Uint8Array },
): Promise<Reply> {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const open = openRequest(endpoint, spec, body?.length);
  open.end(body);
  return open.reply;
}

/** POSTs a JSON SelfSubjectReview and returns the response. */
export function postSelfSubjectReview(
  endpoint: Endpoint,
  credentials: Credentials = {},
  headers: ReadonlyArray<readonly [string, string]> = [],
): Promise<Reply> {
  return send(endpoint, {
    method: 'POST',
    path: SELF_SUBJECT_REVIEWS_PATH,
    headers: [['Content-Type', 'application/json'], ...headers],
    credentials,
    body: SELF_SUBJECT_REVIEW_JSON,
  });
}

/** The user a SelfSubjectReview response reports. */
export interface ReviewedUser {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** Reads status.userInfo from a SelfSubjectReview response body. */
export function reviewedUser(reply: Reply): ReviewedUser {
  const parsed = JSON.parse(reply.body) as { status?: { userInfo?: ReviewedUser } };
  return parsed.status?.userInfo ?? {};
}

/** A SelfSubjectReview whose body is only partly sent, so the server keeps it in flight. */
export interface HeldReview {
  /** Sends the rest of the body, which lets the server finish the request. */
  finish(): void;
  /** Closes the connection without finishing the request. */
  destroy(): void;
  readonly reply: Promise<Reply>;
}

/** Bytes of the body that holdReview sends at once. */
const HELD_PREFIX_BYTES = 10;

/**
 * POSTs a JSON SelfSubjectReview but sends only the headers and the first 10 bytes of the body.
 * The server passes the request through its filters and then waits in the handler for the rest,
 * holding the request open until finish() or destroy().
 */
export function holdReview(endpoint: Endpoint, credentials: Credentials): HeldReview {
  const body = Buffer.from(SELF_SUBJECT_REVIEW_JSON);
  const open = openRequest(
    endpoint,
    {
      method: 'POST',
      path: SELF_SUBJECT_REVIEWS_PATH,
      headers: [['Content-Type', 'application/json']],
      credentials,
    },
    body.length,
  );
  open.write(body.subarray(0, HELD_PREFIX_BYTES));
  return {
    finish: () => open.end(body.subarray(HELD_PREFIX_BYTES)),
    destroy: () => open.destroy(),
    reply: open.reply,
  };
}
