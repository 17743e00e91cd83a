import { expect } from 'chai';
import type { Context, Middleware } from 'koa';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import { defaultLongRunningFunc } from '../../../../../pkg/genericapiserver/filters/long_running.js';
import { withRequestInfo } from '../../../../../pkg/genericapiserver/filters/request_info.js';
import {
  TIMEOUT_MESSAGE,
  requestDeadlineMs,
  withTimeout,
} from '../../../../../pkg/genericapiserver/filters/timeout.js';
import { ChainMiswiredError } from '../../../../../pkg/genericapiserver/request/context.js';
import {
  KoaTestServer,
  newLatch,
  recordingLogger,
  respondOK,
  serveOnce,
  silentLogger,
  type Latch,
} from '../../../helpers/koa_context.js';

const TIMEOUT_BODY =
  '{"metadata":{},"status":"Failure","message":"Timeout: request did not complete within the allotted timeout","reason":"Timeout","details":{},"code":504}\n';

/** A handler that waits for `release`, then runs `after`, then resolves `done`. */
function heldHandler(
  release: Latch,
  done: Latch<Context>,
  after: (ctx: Context) => void = (ctx) => {
    ctx.status = 200;
    ctx.body = 'late';
  },
): Middleware {
  return async (ctx) => {
    await release.promise;
    try {
      after(ctx);
    } finally {
      done.release(ctx);
    }
  };
}

describe('requestDeadlineMs', () => {
  const cases: { name: string; query: string; maxMs: number; expectMs: number }[] = [
    { name: 'no timeout query', query: '', maxMs: 60_000, expectMs: 60_000 },
    { name: 'empty timeout query', query: 'timeout=', maxMs: 60_000, expectMs: 60_000 },
    { name: 'shorter value applies', query: 'timeout=30s', maxMs: 60_000, expectMs: 30_000 },
    { name: 'milliseconds value', query: 'timeout=500ms', maxMs: 60_000, expectMs: 500 },
    { name: 'compound value', query: 'timeout=1m0s', maxMs: 120_000, expectMs: 60_000 },
    { name: 'value equal to maximum', query: 'timeout=1m0s', maxMs: 60_000, expectMs: 60_000 },
    { name: 'value above maximum', query: 'timeout=2m', maxMs: 60_000, expectMs: 60_000 },
    { name: 'zero means maximum', query: 'timeout=0', maxMs: 60_000, expectMs: 60_000 },
    { name: 'negative means maximum', query: 'timeout=-5s', maxMs: 60_000, expectMs: 60_000 },
    { name: 'no maximum configured', query: 'timeout=10s', maxMs: 0, expectMs: 10_000 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(requestDeadlineMs(new URLSearchParams(tc.query), tc.maxMs)).to.equal(tc.expectMs);
    });
  }

  const badValues = [
    { query: 'timeout=1', expectCause: 'time: missing unit in duration "1"' },
    { query: 'timeout=1x', expectCause: 'time: unknown unit "x" in duration "1x"' },
  ];
  for (const tc of badValues) {
    it(`bad value ${tc.query} explained`, () => {
      expect(() => requestDeadlineMs(new URLSearchParams(tc.query), 60_000)).to.throw(
        StatusError,
        `invalid timeout specified in the request URL - ${tc.expectCause}`,
      );
    });
  }

  it('bad value throws BadRequest', () => {
    let thrown: unknown;
    try {
      requestDeadlineMs(new URLSearchParams('timeout=abc'), 60_000);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(StatusError);
    const status = (thrown as StatusError).status;
    expect(status.code).to.equal(400);
    expect(status.reason).to.equal('BadRequest');
    expect(status.message).to.equal(
      'invalid timeout specified in the request URL - time: invalid duration "abc"',
    );
  });
});

