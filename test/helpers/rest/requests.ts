import { fileURLToPath } from 'node:url';
import { send, type Endpoint, type Reply } from '../e2e/http_client.js';

/** A server and the admin bearer token that tests send to it. */
export interface AdminEndpoint extends Endpoint {
  readonly adminToken: string;
}

/** One cause of a 422 Invalid Status. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The meta/v1 Status that the server sends with every error reply. */
export interface Status {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: StatusCause[] };
}

/** An object as the server returns it, with the metadata fields tests read. */
export interface APIObject {
  kind?: string;
  apiVersion?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    continue?: string;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  items?: APIObject[];
}

/** The folder of the YAML manifests that tests pass to kubectl. */
const MANIFESTS_DIR = new URL('../../../../test/testdata/manifests/', import.meta.url);

/** Returns the absolute path of a manifest in test/testdata/manifests. */
export function manifestPath(fileName: string): string {
  return fileURLToPath(new URL(fileName, MANIFESTS_DIR));
}

/**
 * Sends a request with the admin token. A `body` that is not a string is sent as JSON.
 * `contentType` defaults to application/json and is left out for requests without a body.
 */
export function requestAsAdmin(
  server: AdminEndpoint,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<Reply> {
  const headers: [string, string][] = [['Accept', 'application/json']];
  if (body !== undefined) headers.push(['Content-Type', contentType]);
  return send(server, {
    method,
    path,
    headers,
    credentials: { token: server.adminToken },
    body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Parses a reply body as JSON of type T. */
export function parseBody<T>(reply: Reply): T {
  return JSON.parse(reply.body) as T;
}

/** Returns a minimal Pod with one container, `name` and `labels`. */
export function podManifest(name: string, labels: Record<string, string> = {}): APIObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'main', image: 'busybox:1' }] },
  };
}

/** Returns a Namespace called `name`. */
export function namespaceManifest(name: string): APIObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/**
 * Creates a namespace and then each pod in it.
 * @throws Error naming the object when the server does not return 201 Created.
 */
export async function createPods(
  server: AdminEndpoint,
  namespace: string,
  pods: readonly APIObject[],
): Promise<void> {
  const created = await requestAsAdmin(
    server,
    'POST',
    '/api/v1/namespaces',
    namespaceManifest(namespace),
  );
  if (created.status !== 201)
    throw new Error(`failed to create namespace ${namespace}: ${created.body}`);
  for (const pod of pods) {
    const reply = await requestAsAdmin(server, 'POST', `/api/v1/namespaces/${namespace}/pods`, pod);
    if (reply.status !== 201)
      throw new Error(`failed to create pod ${pod.metadata.name}: ${reply.body}`);
  }
}
