import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  postSelfSubjectReview,
  reviewedUser,
  send,
  type Reply,
} from '../helpers/e2e/http_client.js';

const NAMESPACE_PATH = '/api/v1/namespaces/default';
const SERVICE_ACCOUNT = 'builder';
const USERNAME = `system:serviceaccount:default:${SERVICE_ACCOUNT}`;

describe('bound service account tokens', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer();
    await create('serviceaccounts', { metadata: { name: SERVICE_ACCOUNT } });
  });

  after(async function () {
    await server?.stop();
  });

  /** Sends a request as admin and fails the test unless the status is `expectStatus`. */
  async function adminRequest(
    method: string,
    path: string,
    body: unknown,
    expectStatus: number,
  ): Promise<Reply> {
    const reply = await send(server, {
      method,
      path,
      headers: [['Content-Type', 'application/json']],
      credentials: { token: server.adminToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(reply.status, `${method} ${path}: ${reply.body}`).to.equal(expectStatus);
    return reply;
  }

  function create(resource: string, object: Record<string, unknown>): Promise<Reply> {
    return adminRequest('POST', `${NAMESPACE_PATH}/${resource}`, object, 201);
  }

  function remove(resource: string, name: string): Promise<Reply> {
    return adminRequest('DELETE', `${NAMESPACE_PATH}/${resource}/${name}`, undefined, 200);
  }

  /** Issues a token for the service account through the TokenRequest API, bound to an object. */
  async function boundToken(kind: 'Secret' | 'Pod', name: string): Promise<string> {
    const reply = await adminRequest(
      'POST',
      `${NAMESPACE_PATH}/serviceaccounts/${SERVICE_ACCOUNT}/token`,
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { boundObjectRef: { kind, apiVersion: 'v1', name } },
      },
      201,
    );
    const token = (JSON.parse(reply.body) as { status?: { token?: string } }).status?.token;
    expect(token).to.be.a('string');
    return token ?? '';
  }

  function review(token: string): Promise<Reply> {
    return postSelfSubjectReview(server, { token });
  }

  // Each token below is first used after the change it tests. A successful authentication is
  // cached for 10 seconds, in kube-apiserver too, so a token used before would still pass.
  it('secret-bound token works', async function () {
    await create('secrets', { metadata: { name: 'kept' } });
    const token = await boundToken('Secret', 'kept');

    const reply = await review(token);

    expect(reply.status).to.equal(201);
    expect(reviewedUser(reply).username).to.equal(USERNAME);
  });

  it('deleted secret revokes token', async function () {
    await create('secrets', { metadata: { name: 'deleted' } });
    const token = await boundToken('Secret', 'deleted');
    await remove('secrets', 'deleted');

    const reply = await review(token);

    expect(reply.status).to.equal(401);
  });

  it('recreated secret revokes token', async function () {
    await create('secrets', { metadata: { name: 'recreated' } });
    const token = await boundToken('Secret', 'recreated');
    await remove('secrets', 'recreated');
    await create('secrets', { metadata: { name: 'recreated' } });

    const reply = await review(token);

    expect(reply.status).to.equal(401);
  });

  it('deleted pod revokes token', async function () {
    await create('pods', {
      metadata: { name: 'web' },
      spec: { serviceAccountName: SERVICE_ACCOUNT, containers: [{ name: 'web', image: 'nginx' }] },
    });
    const token = await boundToken('Pod', 'web');
    const before = await boundToken('Pod', 'web');
    expect((await review(before)).status).to.equal(201);
    await adminRequest(
      'DELETE',
      `${NAMESPACE_PATH}/pods/web`,
      { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 },
      200,
    );

    const reply = await review(token);

    expect(reply.status).to.equal(401);
  });
});
