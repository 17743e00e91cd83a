import { expect } from 'chai';
import type { Context } from 'koa';
import { Registry } from 'prom-client';
import {
  NOT_APPLICABLE,
  authenticated,
  rejected,
  type AuthenticationRequest,
  type AuthenticationResult,
  type RequestAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../pkg/auth/user/user.js';
import {
  audiencesMatch,
  withAuthentication,
} from '../../../../../pkg/genericapiserver/filters/authentication.js';
import {
  AuthenticationMetrics,
  compressUsername,
} from '../../../../../pkg/genericapiserver/filters/authentication_metrics.js';
import { userFrom } from '../../../../../pkg/genericapiserver/request/context.js';
import { inspectContext, serveOnce, silentLogger } from '../../../helpers/koa_context.js';

const UNAUTHORIZED_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n';

const admin = newUserInfo({ name: 'admin', uid: '1', groups: ['system:masters'] });

/** Builds an authenticator with a fixed outcome, thrown when it is an Error, that records input. */
function fixedAuthenticator(outcome: AuthenticationResult | Error): RequestAuthenticator & {
  seen: AuthenticationRequest[];
} {
  const seen: AuthenticationRequest[] = [];
  return {
    seen,
    authenticateRequest(request) {
      seen.push(request);
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  };
}

/** Values of one metric, as label sets with their value. */
async function metricValues(
  registry: Registry,
  name: string,
): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  return values.map(({ labels, value }) => ({
    labels: labels as Record<string, string | number>,
    value,
  }));
}

/** Runs one request through the filter and reports what the handler saw. */
async function authenticate(options: {
  outcome: AuthenticationResult | Error;
  apiAudiences?: string[];
  headers?: Record<string, string | string[]>;
}) {
  const registry = new Registry();
  const authenticator = fixedAuthenticator(options.outcome);
  let failures = 0;
  let handled: { user: UserInfo | undefined; headers: Context['req']['headers']; raw: string[] } = {
    user: undefined,
    headers: {},
    raw: [],
  };
  let called = false;
  const response = await serveOnce(
    [
      withAuthentication({
        authenticator,
        apiAudiences: options.apiAudiences ?? [],
        metrics: new AuthenticationMetrics(registry),
        logger: silentLogger(),
        onFailure: () => failures++,
      }),
      inspectContext((ctx) => {
        called = true;
        handled = {
          user: userFrom(ctx),
          headers: { ...ctx.req.headers },
          raw: [...ctx.req.rawHeaders],
        };
      }),
    ],
    { path: '/api/v1/pods', headers: options.headers },
  );
  return { response, registry, authenticator, failures, called, handled };
}

describe('withAuthentication', () => {
  const rejections: {
    name: string;
    outcome: AuthenticationResult | Error;
    apiAudiences?: string[];
    expectResult: string;
  }[] = [
    { name: 'no credential gives 401', outcome: NOT_APPLICABLE, expectResult: 'failure' },
    {
      name: 'rejected credential gives 401',
      outcome: rejected('invalid bearer token'),
      expectResult: 'failure',
    },
    {
      name: 'thrown authenticator gives 401',
      outcome: new Error('webhook unreachable'),
      expectResult: 'error',
    },
    {
      name: 'audience mismatch gives 401',
      outcome: authenticated(admin, ['other-api']),
      apiAudiences: ['https://kubernetes.default.svc'],
      expectResult: 'failure',
    },
  ];
  for (const tc of rejections) {
    it(tc.name, async () => {
      const result = await authenticate({
        outcome: tc.outcome,
        apiAudiences: tc.apiAudiences,
        headers: { Authorization: 'Bearer abc' },
      });
      expect(result.response.status).to.equal(401);
      expect(result.response.headers['content-type']).to.equal('application/json');
      expect(result.response.headers['www-authenticate']).to.equal(undefined);
      expect(result.response.body).to.equal(UNAUTHORIZED_BODY);
      expect(result.called, 'handler called').to.equal(false);
      expect(result.failures, 'onFailure calls').to.equal(1);
      expect(await metricValues(result.registry, 'authentication_attempts')).to.deep.equal([
        { labels: { result: tc.expectResult }, value: 1 },
      ]);
      expect(await metricValues(result.registry, 'authenticated_user_requests')).to.deep.equal([]);
    });
  }

  it('success stores the user', async () => {
    const result = await authenticate({
      outcome: authenticated(admin),
      headers: { Authorization: 'Bearer abc' },
    });
    expect(result.response.status).to.equal(200);
    expect(result.called, 'handler called').to.equal(true);
    expect(result.handled.user).to.deep.equal(admin);
    expect(result.failures, 'onFailure calls').to.equal(0);
  });

  it('success removes Authorization header', async () => {
    const result = await authenticate({
      outcome: authenticated(admin),
      headers: { Authorization: 'Bearer abc', 'X-Other': 'kept' },
    });
    expect(result.handled.headers.authorization).to.equal(undefined);
    expect(result.handled.headers['x-other']).to.equal('kept');
    const rawNames = result.handled.raw.filter((_, i) => i % 2 === 0);
    expect(rawNames.map((name) => name.toLowerCase())).to.not.include('authorization');
    expect(result.handled.raw).to.not.include('Bearer abc');
    expect(rawNames).to.include('X-Other');
  });

  it('authenticator sees Authorization header', async () => {
    const result = await authenticate({
      outcome: authenticated(admin),
      headers: { Authorization: 'Bearer abc' },
    });
    expect(result.authenticator.seen).to.have.length(1);
    expect(result.authenticator.seen[0]!.header('authorization')).to.equal('Bearer abc');
  });

  it('success counts user metrics', async () => {
    const result = await authenticate({ outcome: authenticated(admin) });
    expect(await metricValues(result.registry, 'authenticated_user_requests')).to.deep.equal([
      { labels: { username: 'admin' }, value: 1 },
    ]);
    expect(await metricValues(result.registry, 'authentication_attempts')).to.deep.equal([
      { labels: { result: 'success' }, value: 1 },
    ]);
  });

  const accepted: { name: string; audiences: string[] | undefined; apiAudiences: string[] }[] = [
    { name: 'shared audience passes', audiences: ['a', 'b'], apiAudiences: ['b'] },
    { name: 'credential without audiences passes', audiences: undefined, apiAudiences: ['b'] },
    { name: 'no api audiences passes', audiences: ['a'], apiAudiences: [] },
  ];
  for (const tc of accepted) {
    it(tc.name, async () => {
      const result = await authenticate({
        outcome: authenticated(admin, tc.audiences),
        apiAudiences: tc.apiAudiences,
      });
      expect(result.response.status).to.equal(200);
      expect(result.handled.user?.name).to.equal('admin');
    });
  }
});

describe('audiencesMatch', () => {
  const cases: {
    name: string;
    apiAudiences: string[];
    credential: string[] | undefined;
    expectMatch: boolean;
  }[] = [
    { name: 'no api audiences', apiAudiences: [], credential: ['a'], expectMatch: true },
    {
      name: 'credential reports none',
      apiAudiences: ['a'],
      credential: undefined,
      expectMatch: true,
    },
    { name: 'credential list empty', apiAudiences: ['a'], credential: [], expectMatch: true },
    { name: 'one shared', apiAudiences: ['a', 'b'], credential: ['c', 'b'], expectMatch: true },
    { name: 'none shared', apiAudiences: ['a'], credential: ['b'], expectMatch: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(audiencesMatch(tc.apiAudiences, tc.credential)).to.equal(tc.expectMatch);
    });
  }
});

describe('compressUsername', () => {
  const cases: { name: string; user: string; expectLabel: string }[] = [
    { name: 'admin kept', user: 'admin', expectLabel: 'admin' },
    { name: 'kubelet kept', user: 'kubelet', expectLabel: 'kubelet' },
    {
      name: 'default service account kept',
      user: 'system:serviceaccount:kube-system:default',
      expectLabel: 'system:serviceaccount:kube-system:default',
    },
    { name: 'email becomes email_id', user: 'jane@example.com', expectLabel: 'email_id' },
    { name: 'other name becomes other', user: 'jane', expectLabel: 'other' },
    {
      name: 'other service account becomes other',
      user: 'system:serviceaccount:ns:builder',
      expectLabel: 'other',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(compressUsername(tc.user)).to.equal(tc.expectLabel);
    });
  }
});
