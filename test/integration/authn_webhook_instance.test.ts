import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { makeTempDir, removeDir } from '../helpers/e2e/apiserver_process.js';
import { postSelfSubjectReview, reviewedUser } from '../helpers/e2e/http_client.js';

const JANE_TOKEN = 'jane-token-0123456789';
const JOE_TOKEN = 'joe-token-0123456789';

/** Returns how many requests a server authenticated as `username`, from its metrics. */
async function authenticatedAs(server: TestServer, username: string): Promise<number> {
  const metric = server.registry.getSingleMetric('authenticated_user_requests');
  if (metric === undefined) throw new Error('authenticated_user_requests not registered');
  const { values } = await metric.get();
  return values.find((value) => value.labels.username === username)?.value ?? 0;
}

describe('webhook served by a second instance', function () {
  let dir: string;
  let webhook: TestServer;
  let server: TestServer;

  before(async function () {
    dir = await makeTempDir('webhook-instance');
    const tokens = join(dir, 'tokens.csv');
    await writeFile(tokens, `${JANE_TOKEN},jane,jane-uid,"devs,qa"\n${JOE_TOKEN},joe,joe-uid\n`);
    webhook = await startTestServer([`--token-auth-file=${tokens}`]);

    const kubeconfig = join(dir, 'webhook.kubeconfig');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'webhook',
            cluster: {
              server: `${webhook.url}/apis/authentication.k8s.io/v1/tokenreviews`,
              'certificate-authority-data': Buffer.from(webhook.caPem).toString('base64'),
            },
          },
        ],
        users: [
          {
            name: 'apiserver',
            user: {
              'client-certificate-data': Buffer.from(webhook.adminClientCertPem).toString('base64'),
              'client-key-data': Buffer.from(webhook.adminClientKeyPem).toString('base64'),
            },
          },
        ],
        contexts: [{ name: 'webhook', context: { cluster: 'webhook', user: 'apiserver' } }],
        'current-context': 'webhook',
      }),
    );
    server = await startTestServer([
      `--authentication-token-webhook-config-file=${kubeconfig}`,
      '--authentication-token-webhook-version=v1',
    ]);
  });

  after(async function () {
    await server?.stop();
    await webhook?.stop();
    await removeDir(dir);
  });

  it('token known to the webhook authenticates', async function () {
    const reply = await postSelfSubjectReview(server, { token: JANE_TOKEN });

    expect(reply.status, reply.body).to.equal(201);
    const user = reviewedUser(reply);
    expect(user.username).to.equal('jane');
    expect(user.groups).to.deep.equal(['devs', 'qa', 'system:authenticated']);
  });

  it('webhook called once within its cache TTL', async function () {
    // Each TokenReview the webhook instance serves authenticates the calling server as admin,
    // so its admin request count is the number of webhook calls.
    const before = await authenticatedAs(webhook, 'admin');
    for (let i = 0; i < 3; i++) {
      const reply = await postSelfSubjectReview(server, { token: JOE_TOKEN });
      expect(reply.status).to.equal(201);
    }

    expect((await authenticatedAs(webhook, 'admin')) - before).to.equal(1);
  });

  it('unknown token is 401', async function () {
    const reply = await postSelfSubjectReview(server, { token: 'not-a-known-token' });

    expect(reply.status).to.equal(401);
  });
});
