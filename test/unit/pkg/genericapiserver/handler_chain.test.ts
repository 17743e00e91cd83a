import { expect } from 'chai';
import { Registry } from 'prom-client';
import type { AuditBackend, AuditEvent } from '../../../../pkg/audit/event.js';
import {
  NOT_APPLICABLE,
  type RequestAuthenticator,
} from '../../../../pkg/auth/authenticator/interfaces.js';
import { defaultLongRunningFunc } from '../../../../pkg/genericapiserver/filters/long_running.js';
import {
  buildInsecureHandlerChain,
  defaultBuildHandlerChain,
  newSharedFilters,
  type ChainFilter,
  type HandlerChainConfig,
} from '../../../../pkg/genericapiserver/handler_chain.js';
import { anonymousAuthenticator } from '../../../../plugin/auth/authenticator/request/anonymous/anonymous.js';
import { insecureSuperuserAuthenticator } from '../../../../plugin/auth/authenticator/request/insecure/insecure_superuser.js';
import {
  alwaysAllowAuthorizer,
  alwaysDenyAuthorizer,
} from '../../../../plugin/auth/authorizer/always/always.js';
import { respondOK, serveOnce, silentLogger } from '../../helpers/koa_context.js';

const nullAuditBackend: AuditBackend = {
  processEvent: (_event: AuditEvent) => undefined,
  shutdown: () => Promise.resolve(),
};

/** Builds a configuration with every optional filter turned on, then applies `overrides`. */
function fullConfig(overrides: Partial<HandlerChainConfig> = {}): HandlerChainConfig {
  return {
    logger: silentLogger(),
    registry: new Registry(),
    authenticator: anonymousAuthenticator(),
    authorizer: alwaysAllowAuthorizer(),
    apiAudiences: [],
    auditBackend: nullAuditBackend,
    corsAllowedOrigins: [/^https:\/\/app\.example\.com$/],
    requestTimeoutMs: 60_000,
    longRunning: defaultLongRunningFunc,
    maxRequestsInFlight: 400,
    maxMutatingRequestsInFlight: 200,
    ...overrides,
  };
}

function names(chain: ChainFilter[]): string[] {
  return chain.map((filter) => filter.name);
}

describe('defaultBuildHandlerChain', () => {
  const cases: { name: string; config: Partial<HandlerChainConfig>; expectNames: string[] }[] = [
    {
      name: 'full config order',
      config: {},
      expectNames: [
        'auditInit',
        'panicRecovery',
        'requestInfo',
        'timeout',
        'cors',
        'authentication',
        'audit',
        'impersonation',
        'maxInFlight',
        'authorization',
      ],
    },
    {
      name: 'no CORS origins drops cors',
      config: { corsAllowedOrigins: [] },
      expectNames: [
        'auditInit',
        'panicRecovery',
        'requestInfo',
        'timeout',
        'authentication',
        'audit',
        'impersonation',
        'maxInFlight',
        'authorization',
      ],
    },
    {
      name: 'no audit backend drops audit',
      config: { auditBackend: undefined },
      expectNames: [
        'auditInit',
        'panicRecovery',
        'requestInfo',
        'timeout',
        'cors',
        'authentication',
        'impersonation',
        'maxInFlight',
        'authorization',
      ],
    },
    {
      name: 'zero limits drop maxInFlight',
      config: { maxRequestsInFlight: 0, maxMutatingRequestsInFlight: 0 },
      expectNames: [
        'auditInit',
        'panicRecovery',
        'requestInfo',
        'timeout',
        'cors',
        'authentication',
        'audit',
        'impersonation',
        'authorization',
      ],
    },
    {
      name: 'one nonzero limit keeps maxInFlight',
      config: { maxRequestsInFlight: 0, maxMutatingRequestsInFlight: 5 },
      expectNames: [
        'auditInit',
        'panicRecovery',
        'requestInfo',
        'timeout',
        'cors',
        'authentication',
        'audit',
        'impersonation',
        'maxInFlight',
        'authorization',
      ],
    },
    {
      name: 'minimal config',
      config: {
        corsAllowedOrigins: [],
        auditBackend: undefined,
        maxRequestsInFlight: 0,
        maxMutatingRequestsInFlight: 0,
      },
      expectNames: [
        'auditInit',
        'panicRecovery',
        'requestInfo',
        'timeout',
        'authentication',
        'impersonation',
        'authorization',
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(names(defaultBuildHandlerChain(fullConfig(tc.config)))).to.deep.equal(tc.expectNames);
    });
  }

  it('preflight answered before authentication', async () => {
    let authenticatorCalls = 0;
    const authenticator: RequestAuthenticator = {
      authenticateRequest: () => {
        authenticatorCalls++;
        return Promise.resolve(NOT_APPLICABLE);
      },
    };
    const chain = defaultBuildHandlerChain(fullConfig({ authenticator }));
    const response = await serveOnce([...chain.map((filter) => filter.middleware), respondOK], {
      method: 'OPTIONS',
      path: '/api/v1/pods',
      headers: { Origin: 'https://app.example.com' },
    });
    expect(response.status).to.equal(204);
    expect(authenticatorCalls, 'authenticator calls').to.equal(0);
  });

  it('anonymous denied request gets 403', async () => {
    const chain = defaultBuildHandlerChain(fullConfig({ authorizer: alwaysDenyAuthorizer() }));
    const response = await serveOnce([...chain.map((filter) => filter.middleware), respondOK], {
      path: '/api/v1/namespaces/default/pods',
    });
    expect(response.status).to.equal(403);
    expect(response.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \\"system:anonymous\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"default\\": Everything is forbidden.","reason":"Forbidden","details":{"kind":"pods"},"code":403}\n',
    );
  });

  it('no credential gets 401', async () => {
    const authenticator: RequestAuthenticator = {
      authenticateRequest: () => Promise.resolve(NOT_APPLICABLE),
    };
    const chain = defaultBuildHandlerChain(fullConfig({ authenticator }));
    const response = await serveOnce([...chain.map((filter) => filter.middleware), respondOK], {
      path: '/api/v1/pods',
    });
    expect(response.status).to.equal(401);
  });

  it('allowed request reaches handler', async () => {
    const chain = defaultBuildHandlerChain(fullConfig());
    const response = await serveOnce([...chain.map((filter) => filter.middleware), respondOK], {
      path: '/api/v1/pods',
    });
    expect(response.status).to.equal(200);
    expect(response.body).to.equal('ok');
  });
});

