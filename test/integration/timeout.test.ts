import { expect } from 'chai';
import type { Registry } from 'prom-client';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  openRequest,
  send,
  SELF_SUBJECT_REVIEW_JSON,
  SELF_SUBJECT_REVIEWS_PATH,
} from '../helpers/e2e/http_client.js';

/**
 * kube-apiserver's timeout filter encodes the Status itself, so the 504 body has no kind or
 * apiVersion, keeps an empty details, and ends with a newline.
 */
const TIMEOUT_BODY =
  '{"metadata":{},"status":"Failure","message":"Timeout: request did not complete within the allotted timeout","reason":"Timeout","details":{},"code":504}\n';

/** Slack for timers and the loopback round trip, in milliseconds. */
const EARLY_MS = 50;
const LATE_MS = 1_500;

/** Returns how many selfsubjectreviews requests the timeout filter ended with 504. */
async function reviewTimeouts(registry: Registry): Promise<number> {
  const counter = registry.getSingleMetric('apiserver_request_terminations_total');
  if (counter === undefined) throw new Error('apiserver_request_terminations_total not registered');
  const { values } = await counter.get();
  const matching = values.filter(
    (value) => value.labels.resource === 'selfsubjectreviews' && value.labels.code === '504',
  );
  return matching.reduce((sum, value) => sum + value.value, 0);
}

describe('request timeout with --request-timeout=1s', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer(['--request-timeout=1s']);
  });

  after(async function () {
    await server?.stop();
  });

  const cases: { name: string; query: string; expectDeadlineMs: number }[] = [
    { name: 'server limit', query: '', expectDeadlineMs: 1_000 },
    { name: 'shorter ?timeout=300ms', query: '?timeout=300ms', expectDeadlineMs: 300 },
    { name: 'longer ?timeout=1m capped', query: '?timeout=1m', expectDeadlineMs: 1_000 },
  ];
  for (const tc of cases) {
    it(`unfinished body times out at ${tc.name}`, async function () {
      const body = Buffer.from(SELF_SUBJECT_REVIEW_JSON);
      const startedAt = Date.now();
      const request = openRequest(
        server,
        {
          method: 'POST',
          path: SELF_SUBJECT_REVIEWS_PATH + tc.query,
          headers: [['Content-Type', 'application/json']],
          credentials: { token: server.adminToken },
        },
        body.length,
      );
      const timeoutsBefore = await reviewTimeouts(server.registry);
      request.write(body.subarray(0, 5));
      try {
        const reply = await request.reply;
        const elapsedMs = Date.now() - startedAt;

        expect(reply.status).to.equal(504);
        expect(reply.headers['content-type']).to.equal('text/plain; charset=utf-8');
        expect(reply.headers['retry-after']).to.equal(undefined);
        expect(reply.body).to.equal(TIMEOUT_BODY);
        expect(elapsedMs).to.be.at.least(tc.expectDeadlineMs - EARLY_MS);
        expect(elapsedMs).to.be.below(tc.expectDeadlineMs + LATE_MS);
        expect(await reviewTimeouts(server.registry), '504 terminations').to.equal(
          timeoutsBefore + 1,
        );
      } finally {
        request.destroy();
      }
    });
  }

  it('invalid ?timeout= gets 400', async function () {
    const reply = await send(server, {
      path: '/healthz?timeout=abc',
      credentials: { token: server.adminToken },
    });

    expect(reply.status).to.equal(400);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(reply.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"invalid timeout specified in the request URL - time: invalid duration \\"abc\\"","reason":"BadRequest","code":400}\n',
    );
  });

  it('fast request under the limit', async function () {
    const reply = await send(server, {
      path: '/healthz',
      credentials: { token: server.adminToken },
    });

    expect(reply.status).to.equal(200);
    expect(reply.body).to.equal('ok');
  });
});
