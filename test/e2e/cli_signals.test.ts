import { expect } from 'chai';
import { startAPIServerProcess, type APIServerProcess } from '../helpers/e2e/apiserver_process.js';
import { connect } from 'node:http2';
import {
  holdReview,
  reviewedUser,
  SELF_SUBJECT_REVIEW_JSON,
  SELF_SUBJECT_REVIEWS_PATH,
  send,
} from '../helpers/e2e/http_client.js';
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
    server.child.kill('SIGTERM');
    const exit = await server.exited;

    expect(exit).to.deep.equal({ code: 0, signal: null });
  });

  it('SIGTERM lets HTTP/2 request finish', async function () {
    server = await startAPIServerProcess();
    const session = connect(server.url, { ca: server.caPem });
    session.on('error', () => undefined);
    const stream = session.request({
      ':method': 'POST',
      ':path': SELF_SUBJECT_REVIEWS_PATH,
      'content-type': 'application/json',
      authorization: `Bearer ${server.adminToken}`,
    });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const status = new Promise<number>((resolve) =>
      stream.once('response', (headers) => resolve(Number(headers[':status']))),
    );
    const ended = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    try {
      stream.write(SELF_SUBJECT_REVIEW_JSON.slice(0, 5));
      await waitUntil(
        async () => (await mutatingInFlight(server!)) === 1,
        'the HTTP/2 review to be in flight',
      );

      server.child.kill('SIGTERM');
      await server.waitForLine(/ shutting down inFlight=1 /);
      stream.end(SELF_SUBJECT_REVIEW_JSON.slice(5));
      await ended;
      const exit = await server.exited;

      expect(await status).to.equal(201);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { kind: string };
      expect(body.kind).to.equal('SelfSubjectReview');
      expect(exit).to.deep.equal({ code: 0, signal: null });
    } finally {
      session.destroy();
    }
  });
});
