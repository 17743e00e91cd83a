import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateCA, generateServingCert } from '../../cmd/apiserver/app/bootstrap/pki.js';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { makeTempDir, removeDir } from '../helpers/e2e/apiserver_process.js';
import { send, type Credentials } from '../helpers/e2e/http_client.js';
import { namespaceManifest, requestAsAdmin } from '../helpers/rest/requests.js';

const ADMIN_TOKEN = 'admin-token-0123456789';
const ALICE_TOKEN = 'alice-token-0123456789';
const BOB_TOKEN = 'bob-token-0123456789';

const TOKENS = [
  `${ADMIN_TOKEN},admin,admin-uid,"system:masters"`,
  `${ALICE_TOKEN},alice,alice-uid`,
  `${BOB_TOKEN},bob,bob-uid,"dev"`,
].join('\n');

function v1beta1(spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'abac.authorization.kubernetes.io/v1beta1',
    kind: 'Policy',
    spec,
  });
}

const POLICY = [
  '# alice owns team-a; members of dev read pods anywhere.',
  v1beta1({ user: 'alice', namespace: 'team-a', resource: '*', apiGroup: '*' }),
  v1beta1({ group: 'dev', readonly: true, namespace: '*', resource: 'pods', apiGroup: '' }),
  '',
  '# Every authenticated user reads /version; anonymous requests read /healthz.',
  v1beta1({ user: '*', readonly: true, nonResourcePath: '/version' }),
  v1beta1({ group: 'system:unauthenticated', readonly: true, nonResourcePath: '/healthz' }),
  '# An unversioned policy: bob may do anything with configmaps in every namespace.',
  '{"user": "bob", "resource": "configmaps"}',
].join('\n');

const CONFIGMAP = JSON.stringify({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data: { mode: 'test' },
});

const POD = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: { containers: [{ name: 'main', image: 'busybox:1' }] },
});