describe('withTimeout', () => {
  let server: KoaTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function timeoutFilter(requestTimeoutMs: number, logger = silentLogger()): Middleware {
    return withTimeout({ requestTimeoutMs, longRunning: defaultLongRunningFunc, logger });
  }

  it('exports kube-apiserver timeout message', () => {
    expect(TIMEOUT_MESSAGE).to.equal(
      'Timeout: request did not complete within the allotted timeout',
    );
  });

  it('held handler gets 504', async () => {
    const release = newLatch();
    const done = newLatch<Context>();
    server = await KoaTestServer.start([
      withRequestInfo(),
      timeoutFilter(30),
      heldHandler(release, done),
    ]);
    const response = await server.request({ path: '/api/v1/namespaces/foo/pods' });
    release.release();
    await done.promise;
    expect(response.status).to.equal(504);
    expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(response.body).to.equal(TIMEOUT_BODY);
  });

  it('504 drops handler headers', async () => {
    const release = newLatch();
    const done = newLatch<Context>();
    const setInnerHeader: Middleware = async (ctx, next) => {
      ctx.set('X-Inner', 'yes');
      await next();
    };
    server = await KoaTestServer.start([
      withRequestInfo(),
      timeoutFilter(30),
      setInnerHeader,
      heldHandler(release, done),
    ]);
    const response = await server.request({ path: '/api/v1/namespaces/foo/pods' });
    release.release();
    await done.promise;
    expect(response.status).to.equal(504);
    expect(response.headers['x-inner']).to.equal(undefined);
  });

  it('late writes are discarded', async () => {
    const release = newLatch();
    const done = newLatch<Context>();
    const recorder = recordingLogger();
    server = await KoaTestServer.start([
      withRequestInfo(),
      timeoutFilter(30, recorder.logger),
      heldHandler(release, done, (ctx) => {
        ctx.status = 201;
        ctx.body = 'late';
        ctx.set('X-Late', 'yes');
      }),
    ]);
    const response = await server.request({ path: '/api/v1/namespaces/foo/pods' });
    release.release();
    const ctx = await done.promise;
    const entry = await recorder.waitFor('post-timeout activity');
    expect(response.status).to.equal(504);
    expect(response.headers['x-late']).to.equal(undefined);
    expect(ctx.status).to.equal(504);
    expect(ctx.body).to.equal(TIMEOUT_BODY);
    expect(entry.level).to.equal('debug');
    expect(entry.result).to.equal('completed');
    expect(server.appErrors).to.deep.equal([]);
  });

  it('late throw is logged, not raised', async () => {
    const release = newLatch();
    const done = newLatch<Context>();
    const recorder = recordingLogger();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const failure = new Error('late failure');
      server = await KoaTestServer.start([
        withRequestInfo(),
        timeoutFilter(30, recorder.logger),
        heldHandler(release, done, () => {
          throw failure;
        }),
      ]);
      const response = await server.request({ path: '/api/v1/namespaces/foo/pods' });
      release.release();
      await done.promise;
      const entry = await recorder.waitFor('post-timeout activity');
      expect(response.status).to.equal(504);
      expect(entry.level).to.equal('error');
      expect(entry.result).to.equal('failed');
      expect(entry.err).to.equal(failure);
      expect(entry.path).to.equal('/api/v1/namespaces/foo/pods');
      expect(unhandled).to.deep.equal([]);
      expect(server.appErrors).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('timeout query shortens deadline', async () => {
    const release = newLatch();
    const done = newLatch<Context>();
    server = await KoaTestServer.start([
      withRequestInfo(),
      timeoutFilter(60_000),
      heldHandler(release, done),
    ]);
    const response = await server.request({ path: '/api/v1/pods?timeout=20ms' });
    release.release();
    await done.promise;
    expect(response.status).to.equal(504);
    expect(response.body).to.equal(TIMEOUT_BODY);
  });

  it('fast handler passes through', async () => {
    const response = await serveOnce([withRequestInfo(), timeoutFilter(60_000), respondOK], {
      path: '/api/v1/pods?timeout=30s',
    });
    expect(response.status).to.equal(200);
    expect(response.body).to.equal('ok');
  });

  const longRunning: { name: string; path: string }[] = [
    { name: 'watch exempt', path: '/api/v1/pods?watch=true' },
    { name: 'exec subresource exempt', path: '/api/v1/namespaces/foo/pods/bar/exec' },
    { name: 'log subresource exempt', path: '/api/v1/namespaces/foo/pods/bar/log' },
  ];
  for (const tc of longRunning) {
    it(tc.name, async () => {
      // A plain request sent after the exempt one times out first. By then the exempt request
      // has outlived the same deadline without getting a 504.
      const reached = newLatch();
      const release = newLatch();
      const done = newLatch<Context>();
      const exemptPath = tc.path;
      const held: Middleware = async (ctx, next) => {
        if (ctx.originalUrl === exemptPath) {
          reached.release();
          await release.promise;
          ctx.status = 200;
          ctx.body = 'streamed';
          done.release(ctx);
          return;
        }
        await next();
      };
      const neverAnswers: Middleware = () => new Promise<void>(() => undefined);
      server = await KoaTestServer.start([
        withRequestInfo(),
        timeoutFilter(30),
        held,
        neverAnswers,
      ]);
      const exempt = server.request({ path: exemptPath });
      await reached.promise;
      const plain = await server.request({ path: '/api/v1/pods' });
      release.release();
      const response = await exempt;
      expect(plain.status).to.equal(504);
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('streamed');
    });
  }

  it('bad timeout query gives 400', async () => {
    let called = false;
    const response = await serveOnce(
      [
        withRequestInfo(),
        timeoutFilter(60_000),
        (ctx) => {
          called = true;
          ctx.body = 'ok';
        },
      ],
      { path: '/api/v1/pods?timeout=abc' },
    );
    expect(response.status).to.equal(400);
    expect(response.headers['content-type']).to.equal('application/json');
    expect(response.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"invalid timeout specified in the request URL - time: invalid duration \\"abc\\"","reason":"BadRequest","code":400}\n',
    );
    expect(called, 'handler called').to.equal(false);
  });

  it('missing request info is a miswired chain', async () => {
    server = await KoaTestServer.start([timeoutFilter(60_000), respondOK]);
    const response = await server.request({ path: '/api/v1/pods' });
    expect(response.status).to.equal(500);
    expect(server.appErrors).to.have.length(1);
    expect(server.appErrors[0]).to.be.instanceOf(ChainMiswiredError);
    expect(server.appErrors[0]!.message).to.equal(
      'no request info found in the request context: the handler chain is miswired',
    );
  });
});
