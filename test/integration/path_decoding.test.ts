import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  createPods,
  parseBody,
  podManifest,
  requestAsAdmin,
  type APIObject,
} from '../helpers/rest/requests.js';

const CLUSTER_ROLES_PATH = '/apis/rbac.authorization.k8s.io/v1/clusterroles';

describe('percent-encoded API paths', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer();
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'demo:reader' },
      rules: [],
    };
    const created = await requestAsAdmin(server, 'POST', CLUSTER_ROLES_PATH, role);
    expect(created.status, created.body).to.equal(201);
    await createPods(server, 'demo', [podManifest('web')]);
  });

  after(async function () {
    await server?.stop();
  });

  it('escaped colon name found', async function () {
    const reply = await requestAsAdmin(server, 'GET', `${CLUSTER_ROLES_PATH}/demo%3Areader`);
    expect(reply.status, reply.body).to.equal(200);
    expect(parseBody<APIObject>(reply).metadata?.name).to.equal('demo:reader');
  });

  it('escaped namespace lists its pods', async function () {
    const reply = await requestAsAdmin(server, 'GET', '/api/v1/namespaces/%64emo/pods');
    expect(reply.status, reply.body).to.equal(200);
    const names = parseBody<{ items: APIObject[] }>(reply).items.map((pod) => pod.metadata?.name);
    expect(names).to.deep.equal(['web']);
  });

  it('invalid escape gets 400', async function () {
    const reply = await requestAsAdmin(server, 'GET', '/api/v1/namespaces/%ZZ/pods');
    expect(reply.status).to.equal(400);
    expect(reply.body).to.equal('400 Bad Request');
  });

  it('pod gets default service account', async function () {
    const reply = await requestAsAdmin(server, 'GET', '/api/v1/namespaces/demo/pods/web');
    const spec = parseBody<{ spec: Record<string, unknown> }>(reply).spec;
    expect(spec.serviceAccountName).to.equal('default');
    expect(spec.serviceAccount).to.equal('default');
  });
});
