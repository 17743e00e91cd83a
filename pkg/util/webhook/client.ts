import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeconfigConnection } from '../kubeconfig/kubeconfig.js';
import { WebhookHTTPError } from './backoff.js';

/**
 * Absolute limit of one webhook request, reading the response included. kube-apiserver sets the
 * same 30 s (defaultRequestTimeout in k8s.io/apiserver/pkg/util/webhook), because a kubeconfig
 * cannot set a timeout.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Webhook responses larger than this are cut off, so a broken webhook cannot fill memory. */
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

function requestOptions(connection: KubeconfigConnection, body: Buffer): RequestOptions {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'Content-Length': String(body.length),
  };
  if (connection.bearerToken !== undefined) {
    headers.Authorization = `Bearer ${connection.bearerToken}`;
  }
  const url = connection.server;
  return {
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    ca: connection.caPem,
    cert: connection.clientCertPem,
    key: connection.clientKeyPem,
    rejectUnauthorized: !connection.insecureSkipTLSVerify,
    servername: connection.tlsServerName,
    // A new connection per request keeps certificate checks and test servers simple.
    agent: false,
  } as RequestOptions;
}

function readResponse(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy(new Error(`webhook response is larger than ${MAX_RESPONSE_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Describes a non-2xx response by its status code and, when the body is a Kubernetes `Status`,
 * its message. Other bodies are left out, because they may echo the request and its token.
 */
function httpErrorOf(response: IncomingMessage, body: Buffer): WebhookHTTPError {
  const code = response.statusCode ?? 0;
  let detail = '';
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { kind?: unknown; message?: unknown };
    if (parsed.kind === 'Status' && typeof parsed.message === 'string') {
      detail = `: ${parsed.message}`;
    }
  } catch {
    // Not JSON: keep the status code only.
  }
  const hasRetryAfter = response.headers['retry-after'] !== undefined;
  return new WebhookHTTPError(code, hasRetryAfter, `webhook responded with HTTP ${code}${detail}`);
}

/**
 * Posts a JSON object to the connection's server URL and returns the parsed JSON response.
 * @throws WebhookHTTPError for a non-2xx response; Error for a network or TLS failure, a
 * timeout after `timeoutMs`, an abort of `signal`, or a body that is not JSON.
 */
export async function postJSON(
  connection: KubeconfigConnection,
  object: unknown,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<unknown> {
  signal.throwIfAborted();
  const body = Buffer.from(JSON.stringify(object), 'utf8');
  const send = connection.server.protocol === 'https:' ? httpsRequest : httpRequest;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = send(requestOptions(connection, body), resolve);
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`webhook request timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = (): void => {
      outgoing.destroy(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('close', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  const responseBody = await readResponse(response);
  const code = response.statusCode ?? 0;
  if (code < 200 || code > 299) throw httpErrorOf(response, responseBody);
  try {
    return JSON.parse(responseBody.toString('utf8')) as unknown;
  } catch (err) {
    throw new Error(`webhook response is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
