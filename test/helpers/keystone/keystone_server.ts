import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  generateCA,
  generateServingCert,
  type CertificateKeyPair,
} from '../../../cmd/apiserver/app/bootstrap/pki.js';

/** A Keystone domain as tokens show it. */
export interface KeystoneDomain {
  readonly id: string;
  readonly name: string;
}

/** The domain Keystone creates at installation. */
export const DEFAULT_DOMAIN: KeystoneDomain = { id: 'default', name: 'Default' };

/** A user of the test Keystone. */
export interface KeystoneUser {
  readonly id: string;
  readonly name: string;
  readonly password: string;
  /** Defaults to DEFAULT_DOMAIN. */
  readonly domain?: KeystoneDomain;
}

/** One request the test Keystone received, with the password of the body replaced. */
export interface RecordedKeystoneRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly contentType: string | undefined;
  /** The parsed JSON body, or undefined when it did not parse. Passwords read `<redacted>`. */
  readonly body: unknown;
}

/** How the test Keystone responds, whatever the users and passwords. */
export type KeystoneBehaviour =
  /** Checks the password, as Keystone does. */
  | { readonly kind: 'normal' }
  /** Responds to every request with this status and Keystone's error body. */
  | { readonly kind: 'status'; readonly status: number }
  /** Reads the request and never responds, until the server stops. */
  | { readonly kind: 'hang' };

/** The CA and serving certificate of a test Keystone on 127.0.0.1. */
export interface KeystoneTLS {
  readonly caPem: string;
  readonly serving: CertificateKeyPair;
}

/** A running test Keystone on https://127.0.0.1:PORT. */
export interface KeystoneServer {
  /** `https://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem: string;
  /** Every request received so far, in order. */
  readonly requests: readonly RecordedKeystoneRequest[];
  /** Number of requests received so far. */
  readonly requestCount: number;
  /** Changes how the server responds to later requests. */
  setBehaviour(behaviour: KeystoneBehaviour): void;
  /** Stops listening and closes every connection, hung requests included. */
  stop(): Promise<void>;
}

/** How to start a test Keystone. */
export interface KeystoneServerOptions {
  readonly users: readonly KeystoneUser[];
  /** Certificates to serve. By default a new CA and certificate are generated (about 1 s). */
  readonly tls?: KeystoneTLS;
}

/** Tokens of the test Keystone expire this long after they are issued, as Keystone's default. */
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const TOKENS_PATH = '/v3/auth/tokens';

/** Reason phrases of the error titles Keystone sends. */
const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Generates a CA and a serving certificate for 127.0.0.1 and localhost. */
export function generateKeystoneTLS(): KeystoneTLS {
  const ca = generateCA('keystone-test-ca');
  const serving = generateServingCert(ca, { dnsNames: ['localhost'], ips: ['127.0.0.1'] });
  return { caPem: ca.certPem, serving };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sendJSON(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    Vary: 'X-Auth-Token',
    'x-openstack-request-id': `req-${randomUUID()}`,
    ...headers,
  });
  response.end(text);
}

