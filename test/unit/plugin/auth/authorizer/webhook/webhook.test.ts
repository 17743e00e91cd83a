import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateCA,
  generateServingCert,
} from '../../../../../../cmd/apiserver/app/bootstrap/pki.js';
import type {
  Attributes,
  AuthorizationResult,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo } from '../../../../../../pkg/auth/user/user.js';
import { unionAuthorizer } from '../../../../../../plugin/auth/authorizer/union/union.js';
import type { SubjectAccessReviewVersion } from '../../../../../../plugin/auth/authorizer/webhook/subjectaccessreview.js';
import {
  loadWebhookAuthorizer,
  RULES_NOT_SUPPORTED,
  type WebhookAuthorizer,
} from '../../../../../../plugin/auth/authorizer/webhook/webhook.js';
import { silentLogger } from '../../../../helpers/koa_context.js';

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** A SubjectAccessReview webhook on 127.0.0.1 that records each request and replies with `reply`. */
class FakeWebhook {
  readonly requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  reply: (body: Record<string, unknown>) => Reply = () => ({ status: 200, body: {} });
  private server: Server | undefined;

  async start(cert: string, key: string): Promise<void> {
    this.server = createServer({ cert, key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ path: req.url ?? '', headers: req.headers, body });
        const reply = this.reply(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(reply.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server?.address() as AddressInfo).port}/authorize`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Builds a 200 reply with a SubjectAccessReview of the given status. */
function reviewReply(status: Record<string, unknown>, version = 'v1'): Reply {
  return {
    status: 200,
    body: { apiVersion: `authorization.k8s.io/${version}`, kind: 'SubjectAccessReview', status },
  };
}

async function rejectionOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  return expect.fail('expected a rejection');
}

const FAST_RETRY = { initialDelayMs: 1, factor: 1, jitter: 0, steps: 3 };

const jane = newUserInfo({
  name: 'jane',
  uid: 'uid-42',
  groups: ['dev', 'system:authenticated'],
  extra: { scopes: ['b', 'a'], 'authentication.kubernetes.io/credential-id': ['x1'] },
});

function podGet(name: string): Attributes {
  return {
    user: jane,
    verb: 'get',
    isResourceRequest: true,
    path: `/api/v1/namespaces/default/pods/${name}/log`,
    namespace: 'default',
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'pods',
    subresource: 'log',
    name,
  };
}

const HEALTHZ: Attributes = {
  user: newUserInfo({ name: 'system:anonymous', groups: ['system:unauthenticated'] }),
  verb: 'get',
  isResourceRequest: false,
  path: '/healthz',
  namespace: '',
  apiGroup: '',
  apiVersion: '',
  resource: '',
  subresource: '',
  name: '',
};

describe('webhook authorizer', () => {
  const ca = generateCA('authz-webhook-test-ca');
  const serving = generateServingCert(ca, { dnsNames: [], ips: ['127.0.0.1'] });
  const webhook = new FakeWebhook();
  let dir = '';
  let clock = 0;
  const opened: WebhookAuthorizer[] = [];

  async function load(
    options: {
      version?: SubjectAccessReviewVersion;
      authorizedTTLMs?: number;
      unauthorizedTTLMs?: number;
    } = {},
  ): Promise<WebhookAuthorizer> {
    const path = join(dir, 'authz.kubeconfig');
    const config = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: authz',
      '  cluster:',
      `    server: ${webhook.url}`,
      `    certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')}`,
      'users:',
      '- name: apiserver',
      '  user: {token: authz-secret}',
      'contexts:',
      '- name: authz',
      '  context: {cluster: authz, user: apiserver}',
      'current-context: authz',
    ];
    await writeFile(path, config.join('\n'));
    const authorizer = await loadWebhookAuthorizer({
      configFile: path,
      version: options.version ?? 'v1',
      authorizedTTLMs: options.authorizedTTLMs ?? 300_000,
      unauthorizedTTLMs: options.unauthorizedTTLMs ?? 30_000,
      logger: silentLogger(),
      now: () => clock,
      retryBackoff: FAST_RETRY,
    });
    opened.push(authorizer);
    return authorizer;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'authz-webhook-test-'));
    await webhook.start(serving.certPem, serving.keyPem);
  });

  beforeEach(() => {
    webhook.requests.length = 0;
    webhook.reply = () => reviewReply({ allowed: true });
    clock = 0;
  });

  afterEach(() => {
    for (const authorizer of opened.splice(0)) authorizer.close();
  });

  after(async () => {
    await webhook.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('request body', () => {
    const extra = { 'authentication.kubernetes.io/credential-id': ['x1'], scopes: ['b', 'a'] };
    const cases: {
      name: string;
      version: SubjectAccessReviewVersion;
      attributes: Attributes;
      expectBody: Record<string, unknown>;
    }[] = [
      {
        name: 'v1 resource request',
        version: 'v1',
        attributes: podGet('web'),
        expectBody: {
          kind: 'SubjectAccessReview',
          apiVersion: 'authorization.k8s.io/v1',
          metadata: { creationTimestamp: null },
          spec: {
            resourceAttributes: {
              namespace: 'default',
              verb: 'get',
              version: 'v1',
              resource: 'pods',
              subresource: 'log',
              name: 'web',
            },
            user: 'jane',
            groups: ['dev', 'system:authenticated'],
            extra,
            uid: 'uid-42',
          },
          status: { allowed: false },
        },
      },
      {
        name: 'v1beta1 names groups group',
        version: 'v1beta1',
        attributes: podGet('web'),
        expectBody: {
          kind: 'SubjectAccessReview',
          apiVersion: 'authorization.k8s.io/v1beta1',
          metadata: { creationTimestamp: null },
          spec: {
            resourceAttributes: {
              namespace: 'default',
              verb: 'get',
              version: 'v1',
              resource: 'pods',
              subresource: 'log',
              name: 'web',
            },
            user: 'jane',
            group: ['dev', 'system:authenticated'],
            extra,
            uid: 'uid-42',
          },
          status: { allowed: false },
        },
      },
      {
        name: 'v1 non-resource request',
        version: 'v1',
        attributes: HEALTHZ,
        expectBody: {
          kind: 'SubjectAccessReview',
          apiVersion: 'authorization.k8s.io/v1',
          metadata: { creationTimestamp: null },
          spec: {
            nonResourceAttributes: { path: '/healthz', verb: 'get' },
            user: 'system:anonymous',
            groups: ['system:unauthenticated'],
          },
          status: { allowed: false },
        },
      },
    ];
    for (const tc of cases) {
      it(tc.name, async () => {
        const authorizer = await load({ version: tc.version });

        await authorizer.authorize(tc.attributes);

        expect(webhook.requests).to.have.length(1);
        const request = webhook.requests[0]!;
        expect(request.path).to.equal('/authorize');
        expect(request.headers.authorization).to.equal('Bearer authz-secret');
        expect(request.headers['content-type']).to.equal('application/json');
        // Compare the text, so the order of fields counts, as in Go's encoder.
        expect(request.body).to.equal(JSON.stringify(tc.expectBody));
      });
    }
  });

  describe('decisions', () => {
    const cases: {
      name: string;
      status: Record<string, unknown>;
      version: SubjectAccessReviewVersion;
      expect: AuthorizationResult;
    }[] = [
      {
        name: 'allowed allows',
        status: { allowed: true, reason: 'rule 7' },
        version: 'v1',
        expect: { decision: 'allow', reason: 'rule 7' },
      },
      {
        name: 'denied denies',
        status: { allowed: false, denied: true, reason: 'pods are off limits' },
        version: 'v1',
        expect: { decision: 'deny', reason: 'pods are off limits' },
      },
      {
        name: 'neither is no opinion',
        status: { allowed: false, reason: 'no rule matched' },
        version: 'v1beta1',
        expect: { decision: 'noOpinion', reason: 'no rule matched' },
      },
      {
        name: 'empty status is no opinion',
        status: {},
        version: 'v1',
        expect: { decision: 'noOpinion', reason: '' },
      },
      {
        name: 'evaluation error kept',
        status: { allowed: false, reason: 'no rule', evaluationError: 'policy store down' },
        version: 'v1',
        expect: { decision: 'noOpinion', reason: 'no rule (evaluation error: policy store down)' },
      },
      {
        name: 'evaluation error without reason',
        status: { allowed: false, denied: true, evaluationError: 'policy store down' },
        version: 'v1beta1',
        expect: { decision: 'deny', reason: 'evaluation error: policy store down' },
      },
      {
        name: 'allowed and denied denies',
        status: { allowed: true, denied: true, reason: 'confused' },
        version: 'v1',
        expect: { decision: 'deny', reason: 'the webhook set both allowed and denied: confused' },
      },
    ];
    for (const tc of cases) {
      it(tc.name, async () => {
        webhook.reply = () => reviewReply(tc.status, tc.version);
        const authorizer = await load({ version: tc.version });

        expect(await authorizer.authorize(podGet('web'))).to.deep.equal(tc.expect);
      });
    }
  });

  describe('cache', () => {
    const cases: {
      name: string;
      status: Record<string, unknown>;
      authorizedTTLMs: number;
      unauthorizedTTLMs: number;
      /** Clock readings of the calls after the first, at 0, and the webhook calls expected so far. */
      steps: { atMs: number; expectCalls: number }[];
    }[] = [
      {
        name: 'allowed kept authorized TTL',
        status: { allowed: true },
        authorizedTTLMs: 300_000,
        unauthorizedTTLMs: 30_000,
        steps: [
          { atMs: 1_000, expectCalls: 1 },
          { atMs: 299_999, expectCalls: 1 },
          { atMs: 300_000, expectCalls: 2 },
        ],
      },
      {
        name: 'denied kept unauthorized TTL',
        status: { allowed: false, denied: true },
        authorizedTTLMs: 300_000,
        unauthorizedTTLMs: 30_000,
        steps: [
          { atMs: 29_999, expectCalls: 1 },
          { atMs: 30_000, expectCalls: 2 },
          { atMs: 59_999, expectCalls: 2 },
        ],
      },
      {
        name: 'no opinion kept unauthorized TTL',
        status: {},
        authorizedTTLMs: 300_000,
        unauthorizedTTLMs: 10_000,
        steps: [
          { atMs: 9_999, expectCalls: 1 },
          { atMs: 10_000, expectCalls: 2 },
        ],
      },
      {
        name: 'zero TTL disables cache',
        status: { allowed: true },
        authorizedTTLMs: 0,
        unauthorizedTTLMs: 30_000,
        steps: [
          { atMs: 0, expectCalls: 2 },
          { atMs: 0, expectCalls: 3 },
        ],
      },
    ];
    for (const tc of cases) {
      it(tc.name, async () => {
        webhook.reply = () => reviewReply(tc.status);
        const authorizer = await load(tc);
        const first = await authorizer.authorize(podGet('web'));

        for (const step of tc.steps) {
          clock = step.atMs;
          const result = await authorizer.authorize(podGet('web'));
          expect(result, `at ${step.atMs} ms`).to.deep.equal(first);
          expect(webhook.requests, `at ${step.atMs} ms`).to.have.length(step.expectCalls);
        }
      });
    }

    it('keyed by request attributes', async () => {
      const authorizer = await load();

      await authorizer.authorize(podGet('web'));
      await authorizer.authorize(podGet('db'));
      await authorizer.authorize(podGet('web'));
      await authorizer.authorize({ ...podGet('web'), verb: 'list' });
      await authorizer.authorize({ ...podGet('web'), user: newUserInfo({ name: 'jane' }) });

      expect(webhook.requests).to.have.length(4);
    });

    it('oversized attributes not cached', async () => {
      const authorizer = await load();
      const huge = podGet('x'.repeat(10_000));

      await authorizer.authorize(huge);
      await authorizer.authorize(huge);

      expect(webhook.requests).to.have.length(2);
    });
  });

  describe('errors', () => {
    const cases: { name: string; reply: Reply; expectCalls: number; expectMessage: RegExp }[] = [
      {
        name: 'server error retried then thrown',
        reply: { status: 500, body: { kind: 'Status', message: 'backend down' } },
        expectCalls: 3,
        expectMessage:
          /^unable to call the authorization webhook at https:\/\/127\.0\.0\.1:\d+\/authorize: webhook responded with HTTP 500: backend down$/,
      },
      {
        name: 'forbidden thrown without retry',
        reply: { status: 403, body: {} },
        expectCalls: 1,
        expectMessage: /: webhook responded with HTTP 403$/,
      },
      {
        name: 'wrong kind thrown',
        reply: { status: 200, body: { kind: 'TokenReview', status: { allowed: true } } },
        expectCalls: 1,
        expectMessage:
          /^invalid SubjectAccessReview response from https:\/\/127\.0\.0\.1:\d+\/authorize: the response is a TokenReview, not a SubjectAccessReview$/,
      },
      {
        name: 'allowed not boolean thrown',
        reply: reviewReply({ allowed: 'yes' }),
        expectCalls: 1,
        expectMessage: /: status\.allowed is not a boolean$/,
      },
    ];
    for (const tc of cases) {
      it(tc.name, async () => {
        webhook.reply = () => tc.reply;
        const authorizer = await load();

        const err = await rejectionOf(() => authorizer.authorize(podGet('web')));

        expect(err.message).to.match(tc.expectMessage);
        expect(webhook.requests).to.have.length(tc.expectCalls);
      });
    }

    it('errors never cached', async () => {
      webhook.reply = () => ({ status: 403, body: {} });
      const authorizer = await load();
      await rejectionOf(() => authorizer.authorize(podGet('web')));

      webhook.reply = () => reviewReply({ allowed: true });
      const result = await authorizer.authorize(podGet('web'));

      expect(result.decision).to.equal('allow');
      expect(webhook.requests).to.have.length(2);
    });

    it('union reports webhook failure', async () => {
      webhook.reply = () => ({ status: 403, body: {} });
      const union = unionAuthorizer(await load());

      const err = await rejectionOf(() => union.authorize(podGet('web')));

      expect(err).to.be.instanceOf(AggregateError);
      expect(err.message).to.match(/^unable to call the authorization webhook at /);
    });

    it('closed authorizer rejects', async () => {
      const authorizer = await load();
      authorizer.close();

      const err = await rejectionOf(() => authorizer.authorize(podGet('web')));

      expect(err.message).to.match(/the authorization webhook authorizer was closed$/);
      expect(webhook.requests).to.have.length(0);
    });
  });

  it('rulesFor reports incomplete', async () => {
    const authorizer = await load();

    expect(await authorizer.rulesFor(jane, 'default')).to.deep.equal({
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: RULES_NOT_SUPPORTED,
    });
  });

  it('missing config file names flag', async () => {
    const path = join(dir, 'missing.kubeconfig');

    const err = await rejectionOf(() =>
      loadWebhookAuthorizer({
        configFile: path,
        version: 'v1',
        authorizedTTLMs: 1,
        unauthorizedTTLMs: 1,
        logger: silentLogger(),
      }),
    );

    const prefix = `--authorization-webhook-config-file: ${path}: unable to read the file: `;
    expect(err.message.startsWith(prefix), err.message).to.equal(true);
  });
});