describe('authorization with --authorization-mode=ABAC', function () {
  let dir: string;
  let server: TestServer;

  before(async function () {
    dir = await makeTempDir('abac-mode');
    const tokens = join(dir, 'tokens.csv');
    const policy = join(dir, 'policy.jsonl');
    await writeFile(tokens, TOKENS);
    await writeFile(policy, POLICY);
    server = await startTestServer([
      '--authorization-mode=ABAC',
      `--authorization-policy-file=${policy}`,
      `--token-auth-file=${tokens}`,
    ]);
    const created = await requestAsAdmin(
      { url: server.url, caPem: server.caPem, adminToken: ADMIN_TOKEN },
      'POST',
      '/api/v1/namespaces',
      namespaceManifest('team-a'),
    );
    expect(created.status, created.body).to.equal(201);
  });

  after(async function () {
    await server?.stop();
    if (dir !== undefined) await removeDir(dir);
  });

  const alice: Credentials = { token: ALICE_TOKEN };
  const bob: Credentials = { token: BOB_TOKEN };
  const anonymous: Credentials = {};

  const cases: {
    name: string;
    credentials: Credentials;
    method?: string;
    path: string;
    body?: string;
    expectStatus: number;
    /** The Status message of a 403. */
    expectMessage?: string;
  }[] = [
    {
      name: 'alice lists own namespace',
      credentials: alice,
      path: '/api/v1/namespaces/team-a/configmaps',
      expectStatus: 200,
    },
    {
      name: 'alice creates in own namespace',
      credentials: alice,
      method: 'POST',
      path: '/api/v1/namespaces/team-a/configmaps',
      body: CONFIGMAP,
      expectStatus: 201,
    },
    {
      name: 'alice reads any API group',
      credentials: alice,
      path: '/apis/apps/v1/namespaces/team-a/deployments',
      expectStatus: 200,
    },
    {
      name: 'alice denied other namespace',
      credentials: alice,
      path: '/api/v1/namespaces/default/configmaps',
      expectStatus: 403,
      expectMessage:
        'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default": No policy matched.',
    },
    {
      name: 'alice denied cluster scope',
      credentials: alice,
      path: '/api/v1/namespaces',
      expectStatus: 403,
      expectMessage:
        'namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope: No policy matched.',
    },
    {
      name: 'dev group reads pods',
      credentials: bob,
      path: '/api/v1/namespaces/team-a/pods',
      expectStatus: 200,
    },
    {
      name: 'dev group cannot create pods',
      credentials: bob,
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: POD,
      expectStatus: 403,
      expectMessage:
        'pods is forbidden: User "bob" cannot create resource "pods" in API group "" in the namespace "default": No policy matched.',
    },
    {
      name: 'unversioned policy allows create',
      credentials: bob,
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: CONFIGMAP,
      expectStatus: 201,
    },
    {
      name: 'bob denied other resources',
      credentials: bob,
      path: '/apis/apps/v1/namespaces/default/deployments',
      expectStatus: 403,
      expectMessage:
        'deployments.apps is forbidden: User "bob" cannot list resource "deployments" in API group "apps" in the namespace "default": No policy matched.',
    },
    { name: 'user star reads version', credentials: alice, path: '/version', expectStatus: 200 },
    {
      name: 'user star excludes anonymous',
      credentials: anonymous,
      path: '/version',
      expectStatus: 403,
      expectMessage:
        'forbidden: User "system:anonymous" cannot get path "/version": No policy matched.',
    },
    {
      name: 'anonymous group reads healthz',
      credentials: anonymous,
      path: '/healthz',
      expectStatus: 200,
    },
    {
      name: 'authenticated user denied healthz',
      credentials: alice,
      path: '/healthz',
      expectStatus: 403,
      expectMessage: 'forbidden: User "alice" cannot get path "/healthz": No policy matched.',
    },
    {
      name: 'system:masters bypasses policies',
      credentials: { token: ADMIN_TOKEN },
      path: '/api/v1/namespaces',
      expectStatus: 200,
    },
  ];
  for (const tc of cases) {
    it(tc.name, async function () {
      const headers: [string, string][] = [['Accept', 'application/json']];
      if (tc.body !== undefined) headers.push(['Content-Type', 'application/json']);

      const reply = await send(server, {
        method: tc.method ?? 'GET',
        path: tc.path,
        headers,
        credentials: tc.credentials,
        body: tc.body,
      });

      expect(reply.status, reply.body).to.equal(tc.expectStatus);
      if (tc.expectMessage !== undefined) {
        const status = JSON.parse(reply.body) as { reason?: string; message?: string };
        expect(status.reason).to.equal('Forbidden');
        expect(status.message).to.equal(tc.expectMessage);
      }
    });
  }
});

/**
 * Starts a SubjectAccessReview endpoint on 127.0.0.1 that allows alice, denies bob, has no
 * opinion on anyone else, and responds with 403 for carol so that the call fails. It records the
 * user of each review it receives.
 */
async function startFakeSubjectAccessReviewer(
  certPem: string,
  keyPem: string,
): Promise<{ server: Server; users: string[] }> {
  const users: string[] = [];
  const server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        spec: { user?: string };
      };
      const user = review.spec.user ?? '';
      users.push(user);
      if (user === 'carol') {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end('{}');
        return;
      }
      const status =
        user === 'alice'
          ? { allowed: true }
          : user === 'bob'
            ? { allowed: false, denied: true, reason: 'bob is suspended' }
            : { allowed: false, reason: 'unknown user' };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          status,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, users };
}

