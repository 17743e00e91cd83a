import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  createPods,
  parseBody,
  podManifest,
  requestAsAdmin,
  type APIObject,
  type Status,
} from '../helpers/rest/requests.js';

/** Returns the item names of a list reply. */
function itemNames(list: APIObject): (string | undefined)[] {
  return (list.items ?? []).map((item) => item.metadata.name);
}

describe('REST list selectors and paging', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer();
    await createPods(server, 'shop', [
      podManifest('web-1', { app: 'web', tier: 'fe' }),
      podManifest('web-2', { app: 'web', tier: 'be' }),
      podManifest('db', { app: 'db' }),
      podManifest('bare'),
    ]);
    await createPods(server, 'pages', [podManifest('p-1'), podManifest('p-2'), podManifest('p-3')]);
  });

  after(async function () {
    await server?.stop();
  });

  function listPods(query: string): ReturnType<typeof requestAsAdmin> {
    return requestAsAdmin(server, 'GET', `/api/v1/namespaces/shop/pods?${query}`);
  }

  const labelCases = [
    { name: 'equals', selector: 'app=web', expectNames: ['web-1', 'web-2'] },
    { name: 'double equals', selector: 'app==web', expectNames: ['web-1', 'web-2'] },
    // Objects without the key match != and notin, as in kube-apiserver.
    { name: 'not equals', selector: 'app!=web', expectNames: ['bare', 'db'] },
    { name: 'in', selector: 'app in (web,db)', expectNames: ['db', 'web-1', 'web-2'] },
    { name: 'notin', selector: 'app notin (web)', expectNames: ['bare', 'db'] },
    { name: 'exists', selector: 'tier', expectNames: ['web-1', 'web-2'] },
    { name: 'does not exist', selector: '!tier', expectNames: ['bare', 'db'] },
    { name: 'two requirements', selector: 'app=web,tier!=fe', expectNames: ['web-2'] },
    { name: 'no match', selector: 'app=cache', expectNames: [] },
    { name: 'empty', selector: '', expectNames: ['bare', 'db', 'web-1', 'web-2'] },
  ];
  for (const tc of labelCases) {
    it(`labelSelector ${tc.name}`, async function () {
      const reply = await listPods(`labelSelector=${encodeURIComponent(tc.selector)}`);

      expect(reply.status, reply.body).to.equal(200);
      expect(itemNames(parseBody<APIObject>(reply))).to.deep.equal(tc.expectNames);
    });
  }

  const fieldCases = [
    { name: 'name equals', selector: 'metadata.name=db', expectNames: ['db'] },
    {
      name: 'name not equals',
      selector: 'metadata.name!=db',
      expectNames: ['bare', 'web-1', 'web-2'],
    },
    {
      name: 'namespace and name',
      selector: 'metadata.namespace=shop,metadata.name=web-2',
      expectNames: ['web-2'],
    },
    { name: 'other namespace', selector: 'metadata.namespace=pages', expectNames: [] },
    {
      name: 'pod phase',
      selector: 'status.phase=Pending',
      expectNames: ['bare', 'db', 'web-1', 'web-2'],
    },
    { name: 'pod phase not matching', selector: 'status.phase=Running', expectNames: [] },
  ];
  for (const tc of fieldCases) {
    it(`fieldSelector ${tc.name}`, async function () {
      const reply = await listPods(`fieldSelector=${encodeURIComponent(tc.selector)}`);

      expect(reply.status, reply.body).to.equal(200);
      expect(itemNames(parseBody<APIObject>(reply))).to.deep.equal(tc.expectNames);
    });
  }

  it('labelSelector with field selector', async function () {
    const labels = encodeURIComponent('app=web');
    const fields = encodeURIComponent('metadata.name!=web-1');

    const reply = await listPods(`labelSelector=${labels}&fieldSelector=${fields}`);

    expect(reply.status, reply.body).to.equal(200);
    expect(itemNames(parseBody<APIObject>(reply))).to.deep.equal(['web-2']);
  });

  const badCases = [
    {
      name: 'unclosed set in labelSelector',
      query: `labelSelector=${encodeURIComponent('app in (web')}`,
      expectMessage: 'unable to parse requirement: "app in (web" in selector "app in (web"',
    },
    {
      name: 'unknown field in fieldSelector',
      query: `fieldSelector=${encodeURIComponent('spec.bogus=1')}`,
      expectMessage: 'field label not supported: spec.bogus',
    },
    {
      name: 'negative limit',
      query: 'limit=-1',
      expectMessage: 'invalid limit: "-1"',
    },
    {
      name: 'garbage continue token',
      query: 'limit=1&continue=garbage',
      expectMessage:
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    },
  ];
  for (const tc of badCases) {
    it(`list with ${tc.name} is 400`, async function () {
      const reply = await listPods(tc.query);

      expect(reply.status).to.equal(400);
      const status = parseBody<Status>(reply);
      expect(status.reason).to.equal('BadRequest');
      expect(status.message).to.equal(tc.expectMessage);
    });
  }

  it('limit=1 pages through three pods', async function () {
    const pages: APIObject[] = [];
    let query = 'limit=1';
    for (let page = 0; page < 4; page++) {
      const reply = await requestAsAdmin(server, 'GET', `/api/v1/namespaces/pages/pods?${query}`);
      expect(reply.status, reply.body).to.equal(200);
      const list = parseBody<APIObject>(reply);
      pages.push(list);
      const token = list.metadata.continue;
      if (token === undefined) break;
      query = `limit=1&continue=${encodeURIComponent(token)}`;
    }

    expect(pages.map(itemNames)).to.deep.equal([['p-1'], ['p-2'], ['p-3']]);
    expect(pages[0]?.metadata.continue).to.be.a('string').and.not.equal('');
    expect(pages[1]?.metadata.continue).to.be.a('string').and.not.equal('');
    expect(pages[2]?.metadata).to.not.have.property('continue');
  });

  it('limit=0 returns every pod', async function () {
    const reply = await requestAsAdmin(server, 'GET', '/api/v1/namespaces/pages/pods?limit=0');

    expect(reply.status, reply.body).to.equal(200);
    const list = parseBody<APIObject>(reply);
    expect(itemNames(list)).to.deep.equal(['p-1', 'p-2', 'p-3']);
    expect(list.metadata).to.not.have.property('continue');
  });
});
