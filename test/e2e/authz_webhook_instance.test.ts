import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { send, type Reply } from '../helpers/e2e/http_client.js';
import { runKubectl, writeKubeconfig } from '../helpers/e2e/kubectl.js';
import { waitUntil } from '../helpers/e2e/wait.js';

const JANE_TOKEN = 'jane-token-0123456789';
const CAROL_TOKEN = 'carol-token-0123456789';

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SUBJECT_ACCESS_REVIEWS_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

/** The group of the users that the webhook clients authenticate as on the RBAC instance. */
const WEBHOOK_CALLERS_GROUP = 'webhook-callers';

/** One webhook client: an instance in Webhook mode, and the user it calls the RBAC instance as. */
interface WebhookClientSpec {
  /** User name and token on the RBAC instance, one per client so its reviews can be counted. */
  caller: string;
  /** --authorization-webhook-* flags besides the config file. */
  flags: string[];
}

const CACHING: WebhookClientSpec = {
  caller: 'webhook-caching',
  flags: ['--authorization-webhook-version=v1'],
};
const NOT_CACHING: WebhookClientSpec = {
  caller: 'webhook-not-caching',
  flags: [
    '--authorization-webhook-version=v1',
    '--authorization-webhook-cache-authorized-ttl=0',
    '--authorization-webhook-cache-unauthorized-ttl=0',
  ],
};
/** No --authorization-webhook-version, so the client sends v1beta1, kube-apiserver's default. */
const DEFAULT_VERSION: WebhookClientSpec = { caller: 'webhook-default-version', flags: [] };

function callerToken(spec: WebhookClientSpec): string {
  return `${spec.caller}-token-0123456789`;
}

/**
 * The RBAC instance's policy: jane may read pods in demo, and the webhook callers may create
 * SubjectAccessReviews. Other users have only the rules of the bootstrap policy.
 */
const POLICY = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } },
  {
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: { name: 'pod-reader', namespace: 'demo' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
  },
  {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: { name: 'jane-reads-pods', namespace: 'demo' },
    subjects: [{ kind: 'User', name: 'jane', apiGroup: RBAC_GROUP }],
    roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: RBAC_GROUP },
  },
  {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: { name: 'subjectaccessreview-creator' },
    rules: [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['subjectaccessreviews'],
        verbs: ['create'],
      },
    ],
  },
  {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'webhook-callers-review-access' },
    subjects: [{ kind: 'Group', name: WEBHOOK_CALLERS_GROUP, apiGroup: RBAC_GROUP }],
    roleRef: { kind: 'ClusterRole', name: 'subjectaccessreview-creator', apiGroup: RBAC_GROUP },
  },
];

/** One audit.k8s.io/v1 event, with the fields these tests read. */
interface AuditEvent {
  user: { username?: string };
  objectRef?: { resource?: string };
  responseStatus: { code: number };
}

/**
 * Lists the SubjectAccessReviews that `caller` sent to the RBAC instance so far, from the audit
 * events its --audit-log-path=- wrote to stdout.
 */
function reviewsBy(rbac: APIServerProcess, caller: string): AuditEvent[] {
  return rbac
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter(
      (event) =>
        event.user.username === caller && event.objectRef?.resource === 'subjectaccessreviews',
    );
}

/** Waits until `caller` has sent at least `count` reviews, then returns how many it sent. */
async function waitForReviews(
  rbac: APIServerProcess,
  caller: string,
  count: number,
): Promise<number> {
  await waitUntil(
    () => reviewsBy(rbac, caller).length >= count,
    `${count} SubjectAccessReviews from ${caller}`,
  );
  return reviewsBy(rbac, caller).length;
}

function statusMessage(reply: Reply): string {
  return (JSON.parse(reply.body) as { message: string }).message;
}

/** A request to a webhook client, and the decision the RBAC instance's policy leads to. */
interface DecisionCase {
  name: string;
  token: string;
  method: string;
  path: string;
  status: number;
  message?: string;
}

