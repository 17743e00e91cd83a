import { expect } from 'chai';
import { connect, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { freePort } from '../helpers/e2e/apiserver_process.js';
import {
  postSelfSubjectReview,
  reviewedUser,
  send,
  SELF_SUBJECT_REVIEW_JSON,
  SELF_SUBJECT_REVIEWS_PATH,
  type Endpoint,
  type Reply,
} from '../helpers/e2e/http_client.js';

/** More lines than Node's default HTTP/1.1 limit of 2000 raw entries (1000 header lines). */
const GROUP_COUNT = 1_500;
/** Unrelated header lines sent before the impersonation headers. */
const PADDING_COUNT = 1_100;

function groupNames(): string[] {
  return Array.from({ length: GROUP_COUNT }, (_, i) => `group-${i}`);
}

function paddingHeaders(): [string, string][] {
  return Array.from({ length: PADDING_COUNT }, (_, i) => [`X-Padding-${i}`, 'x']);
}

function groupHeaders(): [string, string][] {
  return groupNames().map((group) => ['Impersonate-Group', group]);
}

/** POSTs a SelfSubjectReview over HTTP/2 with the admin token and the given headers. */
function reviewOverHTTP2(
  session: ClientHttp2Session,
  token: string,
  headers: [string, string][],
): Promise<Reply> {
  // An array value goes out as one header field per element, so each group is its own field.
  const fields: OutgoingHttpHeaders = {
    ':method': 'POST',
    ':path': SELF_SUBJECT_REVIEWS_PATH,
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const existing = fields[key];
    fields[key] = existing === undefined ? value : [...[existing].flat().map(String), value];
  }
  return new Promise((resolve, reject) => {
    const stream = session.request(fields);
    let status = 0;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (received) => (status = Number(received[':status'])));
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => resolve({ status, headers: {}, body }));
    stream.on('error', reject);
    stream.end(SELF_SUBJECT_REVIEW_JSON);
  });
}

describe('header count limit', function () {
  let server: TestServer;
  let insecure: Endpoint;
  let session: ClientHttp2Session;

  before(async function () {
    const port = await freePort();
    server = await startTestServer([`--insecure-port=${port}`]);
    insecure = { url: `http://127.0.0.1:${port}`, caPem: '' };
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

  it('HTTP/1.1 keeps 1,500 group lines', async function () {
    const reply = await postSelfSubjectReview(server, { token: server.adminToken }, [
      ['Impersonate-User', 'jane'],
      ...groupHeaders(),
    ]);

    expect(reply.status).to.equal(201);
    const user = reviewedUser(reply);
    expect(user.username).to.equal('jane');
    expect(user.groups).to.have.length(GROUP_COUNT + 1);
    expect(user.groups).to.deep.equal([...groupNames(), 'system:authenticated']);
  });

  it('HTTP/1.1 reads user after padding', async function () {
    const reply = await postSelfSubjectReview(server, { token: server.adminToken }, [
      ...paddingHeaders(),
      ['Impersonate-User', 'jane'],
    ]);

    expect(reply.status).to.equal(201);
    expect(reviewedUser(reply).username).to.equal('jane');
  });

  it('HTTP/1.1 rejects over 1 MiB', async function () {
    const reply = await postSelfSubjectReview(server, { token: server.adminToken }, [
      ['X-Large', 'x'.repeat(1 << 20)],
    ]);

    expect(reply.status).to.equal(431);
  });

  it('insecure port reads YAML after padding', async function () {
    // The insecure port ignores impersonation, so a dropped Content-Type line is what shows:
    // without it the server would decode this YAML body as JSON and fail.
    const reply = await send(insecure, {
      method: 'POST',
      path: '/api/v1/namespaces',
      headers: [...paddingHeaders(), ['Content-Type', 'application/yaml']],
      body: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: padded\n',
    });

    expect(reply.status).to.equal(201);
    const created = JSON.parse(reply.body) as { metadata?: { name?: string } };
    expect(created.metadata?.name).to.equal('padded');
  });

  it('HTTP/2 keeps 1,500 group fields', async function () {
    const reply = await reviewOverHTTP2(session, server.adminToken, [
      ['Impersonate-User', 'jane'],
      ...groupHeaders(),
    ]);

    expect(reply.status).to.equal(201);
    const user = reviewedUser(reply);
    expect(user.username).to.equal('jane');
    expect(user.groups).to.deep.equal([...groupNames(), 'system:authenticated']);
  });

  it('HTTP/2 reads user after padding', async function () {
    const reply = await reviewOverHTTP2(session, server.adminToken, [
      ...paddingHeaders(),
      ['Impersonate-User', 'jane'],
    ]);

    expect(reply.status).to.equal(201);
    expect(reviewedUser(reply).username).to.equal('jane');
  });
});