/** Sends Keystone's error body: `{"error": {"code", "title", "message"}}`. */
function sendError(
  response: ServerResponse,
  status: number,
  message: string,
  headers?: Record<string, string>,
): void {
  const title = TITLES[status] ?? 'Error';
  sendJSON(response, status, { error: { code: status, title, message } }, headers);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', reject);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The user reference of a password request: by ID, or by name within a domain. */
type UserReference =
  | { readonly by: 'id'; readonly id: string; readonly password: string }
  | {
      readonly by: 'name';
      readonly name: string;
      readonly domain: { readonly id?: string; readonly name?: string };
      readonly password: string;
    };

/**
 * Reads the user of a v3 password request, or returns the validation message for a malformed
 * body, in the spirit of Keystone's JSON schema for POST /v3/auth/tokens.
 */
function parsePasswordRequest(body: unknown): UserReference | string {
  const identity = isObject(body) && isObject(body.auth) ? body.auth.identity : undefined;
  if (!isObject(identity)) return "'identity' is a required property in 'auth'";

  const methods = identity.methods;
  if (!Array.isArray(methods) || !methods.every((method) => typeof method === 'string')) {
    return "'methods' must be a list of strings in 'identity'";
  }
  if (!methods.includes('password')) return 'only the password method is supported';

  const password = identity.password;
  const user = isObject(password) ? password.user : undefined;
  if (!isObject(user)) return "'user' is a required property in 'identity/password'";
  if (typeof user.password !== 'string') {
    return "'password' must be a string in 'identity/password/user'";
  }
  if (typeof user.id === 'string') return { by: 'id', id: user.id, password: user.password };

  if (typeof user.name !== 'string') {
    return "either 'id' or 'name' is required in 'identity/password/user'";
  }
  const domain = user.domain;
  if (!isObject(domain)) return "'domain' is required in 'identity/password/user' with 'name'";
  const domainID = typeof domain.id === 'string' ? domain.id : undefined;
  const domainName = typeof domain.name === 'string' ? domain.name : undefined;
  if (domainID === undefined && domainName === undefined) {
    return "either 'id' or 'name' is required in 'identity/password/user/domain'";
  }
  return {
    by: 'name',
    name: user.name,
    domain: { id: domainID, name: domainName },
    password: user.password,
  };
}

/** Returns a copy of a request body with the user password replaced, for recording. */
function redactPassword(body: unknown): unknown {
  const copy = structuredClone(body);
  const identity = isObject(copy) && isObject(copy.auth) ? copy.auth.identity : undefined;
  const password = isObject(identity) ? identity.password : undefined;
  const user = isObject(password) ? password.user : undefined;
  if (isObject(user) && 'password' in user) user.password = '<redacted>';
  return copy;
}

function findUser(
  users: readonly KeystoneUser[],
  reference: UserReference,
): KeystoneUser | undefined {
  if (reference.by === 'id') return users.find((user) => user.id === reference.id);
  return users.find((user) => {
    const domain = user.domain ?? DEFAULT_DOMAIN;
    const domainMatches =
      reference.domain.id !== undefined
        ? domain.id === reference.domain.id
        : domain.name === reference.domain.name;
    return user.name === reference.name && domainMatches;
  });
}

/** Builds the body of a 201 for an unscoped password token. */
function tokenBody(user: KeystoneUser, issuedAt: Date): unknown {
  return {
    token: {
      methods: ['password'],
      user: {
        domain: user.domain ?? DEFAULT_DOMAIN,
        id: user.id,
        name: user.name,
        password_expires_at: null,
      },
      audit_ids: [randomBytes(16).toString('base64url').slice(0, 22)],
      expires_at: new Date(issuedAt.getTime() + TOKEN_LIFETIME_MS).toISOString(),
      issued_at: issuedAt.toISOString(),
    },
  };
}

/**
 * Starts a test OpenStack Keystone on 127.0.0.1 and a free port that serves
 * `POST /v3/auth/tokens` with the password method, as the Identity API v3 reference describes.
 * A known user with the right password gets 201 with `X-Subject-Token` and the token. An unknown
 * user or a wrong password gets 401, and a body that is not a password request gets 400. Other
 * paths get 404, and other methods on the path 405. Every request is counted and recorded.
 *
 * Passwords are compared through their SHA-256 digests with timingSafeEqual, and a request for
 * an unknown user is compared against an empty digest, so both take the same time.
 */
export async function startKeystoneServer(options: KeystoneServerOptions): Promise<KeystoneServer> {
  const tls = options.tls ?? generateKeystoneTLS();
  const digests = new Map(options.users.map((user) => [user, sha256(user.password)]));
  const noUserDigest = sha256('');
  const requests: RecordedKeystoneRequest[] = [];
  let behaviour: KeystoneBehaviour = { kind: 'normal' };
  let origin = '';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      contentType: request.headers['content-type'],
      body: body === undefined ? undefined : redactPassword(body),
    });

    if (behaviour.kind === 'hang') return;
    if (behaviour.kind === 'status') {
      sendError(
        response,
        behaviour.status,
        'The test Keystone is configured to fail every request.',
      );
      return;
    }
    const path = new URL(request.url ?? '/', 'https://keystone.invalid').pathname;
    if (path !== TOKENS_PATH) {
      sendError(response, 404, 'No resource exists at this path.');
      return;
    }
    if (request.method !== 'POST') {
      sendError(response, 405, 'Only POST is supported on this path.', {
        Allow: 'POST',
      });
      return;
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      sendError(response, 415, 'The request body must be application/json.');
      return;
    }
    if (body === undefined) {
      sendError(response, 400, 'The request body is not valid JSON.');
      return;
    }
    const reference = parsePasswordRequest(body);
    if (typeof reference === 'string') {
      sendError(response, 400, `Invalid input for the request: ${reference}.`);
      return;
    }

    const user = findUser(options.users, reference);
    const expected = (user === undefined ? undefined : digests.get(user)) ?? noUserDigest;
    const matches = timingSafeEqual(expected, sha256(reference.password));
    if (user === undefined || !matches) {
      sendError(response, 401, 'The user name or password is invalid.', {
        'WWW-Authenticate': `Keystone uri="${origin}"`,
      });
      return;
    }
    const subjectToken = randomBytes(16).toString('hex');
    sendJSON(response, 201, tokenBody(user, new Date()), { 'X-Subject-Token': subjectToken });
  }

  const server: Server = createServer(
    { cert: tls.serving.certPem, key: tls.serving.keyPem },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `https://127.0.0.1:${port}`;

  return {
    url: origin,
    caPem: tls.caPem,
    requests,
    get requestCount() {
      return requests.length;
    },
    setBehaviour(next) {
      behaviour = next;
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
