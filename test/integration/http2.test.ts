import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import {
  connect,
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';
import { Agent, request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  reviewedUser,
  SELF_SUBJECT_REVIEW_JSON,
  SELF_SUBJECT_REVIEWS_PATH,
} from '../helpers/e2e/http_client.js';

interface StreamReply {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends one request on an HTTP/2 session and reads the whole response. */
function requestOnSession(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body?: string,
): Promise<StreamReply> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers);
    let responseHeaders: IncomingHttpHeaders = {};
    let text = '';
    stream.setEncoding('utf8');
    stream.on('response', (received) => (responseHeaders = received));
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve({ headers: responseHeaders, body: text }));
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('HTTP/2 and HTTP/1.1 on the secure port', function () {
  let server: TestServer;
  let session: ClientHttp2Session;

  before(async function () {
    server = await startTestServer();
    session = connect(server.url, { ca: server.caPem });
    await new Promise<void>((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('error', reject);
    });
  });

  after(async function () {
    session?.close();
    await server?.stop();
  });

  it('ALPN negotiates h2', function () {
    expect(session.alpnProtocol).to.equal('h2');
  });

  it('h2 GET /healthz', async function () {
    const reply = await requestOnSession(session, { ':method': 'GET', ':path': '/healthz' });

    expect(reply.headers[':status']).to.equal(200);
    expect(reply.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(reply.body).to.equal('ok');
  });

  it('h2 review with admin token', async function () {
    const reply = await requestOnSession(
      session,
      {
        ':method': 'POST',
        ':path': SELF_SUBJECT_REVIEWS_PATH,
        authorization: `Bearer ${server.adminToken}`,
        'content-type': 'application/json',
      },
      SELF_SUBJECT_REVIEW_JSON,
    );

    expect(reply.headers[':status']).to.equal(201);
    const user = reviewedUser({ status: 201, headers: {}, body: reply.body });
    expect(user.username).to.equal('admin');
    expect(user.groups).to.deep.equal(['system:masters', 'system:authenticated']);
  });

  it('h2 keeps repeated impersonation groups apart', async function () {
    const reply = await requestOnSession(
      session,
      {
        ':method': 'POST',
        ':path': SELF_SUBJECT_REVIEWS_PATH,
        authorization: `Bearer ${server.adminToken}`,
        'content-type': 'application/json',
        'impersonate-user': 'jane',
        'impersonate-group': ['devs', 'qa'],
      },
      SELF_SUBJECT_REVIEW_JSON,
    );

    expect(reply.headers[':status']).to.equal(201);
    const user = reviewedUser({ status: 201, headers: {}, body: reply.body });
    expect(user.username).to.equal('jane');
    expect(user.groups).to.deep.equal(['devs', 'qa', 'system:authenticated']);
  });

  it('h2 unauthorized gets 401 Status', async function () {
    const reply = await requestOnSession(session, {
      ':method': 'GET',
      ':path': '/healthz',
      authorization: 'Bearer not-a-known-token',
    });

    expect(reply.headers[':status']).to.equal(401);
    expect(JSON.parse(reply.body)).to.deep.include({ reason: 'Unauthorized', code: 401 });
  });

  it('HTTP/1.1 client still served', async function () {
    const url = new URL(server.url);
    const agent = new Agent({ ca: server.caPem, ALPNProtocols: ['http/1.1'] });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = httpsRequest(
        { host: url.hostname, port: url.port, path: '/healthz', agent },
        resolve,
      );
      request.on('error', reject);
      request.end();
    });
    const alpnProtocol = (response.socket as TLSSocket).alpnProtocol;
    let body = '';
    response.setEncoding('utf8');
    for await (const chunk of response) body += chunk as string;
    agent.destroy();

    expect(response.httpVersion).to.equal('1.1');
    expect(alpnProtocol).to.equal('http/1.1');
    expect(response.statusCode).to.equal(200);
    expect(body).to.equal('ok');
  });
});
