import { expect } from 'chai';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
} from '../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../pkg/auth/user/user.js';
import { auditAnnotationsFrom } from '../../../../../pkg/audit/context.js';
import { withAuthorization } from '../../../../../pkg/genericapiserver/filters/authorization.js';
import { withRequestInfo } from '../../../../../pkg/genericapiserver/filters/request_info.js';
import { ChainMiswiredError } from '../../../../../pkg/genericapiserver/request/context.js';
import { alwaysDenyAuthorizer } from '../../../../../plugin/auth/authorizer/always/always.js';
import {
  KoaTestServer,
  provideUser,
  respondOK,
  serveOnce,
  silentLogger,
} from '../../../helpers/koa_context.js';

const jane = newUserInfo({ name: 'jane', groups: ['system:authenticated'] });
const anonymous = newUserInfo({ name: 'system:anonymous', groups: ['system:unauthenticated'] });

function fixedAuthorizer(result: AuthorizationResult | Error): Authorizer & { seen: Attributes[] } {
  const seen: Attributes[] = [];
  return {
    seen,
    authorize(attributes) {
      seen.push(attributes);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
}

async function authorize(
  authorizer: Authorizer,
  user: UserInfo,
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string; called: boolean }> {
  let called = false;
  const response = await serveOnce(
    [
      withRequestInfo(),
      provideUser(user),
      withAuthorization(authorizer, silentLogger()),
      (ctx) => {
        called = true;
        ctx.body = 'ok';
      },
    ],
    { method, path },
  );
  return { ...response, called };
}

describe('withAuthorization', () => {
  it('allow passes through', async () => {
    const authorizer = fixedAuthorizer({ decision: 'allow', reason: '' });
    const result = await authorize(authorizer, jane, 'GET', '/api/v1/namespaces/foo/pods/bar');
    expect(result.status).to.equal(200);
    expect(result.called, 'handler called').to.equal(true);
  });

  it('authorizer gets request attributes', async () => {
    const authorizer = fixedAuthorizer({ decision: 'allow', reason: '' });
    await authorize(
      authorizer,
      jane,
      'PATCH',
      '/apis/apps/v1/namespaces/foo/deployments/web/scale',
    );
    expect(authorizer.seen).to.deep.equal([
      {
        user: jane,
        verb: 'patch',
        isResourceRequest: true,
        path: '/apis/apps/v1/namespaces/foo/deployments/web/scale',
        namespace: 'foo',
        apiGroup: 'apps',
        apiVersion: 'v1',
        resource: 'deployments',
        subresource: 'scale',
        name: 'web',
      },
    ]);
  });

  const denials: {
    name: string;
    user: UserInfo;
    method: string;
    path: string;
    result: AuthorizationResult;
    expectBody: string;
  }[] = [
    {
      name: 'namespaced list forbidden',
      user: anonymous,
      method: 'GET',
      path: '/api/v1/namespaces/default/pods',
      result: { decision: 'noOpinion', reason: '' },
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \\"system:anonymous\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"default\\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}\n',
    },
    {
      name: 'cluster-scoped list forbidden',
      user: jane,
      method: 'GET',
      path: '/api/v1/nodes',
      result: { decision: 'deny', reason: '' },
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes is forbidden: User \\"jane\\" cannot list resource \\"nodes\\" in API group \\"\\" at the cluster scope","reason":"Forbidden","details":{"kind":"nodes"},"code":403}\n',
    },
    {
      name: 'named group resource forbidden',
      user: jane,
      method: 'DELETE',
      path: '/apis/apps/v1/namespaces/foo/deployments/web',
      result: { decision: 'noOpinion', reason: '' },
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"web\\" is forbidden: User \\"jane\\" cannot delete resource \\"deployments\\" in API group \\"apps\\" in the namespace \\"foo\\"","reason":"Forbidden","details":{"name":"web","group":"apps","kind":"deployments"},"code":403}\n',
    },
    {
      name: 'subresource forbidden',
      user: jane,
      method: 'GET',
      path: '/api/v1/namespaces/foo/pods/bar/log',
      result: { decision: 'noOpinion', reason: '' },
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"bar\\" is forbidden: User \\"jane\\" cannot get resource \\"pods/log\\" in API group \\"\\" in the namespace \\"foo\\"","reason":"Forbidden","details":{"name":"bar","kind":"pods"},"code":403}\n',
    },
    {
      name: 'non-resource path forbidden',
      user: jane,
      method: 'GET',
      path: '/healthz',
      result: { decision: 'noOpinion', reason: '' },
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"jane\\" cannot get path \\"/healthz\\"","reason":"Forbidden","details":{},"code":403}\n',
    },
    {
      name: 'reason appended after colon',
      user: jane,
      method: 'GET',
      path: '/api/v1/nodes',
      result: { decision: 'deny', reason: 'node access is restricted' },
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes is forbidden: User \\"jane\\" cannot list resource \\"nodes\\" in API group \\"\\" at the cluster scope: node access is restricted","reason":"Forbidden","details":{"kind":"nodes"},"code":403}\n',
    },
  ];
  for (const tc of denials) {
    it(tc.name, async () => {
      const result = await authorize(fixedAuthorizer(tc.result), tc.user, tc.method, tc.path);
      expect(result.status).to.equal(403);
      expect(result.headers['content-type']).to.equal('application/json');
      expect(result.headers['x-content-type-options']).to.equal('nosniff');
      expect(result.body).to.equal(tc.expectBody);
      expect(result.called, 'handler called').to.equal(false);
    });
  }

  it('AlwaysDeny reason in message', async () => {
    const result = await authorize(alwaysDenyAuthorizer(), jane, 'POST', '/api/v1/namespaces');
    expect(result.status).to.equal(403);
    expect(result.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"namespaces is forbidden: User \\"jane\\" cannot create resource \\"namespaces\\" in API group \\"\\" at the cluster scope: Everything is forbidden.","reason":"Forbidden","details":{"kind":"namespaces"},"code":403}\n',
    );
  });

  it('authorizer failure gives plain-text 500', async () => {
    const result = await authorize(
      fixedAuthorizer(new Error('webhook unreachable')),
      jane,
      'GET',
      '/api/v1/pods?limit=1',
    );
    expect(result.status).to.equal(500);
    expect(result.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(result.headers['x-content-type-options']).to.equal('nosniff');
    expect(result.body).to.equal(
      'Internal Server Error: "/api/v1/pods?limit=1": webhook unreachable\n',
    );
    expect(result.called, 'handler called').to.equal(false);
  });

  it('authorizer failure text is HTML-escaped', async () => {
    const result = await authorize(
      fixedAuthorizer(new Error('bad <policy> & more')),
      jane,
      'GET',
      '/healthz?q=<b>',
    );
    expect(result.status).to.equal(500);
    expect(result.body).to.equal(
      'Internal Server Error: "/healthz?q=&lt;b&gt;": bad &lt;policy&gt; &amp; more\n',
    );
  });

  it('missing user is a miswired chain', async () => {
    const server = await KoaTestServer.start([
      withRequestInfo(),
      withAuthorization(fixedAuthorizer({ decision: 'allow', reason: '' }), silentLogger()),
      respondOK,
    ]);
    try {
      const response = await server.request({ path: '/api/v1/pods' });
      expect(response.status).to.equal(500);
      expect(server.appErrors).to.have.length(1);
      expect(server.appErrors[0]).to.be.instanceOf(ChainMiswiredError);
      expect(server.appErrors[0]!.message).to.equal(
        'no user found in the request context: the handler chain is miswired',
      );
    } finally {
      await server.close();
    }
  });
});

describe('withAuthorization audit annotations', () => {
  const cases: {
    name: string;
    result: AuthorizationResult | Error;
    expectStatus: number;
    expectAnnotations: Record<string, string>;
  }[] = [
    {
      name: 'allow records decision and reason',
      result: { decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "ops"' },
      expectStatus: 200,
      expectAnnotations: {
        'authorization.k8s.io/decision': 'allow',
        'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "ops"',
      },
    },
    {
      name: 'allow without reason records empty reason',
      result: { decision: 'allow', reason: '' },
      expectStatus: 200,
      expectAnnotations: {
        'authorization.k8s.io/decision': 'allow',
        'authorization.k8s.io/reason': '',
      },
    },
    {
      name: 'deny records forbid',
      result: { decision: 'deny', reason: 'denied by policy' },
      expectStatus: 403,
      expectAnnotations: {
        'authorization.k8s.io/decision': 'forbid',
        'authorization.k8s.io/reason': 'denied by policy',
      },
    },
    {
      name: 'no opinion records forbid',
      result: { decision: 'noOpinion', reason: '' },
      expectStatus: 403,
      expectAnnotations: {
        'authorization.k8s.io/decision': 'forbid',
        'authorization.k8s.io/reason': '',
      },
    },
    {
      name: 'failure records only internal error',
      result: new Error('webhook unreachable'),
      expectStatus: 500,
      expectAnnotations: { 'authorization.k8s.io/reason': 'internal error' },
    },
  ];

  for (const tc of cases) {
    it(tc.name, async () => {
      let annotations: Record<string, string> | undefined;
      const response = await serveOnce(
        [
          async (ctx, next) => {
            // Read after the response is written, as the audit filter does.
            await next();
            annotations = auditAnnotationsFrom(ctx);
          },
          withRequestInfo(),
          provideUser(jane),
          withAuthorization(fixedAuthorizer(tc.result), silentLogger()),
          respondOK,
        ],
        { method: 'GET', path: '/api/v1/namespaces/foo/pods/bar' },
      );
      expect(response.status).to.equal(tc.expectStatus);
      expect(annotations).to.deep.equal(tc.expectAnnotations);
    });
  }
});
