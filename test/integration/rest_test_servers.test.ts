import { expect } from 'chai';
import { createServer } from 'node:net';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { expectRejection } from '../helpers/e2e/rejection.js';
import {
  namespaceManifest,
  parseBody,
  requestAsAdmin,
  type Status,
} from '../helpers/rest/requests.js';

/** Resolves when a new TCP server could listen on 127.0.0.1:`port`, then closes it. */
async function listenOnce(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function portOf(server: TestServer): number {
  return Number(new URL(server.url).port);
}

describe('two test servers in one process', function () {
  let first: TestServer;
  let second: TestServer;

  before(async function () {
    [first, second] = await Promise.all([startTestServer(), startTestServer()]);
  });

  after(async function () {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('use different ports and data folders', function () {
    expect(portOf(first)).to.not.equal(portOf(second));
    expect(first.dataDir).to.not.equal(second.dataDir);
  });

  it('object in one is absent in other', async function () {
    const created = await requestAsAdmin(
      first,
      'POST',
      '/api/v1/namespaces',
      namespaceManifest('only-first'),
    );
    const inFirst = await requestAsAdmin(first, 'GET', '/api/v1/namespaces/only-first');
    const inSecond = await requestAsAdmin(second, 'GET', '/api/v1/namespaces/only-first');

    expect(created.status, created.body).to.equal(201);
    expect(inFirst.status).to.equal(200);
    expect(inSecond.status).to.equal(404);
    expect(parseBody<Status>(inSecond).message).to.equal('namespaces "only-first" not found');
  });

  it('stop frees the port', async function () {
    const server = await startTestServer();
    const port = portOf(server);

    await server.stop();

    await listenOnce(port);
    const err = await expectRejection(requestAsAdmin(server, 'GET', '/version'));
    expect((err as NodeJS.ErrnoException).code).to.equal('ECONNREFUSED');
  });
});