const DECISION_CASES: DecisionCase[] = [
  {
    name: 'jane lists pods in demo',
    token: JANE_TOKEN,
    method: 'GET',
    path: '/api/v1/namespaces/demo/pods',
    status: 200,
  },
  {
    name: 'jane deletes a pod in demo',
    token: JANE_TOKEN,
    method: 'DELETE',
    path: '/api/v1/namespaces/demo/pods/x',
    status: 403,
    message:
      'pods "x" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "demo"',
  },
  {
    name: 'jane lists pods in default',
    token: JANE_TOKEN,
    method: 'GET',
    path: '/api/v1/namespaces/default/pods',
    status: 403,
    message:
      'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
  },
  {
    name: 'carol, unknown to RBAC, lists pods',
    token: CAROL_TOKEN,
    method: 'GET',
    path: '/api/v1/namespaces/demo/pods',
    status: 403,
    message:
      'pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "demo"',
  },
  {
    name: 'anonymous reads /version',
    token: '',
    method: 'GET',
    path: '/version',
    status: 200,
  },
];

describe('Webhook authorization by another instance', function () {
  let dir: string;
  let rbac: APIServerProcess;
  let caching: APIServerProcess;
  let notCaching: APIServerProcess;
  let defaultVersion: APIServerProcess;

  /** Starts an instance whose only authorizer is the RBAC instance, called as `spec.caller`. */
  async function startWebhookClient(spec: WebhookClientSpec): Promise<APIServerProcess> {
    const webhookConfig = await writeKubeconfig(dir, {
      fileName: `${spec.caller}.kubeconfig`,
      server: `${rbac.url}${SUBJECT_ACCESS_REVIEWS_PATH}`,
      caPem: rbac.caPem,
      token: callerToken(spec),
    });
    return startAPIServerProcess([
      '--authorization-mode=Webhook',
      `--authorization-webhook-config-file=${webhookConfig}`,
      ...spec.flags,
      `--token-auth-file=${join(dir, 'client-tokens.csv')}`,
    ]);
  }

  before(async function () {
    dir = await makeTempDir('authz-webhook-instance');
    const callers = [CACHING, NOT_CACHING, DEFAULT_VERSION];
    const rbacTokens = callers
      .map(
        (spec, index) =>
          `${callerToken(spec)},${spec.caller},${2000 + index},${WEBHOOK_CALLERS_GROUP}\n`,
      )
      .join('');
    await writeFile(join(dir, 'rbac-tokens.csv'), rbacTokens);
    await writeFile(
      join(dir, 'client-tokens.csv'),
      `${JANE_TOKEN},jane,1001\n${CAROL_TOKEN},carol,1003\n`,
    );

    rbac = await startAPIServerProcess([
      '--authorization-mode=RBAC',
      `--token-auth-file=${join(dir, 'rbac-tokens.csv')}`,
      '--audit-log-path=-',
    ]);
    const policy = join(dir, 'policy.yaml');
    await writeFile(policy, POLICY.map((object) => stringify(object)).join('---\n'));
    const applied = await runKubectl(rbac.kubeconfigPath, ['apply', '-f', policy]);
    if (applied.code !== 0) throw new Error(`kubectl apply failed:\n${applied.stderr}`);

    [caching, notCaching, defaultVersion] = await Promise.all([
      startWebhookClient(CACHING),
      startWebhookClient(NOT_CACHING),
      startWebhookClient(DEFAULT_VERSION),
    ]);
  });

  after(async function () {
    await Promise.all([caching?.stop(), notCaching?.stop(), defaultVersion?.stop(), rbac?.stop()]);
    await removeDir(dir);
  });

  for (const { name, token, method, path, status, message } of DECISION_CASES) {
    it(`decides as RBAC: ${name}`, async function () {
      const reply = await send(caching, {
        method,
        path,
        credentials: token === '' ? {} : { token },
      });

      expect(reply.status, reply.body).to.equal(status);
      if (message !== undefined) expect(statusMessage(reply)).to.equal(message);
    });
  }

  it('kubectl can-i as jane follows RBAC', async function () {
    const janeKubeconfig = await writeKubeconfig(dir, {
      fileName: 'jane.kubeconfig',
      server: caching.url,
      caPem: caching.caPem,
      token: JANE_TOKEN,
    });

    const list = await runKubectl(janeKubeconfig, ['auth', 'can-i', 'list', 'pods', '-n', 'demo']);
    const remove = await runKubectl(janeKubeconfig, [
      'auth',
      'can-i',
      'delete',
      'pods',
      '-n',
      'demo',
    ]);

    expect(list.stdout).to.equal('yes\n');
    expect(list.code, list.stderr).to.equal(0);
    expect(remove.stdout).to.equal('no\n');
    expect(remove.code, remove.stderr).to.equal(1);
  });

  it('system:masters never calls the webhook', async function () {
    const before = reviewsBy(rbac, CACHING.caller).length;

    const result = await runKubectl(caching.kubeconfigPath, ['get', 'namespaces', '-o', 'name']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('namespace/default\n');
    // jane's request reaches the webhook after kubectl's requests would have, so once its
    // review is counted, any review of the admin's requests would be counted too.
    const sentinel = await send(caching, {
      path: '/api/v1/namespaces/demo/pods/masters-sentinel',
      credentials: { token: JANE_TOKEN },
    });
    expect(sentinel.status, sentinel.body).to.equal(404);
    expect(await waitForReviews(rbac, CACHING.caller, before + 1)).to.equal(before + 1);
  });

  it('cached decisions skip the webhook', async function () {
    // Pod names no other test uses, so no decision is cached before the first round.
    const requests = [
      { method: 'GET', path: '/api/v1/namespaces/demo/pods/cache-allowed', status: 404 },
      { method: 'DELETE', path: '/api/v1/namespaces/demo/pods/cache-denied', status: 403 },
    ];
    const sendAll = async (): Promise<void> => {
      for (const { method, path, status } of requests) {
        const reply = await send(caching, { method, path, credentials: { token: JANE_TOKEN } });
        expect(reply.status, `${method} ${path}: ${reply.body}`).to.equal(status);
      }
    };
    const before = reviewsBy(rbac, CACHING.caller).length;

    await sendAll();
    const afterFirst = await waitForReviews(rbac, CACHING.caller, before + 2);
    await sendAll();
    await sendAll();
    // A request with new attributes reaches the webhook after the repeats did, so once its
    // review is counted, any review the repeats caused would be counted too.
    const fresh = await send(caching, {
      path: '/api/v1/namespaces/demo/pods/cache-fresh',
      credentials: { token: JANE_TOKEN },
    });
    expect(fresh.status, fresh.body).to.equal(404);
    const afterRepeats = await waitForReviews(rbac, CACHING.caller, afterFirst + 1);

    expect(afterFirst - before).to.equal(2);
    expect(afterRepeats - afterFirst).to.equal(1);
  });

  it('zero TTLs call the webhook each time', async function () {
    const before = reviewsBy(rbac, NOT_CACHING.caller).length;

    for (const status of [200, 200, 200]) {
      const reply = await send(notCaching, {
        path: '/api/v1/namespaces/demo/pods',
        credentials: { token: JANE_TOKEN },
      });
      expect(reply.status, reply.body).to.equal(status);
    }
    for (const status of [403, 403]) {
      const reply = await send(notCaching, {
        path: '/api/v1/namespaces/default/pods',
        credentials: { token: JANE_TOKEN },
      });
      expect(reply.status, reply.body).to.equal(status);
    }

    expect(await waitForReviews(rbac, NOT_CACHING.caller, before + 5)).to.equal(before + 5);
  });

  it('v1beta1 reviews fail against v1', async function () {
    // kube-apiserver 1.32 serves SubjectAccessReview in v1 only, so an instance used as a
    // webhook needs --authorization-webhook-version=v1. With the default v1beta1, the RBAC
    // instance rejects each review with 400 and the client fails the request with a 500.
    const before = reviewsBy(rbac, DEFAULT_VERSION.caller).length;

    const reply = await send(defaultVersion, {
      path: '/api/v1/namespaces/demo/pods',
      credentials: { token: JANE_TOKEN },
    });

    expect(reply.status).to.equal(500);
    expect(reply.headers['content-type']).to.match(/^text\/plain/);
    expect(reply.body).to.match(/^Internal Server Error: "\/api\/v1\/namespaces\/demo\/pods": /);
    expect(reply.body).to.contain(
      'the API version in the data (authorization.k8s.io/v1beta1) does not match the expected API version (authorization.k8s.io/v1)',
    );
    await waitForReviews(rbac, DEFAULT_VERSION.caller, before + 1);
    const review = reviewsBy(rbac, DEFAULT_VERSION.caller)[before]!;
    expect(review.responseStatus.code).to.equal(400);
  });
});
