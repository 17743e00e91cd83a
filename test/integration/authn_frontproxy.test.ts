import { expect } from 'chai';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import {
  authenticationRequestFrom,
  distinctHeaders,
} from '../../pkg/auth/authenticator/request_view.js';
import type { UserInfo } from '../../pkg/auth/user/user.js';
import {
  requestHeaderAuthenticator,
  requestHeaderNamesToRemove,
} from '../../plugin/auth/authenticator/request/headerrequest/requestheader.js';
import type { TestCertificate } from '../unit/plugin/auth/authenticator/request/headerrequest/testcerts.js';
import { issueCertificate } from '../unit/plugin/auth/authenticator/request/headerrequest/testcerts.js';

/** What the backend returns: the authentication outcome and the headers left after removal. */
interface BackendReply {
  readonly kind: string;
  readonly user?: UserInfo;
  readonly remainingHeaders: string[];
}

/** A client certificate and its key, as node:https takes them. */
interface ClientIdentity {
  readonly cert: string;
  readonly key: string;
}

const REQUEST_HEADER_CONFIG = {
  allowedNames: ['front-proxy'],
  usernameHeaders: ['X-Remote-User'],
  groupHeaders: ['X-Remote-Group'],
  extraHeaderPrefixes: ['X-Remote-Extra-'],
};

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server | undefined): Promise<void> {
  if (server === undefined) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Sends a GET over TLS to 127.0.0.1 and returns the status and body. */
function get(
  port: number,
  options: { ca: string; headers?: OutgoingHttpHeaders; client?: ClientIdentity },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        ca: options.ca,
        headers: options.headers,
        ...(options.client ?? {}),
        // A fresh connection per request, so each one presents its own client certificate.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts the backend: a Koa app on HTTPS that requests client certificates, authenticates each
 * request with the front-proxy authenticator and replies with the outcome.
 */
async function startBackend(
  serving: TestCertificate,
  requestHeaderCA: TestCertificate,
): Promise<{ server: Server; port: number }> {
  const config = { clientCA: [requestHeaderCA.x509], ...REQUEST_HEADER_CONFIG };
  const authenticator = requestHeaderAuthenticator(config);
  const headersToRemove = requestHeaderNamesToRemove(config);

  const app = new Koa();
  app.use(async (ctx) => {
    const signal = new AbortController().signal;
    const names = [...distinctHeaders(ctx.req.rawHeaders).keys()];
    const view = { ...authenticationRequestFrom(ctx.req, signal), headerNames: () => names };
    const result = await authenticator.authenticateRequest(view);
    if (result.kind === 'authenticated') {
      for (const name of names) if (headersToRemove.matches(name)) delete ctx.req.headers[name];
    }
    const remainingHeaders = Object.keys(ctx.req.headers).filter((name) =>
      name.startsWith('x-remote-'),
    );
    const reply: BackendReply =
      result.kind === 'authenticated'
        ? { kind: result.kind, user: result.user, remainingHeaders }
        : { kind: result.kind, remainingHeaders };
    ctx.body = reply;
  });

  const callback = app.callback();
  const server = createServer(
    { cert: serving.certPem, key: serving.keyPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => void callback(req, res),
  );
  return { server, port: await listen(server) };
}

/** Users of the test front proxy, by bearer token. */
const PROXY_USERS: Record<string, { name: string; groups: string[]; extra: [string, string[]][] }> =
  {
    'alice-token': {
      name: 'alice',
      groups: ['devs', 'ops'],
      extra: [
        ['X-Remote-Extra-Scopes', ['read', 'write']],
        ['X-Remote-Extra-Acme.com%2fProject', ['apollo']],
      ],
    },
  };

/**
 * Starts a front proxy like an authenticating gateway: it terminates the user's TLS, checks the
 * user's bearer token, drops identity headers the user sent, adds X-Remote-* headers for the
 * user and forwards the request to the backend over TLS with its own client certificate.
 */
async function startFrontProxy(
  serving: TestCertificate,
  servingCA: TestCertificate,
  proxyClient: ClientIdentity,
  backendPort: number,
): Promise<{ server: Server; port: number }> {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const user = PROXY_USERS[token];
    if (user === undefined) {
      res.writeHead(401).end();
      return;
    }
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith('x-remote-') || name === 'authorization') continue;
      headers[name] = value;
    }
    headers['X-Remote-User'] = user.name;
    // An array value sends one header line per group.
    headers['X-Remote-Group'] = user.groups;
    for (const [name, values] of user.extra) headers[name] = values;

    const upstream = httpsRequest(
      {
        host: '127.0.0.1',
        port: backendPort,
        path: req.url,
        method: req.method,
        headers,
        ca: servingCA.certPem,
        ...proxyClient,
        agent: false,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, handle);
  return { server, port: await listen(server) };
}

describe('front proxy authentication over TLS', function () {
  let servingCA: TestCertificate;
  let servingCert: TestCertificate;
  let proxyIdentity: ClientIdentity;
  let otherCAIdentity: ClientIdentity;
  const servers: Server[] = [];
  let backendPort: number;
  let proxyPort: number;
  let unlistedProxyPort: number;

  before(async function () {
    servingCA = issueCertificate({ cn: 'serving-ca', ca: true });
    servingCert = issueCertificate({
      cn: '127.0.0.1',
      issuer: servingCA,
      extKeyUsage: 'serverAuth',
      ips: ['127.0.0.1'],
    });
    const requestHeaderCA = issueCertificate({ cn: 'front-proxy-ca', ca: true });
    const proxyCert = issueCertificate({
      cn: 'front-proxy',
      issuer: requestHeaderCA,
      extKeyUsage: 'clientAuth',
    });
    const unlistedCert = issueCertificate({
      cn: 'other-proxy',
      issuer: requestHeaderCA,
      extKeyUsage: 'clientAuth',
    });
    // Same common name as the real proxy, but signed by a CA the backend does not trust.
    const otherCA = issueCertificate({ cn: 'front-proxy-ca', ca: true });
    const impostorCert = issueCertificate({
      cn: 'front-proxy',
      issuer: otherCA,
      extKeyUsage: 'clientAuth',
    });
    proxyIdentity = { cert: proxyCert.certPem, key: proxyCert.keyPem };
    otherCAIdentity = { cert: impostorCert.certPem, key: impostorCert.keyPem };

    const backend = await startBackend(servingCert, requestHeaderCA);
    servers.push(backend.server);
    backendPort = backend.port;
    const proxy = await startFrontProxy(servingCert, servingCA, proxyIdentity, backendPort);
    servers.push(proxy.server);
    proxyPort = proxy.port;
    const unlistedIdentity = { cert: unlistedCert.certPem, key: unlistedCert.keyPem };
    const unlisted = await startFrontProxy(servingCert, servingCA, unlistedIdentity, backendPort);
    servers.push(unlisted.server);
    unlistedProxyPort = unlisted.port;
  });

  after(async function () {
    await Promise.all(servers.map(close));
  });

  async function backendReply(
    port: number,
    options: { headers?: OutgoingHttpHeaders; client?: ClientIdentity },
  ): Promise<BackendReply> {
    const { status, body } = await get(port, { ca: servingCA.certPem, ...options });
    expect(status, body).to.equal(200);
    return JSON.parse(body) as BackendReply;
  }

  it('trusts headers from allowed proxy', async function () {
    const reply = await backendReply(proxyPort, {
      headers: { Authorization: 'Bearer alice-token', 'X-Remote-User': 'admin' },
    });
    expect(reply.kind).to.equal('authenticated');
    expect(reply.user?.name).to.equal('alice');
    expect(reply.user?.groups).to.deep.equal(['devs', 'ops']);
    expect(reply.user?.extra).to.deep.equal({
      scopes: ['read', 'write'],
      'acme.com/project': ['apollo'],
    });
    expect(reply.remainingHeaders).to.deep.equal([]);
  });

  const untrusted: {
    name: string;
    port: () => number;
    client?: () => ClientIdentity;
    headers: OutgoingHttpHeaders;
  }[] = [
    {
      name: 'headers sent directly',
      port: () => backendPort,
      headers: { 'X-Remote-User': 'alice', 'X-Remote-Group': 'system:masters' },
    },
    {
      name: 'certificate from another CA',
      port: () => backendPort,
      client: () => otherCAIdentity,
      headers: { 'X-Remote-User': 'alice', 'X-Remote-Group': 'system:masters' },
    },
    {
      name: 'proxy CN not allowed',
      port: () => unlistedProxyPort,
      headers: { Authorization: 'Bearer alice-token' },
    },
    {
      name: 'proxy certificate without user',
      port: () => backendPort,
      client: () => proxyIdentity,
      headers: { 'X-Remote-Group': 'system:masters' },
    },
  ];
  for (const tc of untrusted) {
    it(`ignores ${tc.name}`, async function () {
      const reply = await backendReply(tc.port(), {
        headers: tc.headers,
        ...(tc.client === undefined ? {} : { client: tc.client() }),
      });
      expect(reply.kind).to.equal('notApplicable');
      expect(reply.user).to.equal(undefined);
      expect(reply.remainingHeaders.length).to.be.greaterThan(0);
    });
  }
});
