import { expect } from 'chai';
import { withRequestInfo } from '../../../../../pkg/genericapiserver/filters/request_info.js';
import {
  receivedAtFrom,
  requestInfoFrom,
} from '../../../../../pkg/genericapiserver/request/context.js';
import type { RequestInfo } from '../../../../../pkg/genericapiserver/request/requestinfo.js';
import { inspectContext, serveOnce } from '../../../helpers/koa_context.js';

describe('withRequestInfo', () => {
  const cases: {
    name: string;
    method: string;
    path: string;
    expect: Partial<RequestInfo>;
  }[] = [
    {
      name: 'watch query resolved',
      method: 'GET',
      path: '/api/v1/namespaces/foo/pods?watch=true',
      expect: {
        isResourceRequest: true,
        path: '/api/v1/namespaces/foo/pods',
        verb: 'watch',
        namespace: 'foo',
        resource: 'pods',
      },
    },
    {
      name: 'delete collection resolved',
      method: 'DELETE',
      path: '/apis/apps/v1/namespaces/foo/deployments',
      expect: {
        isResourceRequest: true,
        verb: 'deletecollection',
        apiGroup: 'apps',
        resource: 'deployments',
      },
    },
    {
      name: 'non-resource path resolved',
      method: 'GET',
      path: '/healthz?verbose',
      expect: { isResourceRequest: false, path: '/healthz', verb: 'get' },
    },
  ];

  for (const tc of cases) {
    it(tc.name, async () => {
      let info: RequestInfo | undefined;
      let receivedAt: number | undefined;
      const response = await serveOnce(
        [
          withRequestInfo(() => 1_700_000_000_000),
          inspectContext((ctx) => {
            info = requestInfoFrom(ctx);
            receivedAt = receivedAtFrom(ctx);
          }),
        ],
        { method: tc.method, path: tc.path },
      );
      expect(response.status).to.equal(200);
      expect(receivedAt).to.equal(1_700_000_000_000);
      expect(info, 'request info').to.not.equal(undefined);
      for (const [field, expected] of Object.entries(tc.expect)) {
        expect(info![field as keyof RequestInfo], field).to.deep.equal(expected);
      }
    });
  }
});

describe('withRequestInfo invalid escape', () => {
  it('invalid escape gets Go 400', async () => {
    let called = false;
    const response = await serveOnce(
      [
        async (ctx, next) => {
          ctx.set('Audit-Id', 'set-by-audit-init');
          await next();
        },
        withRequestInfo(),
        inspectContext(() => {
          called = true;
        }),
      ],
      { method: 'GET', path: '/api/v1/namespaces/%ZZ/pods' },
    );
    expect(response.status).to.equal(400);
    expect(response.body).to.equal('400 Bad Request');
    expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(response.headers.connection).to.equal('close');
    expect(response.headers['audit-id']).to.equal(undefined);
    expect(called, 'later middleware called').to.equal(false);
  });
});
