import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { freePort } from '../helpers/e2e/apiserver_process.js';
import { postSelfSubjectReview, reviewedUser, type Endpoint } from '../helpers/e2e/http_client.js';
import { expectRejection } from '../helpers/e2e/rejection.js';

describe('insecure port with --insecure-port', function () {
  let server: TestServer;
  let port: number;
  let insecure: Endpoint;

  before(async function () {
    port = await freePort();
    server = await startTestServer([`--insecure-port=${port}`]);
    insecure = { url: `http://127.0.0.1:${port}`, caPem: '' };
  });

  after(async function () {
    await server?.stop();
  });

  it('listens on the requested port', function () {
    expect(server.server.insecurePort).to.equal(port);
  });

  const cases: { name: string; token: string | undefined }[] = [
    { name: 'without credentials', token: undefined },
    { name: 'with an unknown token', token: 'not-a-known-token' },
  ];
  for (const tc of cases) {
    it(`plain HTTP ${tc.name} is system:unsecured`, async function () {
      const reply = await postSelfSubjectReview(insecure, { token: tc.token });

      expect(reply.status).to.equal(201);
      const user = reviewedUser(reply);
      expect(user.username).to.equal('system:unsecured');
      expect(user.groups).to.deep.equal(['system:masters', 'system:authenticated']);
    });
  }

  it('secure port still authenticates', async function () {
    const reply = await postSelfSubjectReview(server, { token: 'not-a-known-token' });

    expect(reply.status).to.equal(401);
  });

  const addressCases = ['0.0.0.0', '192.0.2.10', '::'];
  for (const address of addressCases) {
    it(`bind address ${address} rejected at start`, async function () {
      const err = await expectRejection(
        startTestServer([`--insecure-port=${port}`, `--insecure-bind-address=${address}`]),
      );

      expect((err as Error).message).to.equal(
        `--insecure-bind-address: "${address}" is not a loopback address: the insecure port skips authentication, so it may only listen on 127.0.0.0/8 or ::1`,
      );
    });
  }
});
