import { expect } from 'chai';
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { postSelfSubjectReview, send } from '../helpers/e2e/http_client.js';

/** Listens on 127.0.0.1:`port` and closes again. Rejects with EADDRINUSE when the port is taken. */
async function listenOnce(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

async function authenticationSuccesses(server: TestServer): Promise<number> {
  const counter = server.registry.getSingleMetric('authentication_attempts');
  if (counter === undefined) throw new Error('authentication_attempts not registered');
  const { values } = await counter.get();
  return values.find((value) => value.labels.result === 'success')?.value ?? 0;
}

describe('two test servers in one process', function () {
  let allowing: TestServer;
  let denying: TestServer;

  before(async function () {
    [allowing, denying] = await Promise.all([
      startTestServer(),
      startTestServer(['--authorization-mode=AlwaysDeny']),
    ]);
  });

  after(async function () {
    await Promise.all([allowing?.stop(), denying?.stop()]);
  });

  it('ports differ', function () {
    expect(allowing.url).not.to.equal(denying.url);
  });

  it('data folders differ', function () {
    expect(allowing.dataDir).not.to.equal(denying.dataDir);
  });

  it('flags apply per server', async function () {
    const allowed = await send(allowing, { path: '/healthz' });
    const denied = await send(denying, { path: '/healthz' });

    expect(allowed.status).to.equal(200);
    expect(denied.status).to.equal(403);
  });

  it('metrics registries are separate', async function () {
    const before = await authenticationSuccesses(denying);

    const reply = await postSelfSubjectReview(allowing, { token: allowing.adminToken });

    expect(reply.status).to.equal(201);
    expect(await authenticationSuccesses(denying)).to.equal(before);
  });
});

describe('test server stop', function () {
  let server: TestServer | undefined;
  let other: TestServer | undefined;

  afterEach(async function () {
    await Promise.all([server?.stop(), other?.stop()]);
    server = undefined;
    other = undefined;
  });

  it('frees the port for a new listen', async function () {
    server = await startTestServer();
    const port = server.server.securePort;

    await server.stop();

    await listenOnce(port);
  });

  it('removes the data folder', async function () {
    server = await startTestServer();
    const dataDir = server.dataDir;

    await server.stop();

    let missing: NodeJS.ErrnoException | undefined;
    await access(dataDir).catch((err: NodeJS.ErrnoException) => (missing = err));
    expect(missing?.code).to.equal('ENOENT');
  });

  it('leaves the other server serving', async function () {
    [server, other] = await Promise.all([startTestServer(), startTestServer()]);

    await server.stop();
    const reply = await send(other, { path: '/healthz' });

    expect(reply.status).to.equal(200);
    expect(reply.body).to.equal('ok');
  });

  it('twice is harmless', async function () {
    server = await startTestServer();

    await server.stop();
    await server.stop();

    await listenOnce(server.server.securePort);
  });
});