// The test against a second instance of this server, as the webhook, waits for its
// SubjectAccessReview API. This one uses a fake endpoint to check the flag wiring.
describe('authorization with --authorization-mode=Webhook', function () {
  let dir: string;
  let server: TestServer;
  let reviewer: { server: Server; users: string[] };
  const CAROL_TOKEN = 'carol-token-0123456789';

  before(async function () {
    dir = await makeTempDir('webhook-mode');
    const ca = generateCA('authz-webhook-ca');
    const serving = generateServingCert(ca, { dnsNames: [], ips: ['127.0.0.1'] });
    reviewer = await startFakeSubjectAccessReviewer(serving.certPem, serving.keyPem);
    const port = (reviewer.server.address() as AddressInfo).port;
    const kubeconfig = join(dir, 'authz.kubeconfig');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'authz',
            cluster: {
              server: `https://127.0.0.1:${port}/authorize`,
              'certificate-authority-data': Buffer.from(ca.certPem).toString('base64'),
            },
          },
        ],
        contexts: [{ name: 'authz', context: { cluster: 'authz' } }],
        'current-context': 'authz',
      }),
    );
    const tokens = join(dir, 'tokens.csv');
    await writeFile(tokens, `${TOKENS}\n${CAROL_TOKEN},carol,carol-uid\n`);
    server = await startTestServer([
      '--authorization-mode=Webhook,AlwaysDeny',
      `--authorization-webhook-config-file=${kubeconfig}`,
      '--authorization-webhook-version=v1',
      `--token-auth-file=${tokens}`,
    ]);
  });

  after(async function () {
    await server?.stop();
    reviewer?.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      reviewer ? reviewer.server.close(() => resolve()) : resolve(),
    );
    if (dir !== undefined) await removeDir(dir);
  });

  const cases: {
    name: string;
    credentials: Credentials;
    expectStatus: number;
    expectBody: RegExp;
  }[] = [
    {
      name: 'allowed user passes',
      credentials: { token: ALICE_TOKEN },
      expectStatus: 200,
      expectBody: /"items"/,
    },
    {
      name: 'denied user forbidden',
      credentials: { token: BOB_TOKEN },
      expectStatus: 403,
      expectBody: /in the namespace \\"default\\": bob is suspended"/,
    },
    {
      // The union joins the reasons of every mode without an opinion with a newline.
      name: 'no opinion falls through',
      credentials: {},
      expectStatus: 403,
      expectBody: /: unknown user\\nEverything is forbidden\."/,
    },
    {
      name: 'webhook failure answers 500',
      credentials: { token: CAROL_TOKEN },
      expectStatus: 500,
      expectBody: /^Internal Server Error: .*unable to call the authorization webhook at /,
    },
  ];
  for (const tc of cases) {
    it(tc.name, async function () {
      const reply = await send(server, {
        path: '/api/v1/namespaces/default/configmaps',
        credentials: tc.credentials,
      });

      expect(reply.status, reply.body).to.equal(tc.expectStatus);
      expect(reply.body).to.match(tc.expectBody);
    });
  }

  it('admin never reaches webhook', async function () {
    const before = reviewer.users.length;

    const reply = await send(server, {
      path: '/api/v1/namespaces',
      credentials: { token: ADMIN_TOKEN },
    });

    expect(reply.status).to.equal(200);
    expect(reviewer.users.slice(before)).to.deep.equal([]);
  });
});

describe('authorization mode start-up errors', function () {
  let dir: string;

  before(async function () {
    dir = await makeTempDir('abac-errors');
  });

  after(async function () {
    if (dir !== undefined) await removeDir(dir);
  });

  async function startFailure(flags: string[]): Promise<Error> {
    try {
      const server = await startTestServer(flags);
      await server.stop();
    } catch (err) {
      return err as Error;
    }
    return expect.fail(`expected ${flags.join(' ')} to fail`);
  }

  it('invalid policy line named', async function () {
    const policy = join(dir, 'broken.jsonl');
    await writeFile(
      policy,
      `# header\n${v1beta1({ user: 'alice', resource: '*' })}\n{"user": 7}\n`,
    );

    const err = await startFailure([
      '--authorization-mode=ABAC',
      `--authorization-policy-file=${policy}`,
    ]);

    expect(err.message).to.equal(
      `--authorization-policy-file: ${policy}: line 3: user must be a string`,
    );
  });

  it('ABAC without policy file', async function () {
    const err = await startFailure(['--authorization-mode=ABAC']);

    expect(err.message).to.equal(
      '--authorization-mode: mode ABAC needs a policy file: set --authorization-policy-file',
    );
  });

  it('missing webhook config named', async function () {
    const config = join(dir, 'missing.kubeconfig');

    const err = await startFailure([
      '--authorization-mode=Webhook',
      `--authorization-webhook-config-file=${config}`,
    ]);

    const prefix = `--authorization-webhook-config-file: ${config}: unable to read the file: `;
    expect(err.message.startsWith(prefix), err.message).to.equal(true);
  });
});