describe('buildInsecureHandlerChain', () => {
  it('full config order', () => {
    const config = fullConfig();
    const chain = buildInsecureHandlerChain(
      config,
      newSharedFilters(config),
      insecureSuperuserAuthenticator(),
    );
    expect(names(chain)).to.deep.equal([
      'auditInit',
      'panicRecovery',
      'requestInfo',
      'maxInFlight',
      'timeout',
      'cors',
      'authentication',
      'audit',
    ]);
  });

  it('minimal config order', () => {
    const config = fullConfig({
      corsAllowedOrigins: [],
      auditBackend: undefined,
      maxRequestsInFlight: 0,
      maxMutatingRequestsInFlight: 0,
    });
    const chain = buildInsecureHandlerChain(
      config,
      newSharedFilters(config),
      insecureSuperuserAuthenticator(),
    );
    expect(names(chain)).to.deep.equal([
      'auditInit',
      'panicRecovery',
      'requestInfo',
      'timeout',
      'authentication',
    ]);
  });

  it('skips authorization even when denying', async () => {
    const config = fullConfig({ authorizer: alwaysDenyAuthorizer() });
    const chain = buildInsecureHandlerChain(
      config,
      newSharedFilters(config),
      insecureSuperuserAuthenticator(),
    );
    const response = await serveOnce([...chain.map((filter) => filter.middleware), respondOK], {
      path: '/api/v1/pods',
    });
    expect(response.status).to.equal(200);
  });
});

describe('newSharedFilters', () => {
  const cases: { name: string; readOnly: number; mutating: number; expectLimited: boolean }[] = [
    { name: 'both zero has no limiter', readOnly: 0, mutating: 0, expectLimited: false },
    { name: 'read-only limit has limiter', readOnly: 1, mutating: 0, expectLimited: true },
    { name: 'mutating limit has limiter', readOnly: 0, mutating: 1, expectLimited: true },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const shared = newSharedFilters(
        fullConfig({ maxRequestsInFlight: tc.readOnly, maxMutatingRequestsInFlight: tc.mutating }),
      );
      expect(shared.maxInFlight !== undefined).to.equal(tc.expectLimited);
    });
  }

  it('registers authentication metrics', () => {
    const config = fullConfig();
    newSharedFilters(config);
    expect(config.registry.getSingleMetric('authentication_attempts')).to.not.equal(undefined);
    expect(config.registry.getSingleMetric('authenticated_user_requests')).to.not.equal(undefined);
  });
});
