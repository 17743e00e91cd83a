import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { send, type Credentials } from '../helpers/e2e/http_client.js';

/** Compact Status JSON of a 403, as kube-apiserver's responsewriters.Forbidden writes it. */
function forbiddenBody(message: string, details: Record<string, string>): string {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Forbidden',
    details,
    code: 403,
  };
  return `${JSON.stringify(status)}\n`;
}

const NOT_FOUND_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}\n';

describe('authorization with --authorization-mode=AlwaysDeny', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer(['--authorization-mode=AlwaysDeny']);
  });

  after(async function () {
    await server?.stop();
  });

  const cases: {
    name: string;
    path: string;
    credentials: (s: TestServer) => Credentials;
    headers?: [string, string][];
    expectStatus: number;
    expectBody: string;
  }[] = [
    {
      name: 'anonymous list namespaces',
      path: '/api/v1/namespaces',
      credentials: () => ({}),
      expectStatus: 403,
      expectBody: forbiddenBody(
        'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope: Everything is forbidden.',
        { kind: 'namespaces' },
      ),
    },
    {
      name: 'anonymous get namespaced pod',
      path: '/api/v1/namespaces/default/pods/web',
      credentials: () => ({}),
      expectStatus: 403,
      expectBody: forbiddenBody(
        'pods "web" is forbidden: User "system:anonymous" cannot get resource "pods" in API group "" in the namespace "default": Everything is forbidden.',
        { name: 'web', kind: 'pods' },
      ),
    },
    {
      name: 'anonymous non-resource path',
      path: '/healthz',
      credentials: () => ({}),
      expectStatus: 403,
      expectBody: forbiddenBody(
        'forbidden: User "system:anonymous" cannot get path "/healthz": Everything is forbidden.',
        {},
      ),
    },
    {
      name: 'admin passes authorization',
      path: '/apis/example.com/v1/widgets',
      credentials: (s) => ({ token: s.adminToken }),
      expectStatus: 404,
      expectBody: NOT_FOUND_BODY,
    },
    {
      name: 'admin client certificate passes',
      path: '/apis/example.com/v1/widgets',
      credentials: (s) => ({
        clientCertPem: s.adminClientCertPem,
        clientKeyPem: s.adminClientKeyPem,
      }),
      expectStatus: 404,
      expectBody: NOT_FOUND_BODY,
    },
    {
      name: 'admin impersonating jane denied',
      path: '/api/v1/namespaces',
      credentials: (s) => ({ token: s.adminToken }),
      headers: [['Impersonate-User', 'jane']],
      expectStatus: 403,
      expectBody: forbiddenBody(
        'namespaces is forbidden: User "jane" cannot list resource "namespaces" in API group "" at the cluster scope: Everything is forbidden.',
        { kind: 'namespaces' },
      ),
    },
  ];
  for (const tc of cases) {
    it(tc.name, async function () {
      const reply = await send(server, {
        path: tc.path,
        credentials: tc.credentials(server),
        headers: tc.headers,
      });

      expect(reply.status).to.equal(tc.expectStatus);
      expect(reply.headers['content-type']).to.equal('application/json');
      expect(reply.headers['x-content-type-options']).to.equal('nosniff');
      expect(reply.body).to.equal(tc.expectBody);
    });
  }
});
