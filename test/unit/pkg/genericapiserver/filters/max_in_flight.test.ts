import { expect } from 'chai';
import type { Middleware } from 'koa';
import { Registry } from 'prom-client';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import { defaultLongRunningFunc } from '../../../../../pkg/genericapiserver/filters/long_running.js';
import {
  TOO_MANY_REQUESTS_MESSAGE,
  withMaxInFlightLimit,
} from '../../../../../pkg/genericapiserver/filters/max_in_flight.js';
import { withRequestInfo } from '../../../../../pkg/genericapiserver/filters/request_info.js';
import { setUser } from '../../../../../pkg/genericapiserver/request/context.js';
import {
  KoaTestServer,
  newLatch,
  type Latch,
  type TestResponse,
} from '../../../helpers/koa_context.js';

/** Sets the user from the test-only X-Test-Groups header, so one server serves several users. */
const userFromTestHeader: Middleware = async (ctx, next) => {
  const groups = ctx.get('X-Test-Groups');
  setUser(ctx, newUserInfo({ name: 'client', groups: groups === '' ? [] : groups.split(',') }));
  await next();
};

/**
 * A handler that keeps requests whose query contains `hold` waiting until the test releases them.
 * It counts them, so the test can wait until the filter has let them through.
 */
class HoldingHandler {
  private release: Latch = newLatch();
  private held = 0;
  private waiters: { count: number; latch: Latch }[] = [];

  readonly middleware: Middleware = async (ctx) => {
    if (new URLSearchParams(ctx.querystring).has('hold')) {
      this.held++;
      for (const waiter of this.waiters.filter((candidate) => candidate.count <= this.held)) {
        waiter.latch.release();
      }
      await this.release.promise;
    }
    ctx.status = 200;
    ctx.body = 'ok';
  };

  /** How many requests have reached the handler with `hold` so far. */
  get heldCount(): number {
    return this.held;
  }

  /** Resolves once `count` requests in total have been held. */
  heldAtLeast(count: number): Promise<void> {
    if (this.held >= count) return Promise.resolve();
    const latch = newLatch();
    this.waiters.push({ count, latch });
    return latch.promise;
  }

  releaseAll(): void {
    this.release.release();
  }
}

const TOO_MANY_BODY = 'Too many requests, please try again later.\n';

