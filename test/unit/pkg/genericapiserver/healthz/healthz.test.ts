import { expect } from 'chai';
import {
  pingCheck,
  serveHealth,
  serveSingleCheck,
  shutdownCheck,
  type HealthCheck,
} from '../../../../../pkg/genericapiserver/healthz/healthz.js';
import { serveOnce, type TestResponse } from '../../../helpers/koa_context.js';

const logCheck: HealthCheck = { name: 'log', check: () => undefined };
const failingCheck: HealthCheck = {
  name: 'etcd',
  check: () => {
    throw new Error('connection refused');
  },
};
const rejectingCheck: HealthCheck = {
  name: 'informer-sync',
  check: () => Promise.reject(new Error('not synced')),
};

async function health(
  endpoint: string,
  checks: HealthCheck[],
  query = '',
): Promise<{ response: TestResponse; failures: [string, string][] }> {
  const failures: [string, string][] = [];
  const response = await serveOnce(
    [
      (ctx) =>
        serveHealth(ctx, endpoint, checks, (name, err) => failures.push([name, err.message])),
    ],
    { path: `/${endpoint}${query}` },
  );
  return { response, failures };
}

describe('serveHealth', () => {
  const passing: {
    name: string;
    endpoint: string;
    checks: HealthCheck[];
    query: string;
    expectBody: string;
  }[] = [
    {
      name: 'all pass gives ok',
      endpoint: 'healthz',
      checks: [pingCheck, logCheck],
      query: '',
      expectBody: 'ok',
    },
    {
      name: 'verbose lists checks',
      endpoint: 'healthz',
      checks: [pingCheck, logCheck],
      query: '?verbose',
      expectBody: '[+]ping ok\n[+]log ok\nhealthz check passed\n',
    },
    {
      name: 'verbose with any value',
      endpoint: 'livez',
      checks: [pingCheck],
      query: '?verbose=false',
      expectBody: '[+]ping ok\nlivez check passed\n',
    },
    {
      name: 'excluded check not verbose',
      endpoint: 'readyz',
      checks: [pingCheck, failingCheck],
      query: '?exclude=etcd',
      expectBody: 'ok',
    },
    {
      name: 'excluded check verbose',
      endpoint: 'readyz',
      checks: [pingCheck, failingCheck],
      query: '?verbose&exclude=etcd',
      expectBody: '[+]ping ok\n[+]etcd excluded: ok\nreadyz check passed\n',
    },
    {
      name: 'unmatched exclude warns',
      endpoint: 'healthz',
      checks: [pingCheck],
      query: '?verbose&exclude=nope',
      expectBody:
        '[+]ping ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nhealthz check passed\n',
    },
    {
      name: 'two unmatched excludes warn',
      endpoint: 'healthz',
      checks: [pingCheck, logCheck],
      query: '?verbose&exclude=beta&exclude=log&exclude=alpha',
      expectBody:
        '[+]ping ok\n[+]log excluded: ok\nwarn: some health checks cannot be excluded: no matches for "alpha","beta"\nhealthz check passed\n',
    },
  ];
  for (const tc of passing) {
    it(tc.name, async () => {
      const { response, failures } = await health(tc.endpoint, tc.checks, tc.query);
      expect(response.status).to.equal(200);
      expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.body).to.equal(tc.expectBody);
      expect(failures).to.deep.equal([]);
    });
  }

  const failing: {
    name: string;
    endpoint: string;
    checks: HealthCheck[];
    query: string;
    expectBody: string;
    expectFailures: [string, string][];
  }[] = [
    {
      name: 'failing check gives 500',
      endpoint: 'healthz',
      checks: [pingCheck, failingCheck],
      query: '',
      expectBody: '[+]ping ok\n[-]etcd failed: reason withheld\nhealthz check failed\n',
      expectFailures: [['etcd', 'connection refused']],
    },
    {
      name: 'rejected async check fails',
      endpoint: 'readyz',
      checks: [pingCheck, rejectingCheck],
      query: '?verbose',
      expectBody: '[+]ping ok\n[-]informer-sync failed: reason withheld\nreadyz check failed\n',
      expectFailures: [['informer-sync', 'not synced']],
    },
    {
      name: 'failure keeps unmatched warning',
      endpoint: 'livez',
      checks: [failingCheck],
      query: '?exclude=nope',
      expectBody:
        '[-]etcd failed: reason withheld\nwarn: some health checks cannot be excluded: no matches for "nope"\nlivez check failed\n',
      expectFailures: [['etcd', 'connection refused']],
    },
  ];
  for (const tc of failing) {
    it(tc.name, async () => {
      const { response, failures } = await health(tc.endpoint, tc.checks, tc.query);
      expect(response.status).to.equal(500);
      expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.body).to.equal(tc.expectBody);
      expect(failures).to.deep.equal(tc.expectFailures);
    });
  }
});

describe('serveSingleCheck', () => {
  it('passing check gives ok', async () => {
    const response = await serveOnce([(ctx) => serveSingleCheck(ctx, pingCheck)], {
      path: '/healthz/ping',
    });
    expect(response.status).to.equal(200);
    expect(response.body).to.equal('ok');
  });

  it('failing check names error', async () => {
    const response = await serveOnce([(ctx) => serveSingleCheck(ctx, failingCheck)], {
      path: '/healthz/etcd',
    });
    expect(response.status).to.equal(500);
    expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(response.body).to.equal('internal server error: connection refused\n');
  });
});

describe('shutdownCheck', () => {
  const cases: { name: string; shuttingDown: boolean; expectError: string | undefined }[] = [
    { name: 'running passes', shuttingDown: false, expectError: undefined },
    { name: 'shutting down fails', shuttingDown: true, expectError: 'process is shutting down' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const check = shutdownCheck(() => tc.shuttingDown);
      let error: string | undefined;
      try {
        void check.check();
      } catch (err) {
        error = (err as Error).message;
      }
      expect(check.name).to.equal('shutdown');
      expect(error).to.equal(tc.expectError);
    });
  }
});
