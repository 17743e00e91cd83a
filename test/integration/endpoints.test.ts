import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { send, SELF_SUBJECT_REVIEWS_PATH } from '../helpers/e2e/http_client.js';

const TEXT_PLAIN = 'text/plain; charset=utf-8';

describe('fixed endpoints of the secure port', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer();
  });

  after(async function () {
    await server?.stop();
  });

  describe('health', function () {
    const cases: { path: string; expectBody: string }[] = [
      { path: '/healthz', expectBody: 'ok' },
      { path: '/livez', expectBody: 'ok' },
      { path: '/readyz', expectBody: 'ok' },
      { path: '/healthz?verbose', expectBody: '[+]ping ok\nhealthz check passed\n' },
      { path: '/livez?verbose', expectBody: '[+]ping ok\nlivez check passed\n' },
      {
        path: '/readyz?verbose',
        expectBody: '[+]ping ok\n[+]shutdown ok\nreadyz check passed\n',
      },
      {
        path: '/readyz?verbose&exclude=shutdown',
        expectBody: '[+]ping ok\n[+]shutdown excluded: ok\nreadyz check passed\n',
      },
      {
        path: '/healthz?verbose&exclude=nope',
        expectBody:
          '[+]ping ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nhealthz check passed\n',
      },
      { path: '/healthz/ping', expectBody: 'ok' },
      { path: '/readyz/shutdown', expectBody: 'ok' },
    ];
    for (const tc of cases) {
      it(`GET ${tc.path}`, async function () {
        const reply = await send(server, { path: tc.path });

        expect(reply.status).to.equal(200);
        expect(reply.headers['content-type']).to.equal(TEXT_PLAIN);
        expect(reply.body).to.equal(tc.expectBody);
      });
    }
  });

  it('version reports 1.32 as indented JSON', async function () {
    const reply = await send(server, { path: '/version' });

    expect(reply.status).to.equal(200);
    expect(reply.headers['content-type']).to.equal('application/json');
    const version = JSON.parse(reply.body) as Record<string, string>;
    expect(version.major).to.equal('1');
    expect(version.minor).to.equal('32');
    expect(version.gitVersion).to.equal('v1.32.4');
    expect(version.platform).to.match(/^[a-z0-9]+\/[a-z0-9]+$/);
    expect(reply.body).to.equal(JSON.stringify(version, null, 2));
  });

  it('metrics count authenticated users', async function () {
    const review = await send(server, {
      method: 'POST',
      path: SELF_SUBJECT_REVIEWS_PATH,
      headers: [['Content-Type', 'application/json']],
      credentials: { token: server.adminToken },
      body: '{}',
    });
    expect(review.status).to.equal(201);

    const reply = await send(server, { path: '/metrics' });

    expect(reply.status).to.equal(200);
    expect(reply.headers['content-type']).to.equal('text/plain; version=0.0.4; charset=utf-8');
    expect(reply.body).to.contain('# TYPE authenticated_user_requests counter\n');
    expect(reply.body).to.match(/^authenticated_user_requests\{username="admin"\} [1-9]\d*$/m);
  });

  it('unknown path gets 404 Status', async function () {
    const reply = await send(server, { path: '/no/such/path' });

    expect(reply.status).to.equal(404);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(reply.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}\n',
    );
  });

  const methodCases = [
    { method: 'GET', path: SELF_SUBJECT_REVIEWS_PATH },
    { method: 'PUT', path: SELF_SUBJECT_REVIEWS_PATH },
    { method: 'POST', path: '/version' },
  ];
  for (const tc of methodCases) {
    it(`${tc.method} ${tc.path} gets 405`, async function () {
      const reply = await send(server, {
        method: tc.method,
        path: tc.path,
        credentials: { token: server.adminToken },
      });

      expect(reply.status).to.equal(405);
      expect(reply.headers['content-type']).to.equal('application/json');
      const status = JSON.parse(reply.body) as Record<string, unknown>;
      expect(status.kind).to.equal('Status');
      expect(status.reason).to.equal('MethodNotAllowed');
      expect(status.message).to.equal(
        'the server does not allow this method on the requested resource',
      );
      expect(status.code).to.equal(405);
    });
  }
});