describe('withMaxInFlightLimit', () => {
  let server: KoaTestServer | undefined;
  let holding: HoldingHandler;
  let registry: Registry;

  async function start(maxRequestsInFlight: number, maxMutatingRequestsInFlight: number) {
    holding = new HoldingHandler();
    registry = new Registry();
    server = await KoaTestServer.start([
      withRequestInfo(),
      userFromTestHeader,
      withMaxInFlightLimit({
        maxRequestsInFlight,
        maxMutatingRequestsInFlight,
        longRunning: defaultLongRunningFunc,
        registry,
      }),
      holding.middleware,
    ]);
    return server;
  }

  /** Sends `count` requests that the handler holds, and waits until all are held. */
  async function holdRequests(
    count: number,
    method: string,
    path: string,
  ): Promise<Promise<TestResponse>[]> {
    const target = holding.heldCount + count;
    const pending: Promise<TestResponse>[] = [];
    for (let i = 0; i < count; i++) pending.push(server!.request({ method, path }));
    await holding.heldAtLeast(target);
    return pending;
  }

  afterEach(async () => {
    holding?.releaseAll();
    await server?.close();
    server = undefined;
  });

  it('exports kube-apiserver 429 message', () => {
    expect(TOO_MANY_REQUESTS_MESSAGE).to.equal('Too many requests, please try again later.');
  });

  it('full read-only class gives 429', async () => {
    await start(2, 1);
    const pending = await holdRequests(2, 'GET', '/api/v1/pods?hold');
    const rejected = await server!.request({ path: '/api/v1/pods' });
    holding.releaseAll();
    const served = await Promise.all(pending);
    expect(rejected.status).to.equal(429);
    expect(rejected.headers['retry-after']).to.equal('1');
    expect(rejected.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(rejected.headers['x-content-type-options']).to.equal('nosniff');
    expect(rejected.body).to.equal(TOO_MANY_BODY);
    expect(served.map((response) => response.status)).to.deep.equal([200, 200]);
  });

  it('full mutating class gives 429', async () => {
    await start(2, 1);
    const pending = await holdRequests(1, 'POST', '/api/v1/namespaces/foo/pods?hold');
    const rejected = await server!.request({ method: 'POST', path: '/api/v1/namespaces/foo/pods' });
    holding.releaseAll();
    await Promise.all(pending);
    expect(rejected.status).to.equal(429);
    expect(rejected.headers['retry-after']).to.equal('1');
    expect(rejected.body).to.equal(TOO_MANY_BODY);
  });

  it('read-only full, mutating still served', async () => {
    await start(1, 1);
    const pending = await holdRequests(1, 'GET', '/api/v1/pods?hold');
    const mutating = await server!.request({ method: 'DELETE', path: '/api/v1/pods/x' });
    holding.releaseAll();
    await Promise.all(pending);
    expect(mutating.status).to.equal(200);
  });

  it('mutating full, read-only still served', async () => {
    await start(1, 1);
    const pending = await holdRequests(1, 'PUT', '/api/v1/namespaces/foo/pods/x?hold');
    const readOnly = await server!.request({ path: '/api/v1/namespaces/foo/pods/x' });
    holding.releaseAll();
    await Promise.all(pending);
    expect(readOnly.status).to.equal(200);
  });

  const classified: { name: string; method: string; path: string; expectStatus: number }[] = [
    { name: 'list counts read-only', method: 'GET', path: '/api/v1/pods', expectStatus: 429 },
    { name: 'get counts read-only', method: 'GET', path: '/api/v1/pods/x', expectStatus: 429 },
    { name: 'create counts mutating', method: 'POST', path: '/api/v1/pods', expectStatus: 200 },
    {
      name: 'non-resource GET counts read-only',
      method: 'GET',
      path: '/healthz',
      expectStatus: 429,
    },
    {
      name: 'non-resource HEAD counts mutating',
      method: 'HEAD',
      path: '/healthz',
      expectStatus: 200,
    },
  ];
  for (const tc of classified) {
    it(tc.name, async () => {
      await start(1, 1);
      const pending = await holdRequests(1, 'GET', '/api/v1/pods?hold');
      const response = await server!.request({ method: tc.method, path: tc.path });
      holding.releaseAll();
      await Promise.all(pending);
      expect(response.status).to.equal(tc.expectStatus);
    });
  }

  it('system:masters served when full', async () => {
    await start(1, 1);
    const pending = await holdRequests(1, 'GET', '/api/v1/pods?hold');
    const admin = await server!.request({
      path: '/api/v1/pods',
      headers: { 'X-Test-Groups': 'system:authenticated,system:masters' },
    });
    const other = await server!.request({
      path: '/api/v1/pods',
      headers: { 'X-Test-Groups': 'system:authenticated' },
    });
    holding.releaseAll();
    await Promise.all(pending);
    expect(admin.status).to.equal(200);
    expect(other.status).to.equal(429);
  });

  it('long-running requests not counted', async () => {
    await start(1, 1);
    const watches = await holdRequests(2, 'GET', '/api/v1/pods?watch=true&hold');
    const list = await server!.request({ path: '/api/v1/pods' });
    holding.releaseAll();
    const watched = await Promise.all(watches);
    expect(watched.map((response) => response.status)).to.deep.equal([200, 200]);
    expect(list.status).to.equal(200);
  });

  it('long-running served when full', async () => {
    await start(1, 1);
    const pending = await holdRequests(1, 'GET', '/api/v1/pods?hold');
    const watch = await server!.request({ path: '/api/v1/pods?watch=true' });
    holding.releaseAll();
    await Promise.all(pending);
    expect(watch.status).to.equal(200);
  });

  it('zero limit means unlimited', async () => {
    await start(0, 1);
    const pending = await holdRequests(3, 'GET', '/api/v1/pods?hold');
    const fourth = await server!.request({ path: '/api/v1/pods' });
    holding.releaseAll();
    await Promise.all(pending);
    expect(fourth.status).to.equal(200);
  });

  it('slot released after response', async () => {
    await start(1, 1);
    const first = await server!.request({ path: '/api/v1/pods' });
    const second = await server!.request({ path: '/api/v1/pods' });
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(200);
  });

  it('slot released after thrown error', async () => {
    registry = new Registry();
    let calls = 0;
    server = await KoaTestServer.start([
      withRequestInfo(),
      userFromTestHeader,
      withMaxInFlightLimit({
        maxRequestsInFlight: 1,
        maxMutatingRequestsInFlight: 1,
        longRunning: defaultLongRunningFunc,
        registry,
      }),
      (ctx) => {
        calls++;
        if (calls === 1) throw new Error('handler failed');
        ctx.body = 'ok';
      },
    ]);
    const failed = await server.request({ path: '/api/v1/pods' });
    const next = await server.request({ path: '/api/v1/pods' });
    expect(failed.status).to.equal(500);
    expect(next.status).to.equal(200);
  });

  it('gauge reports slots in use', async () => {
    await start(3, 3);
    const reads = await holdRequests(2, 'GET', '/api/v1/pods?hold');
    const writes = await holdRequests(1, 'POST', '/api/v1/pods?hold');
    const { values } = await registry.getSingleMetric('apiserver_current_inflight_requests')!.get();
    holding.releaseAll();
    await Promise.all([...reads, ...writes]);
    expect(values).to.deep.include({ labels: { request_kind: 'readOnly' }, value: 2 });
    expect(values).to.deep.include({ labels: { request_kind: 'mutating' }, value: 1 });
  });
});
