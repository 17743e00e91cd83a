import { expect } from 'chai';
import { startAPIServerProcess, type APIServerProcess } from '../helpers/e2e/apiserver_process.js';
import { holdReview, reviewedUser, send } from '../helpers/e2e/http_client.js';
import { expectRejection } from '../helpers/e2e/rejection.js';
import { waitUntil } from '../helpers/e2e/wait.js';

const MUTATING_IN_FLIGHT =
  /^apiserver_current_inflight_requests\{request_kind="mutating"\} (\d+)$/m;

/** Reads how many mutating requests the server counts as in flight, from its /metrics. */
async function mutatingInFlight(server: APIServerProcess): Promise<number> {
  const reply = await send(server, { path: '/metrics', credentials: { token: server.adminToken } });
  return Number(MUTATING_IN_FLIGHT.exec(reply.body)?.[1] ?? 0);
}

describe('CLI stop on a signal', function () {
  let server: APIServerProcess | undefined;

  afterEach(async function () {
    await server?.stop('SIGKILL');
    server = undefined;
  });

  const cases: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  for (const signal of cases) {
    it(`${signal} lets in-flight request finish`, async function () {
      server = await startAPIServerProcess();
      const heldReview = holdReview(server, { token: server.adminToken });
      try {
        await waitUntil(
          async () => (await mutatingInFlight(server!)) === 1,
          'the held review to be in flight',
        );

        server.child.kill(signal);
        await server.waitForLine(/ shutting down inFlight=1 /);
        const refused = await expectRejection(send(server, { path: '/healthz' }));
        heldReview.finish();
        const reply = await heldReview.reply;
        const exit = await server.exited;

        // The listener is closed, so a new connection is refused, or reset when it raced the close.
        expect(['ECONNREFUSED', 'ECONNRESET']).to.include((refused as NodeJS.ErrnoException).code);
        expect(reply.status).to.equal(201);
        expect(reviewedUser(reply).username).to.equal('admin');
        expect(exit).to.deep.equal({ code: 0, signal: null });
        expect(server.stderr()).to.contain(`received a stop signal signal=${signal}`);
        expect(server.stderr()).to.match(/ INFO {2}\[main\] stopped\n$/);
      } finally {
        heldReview.destroy();
      }
    });
  }

  it('SIGTERM when idle exits 0', async function () {
    server = await startAPIServerProcess();
    // NOTE: the CLI installs its signal handlers only after it logs that it listens, so a signal
    // sent right after that line kills the process outright. A served request shows the
    // handlers are in place.
    const health = await send(server, { path: '/healthz' });
    expect(health.status).to.equal(200);

    server.child.kill('SIGTERM');
    const exit = await server.exited;

    expect(exit).to.deep.equal({ code: 0, signal: null });
  });
});
