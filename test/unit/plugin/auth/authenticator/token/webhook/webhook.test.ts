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
} from '../../../../../../../cmd/apiserver/app/bootstrap/pki.js';
import type { TokenAuthenticator } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import {
  shouldRetryWebhookError,
  WebhookHTTPError,
} from '../../../../../../../pkg/util/webhook/backoff.js';
import type { TokenReviewVersion } from '../../../../../../../plugin/auth/authenticator/token/webhook/tokenreview.js';
import { resultFromTokenReview } from '../../../../../../../plugin/auth/authenticator/token/webhook/tokenreview.js';
import { loadWebhookTokenAuthenticator } from '../../../../../../../plugin/auth/authenticator/token/webhook/webhook.js';
import { silentLogger } from '../../../../../helpers/koa_context.js';

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** A TokenReview webhook on 127.0.0.1 that records each request and replies with `reply`. */
class FakeWebhook {
  readonly requests: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  reply: (body: Record<string, unknown>, attempt: number) => Reply | 'hang' = () => ({
    status: 200,
    body: {},
  });
  private server: Server | undefined;

  async start(cert: string, key: string): Promise<void> {
    this.server = createServer({ cert, key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        this.requests.push({ headers: req.headers, body });
        const reply = this.reply(body, this.requests.length);
        if (reply === 'hang') return;
        res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server?.address() as AddressInfo).port}/authenticate`;
  }

  /** Counts the reviews of one token. */
  callsFor(token: string): number {
    return this.requests.filter((r) => (r.body.spec as { token: string }).token === token).length;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Replies as a webhook that accepts `good` (user alice) and rejects every other token. */
function reviewByToken(body: Record<string, unknown>): Reply {
  const token = (body.spec as { token: string }).token;
  if (token === 'good') {
    return {
      status: 200,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        status: {
          authenticated: true,
          user: { username: 'alice', uid: 'u-1', groups: ['dev'], extra: { scope: ['a', 'b'] } },
          audiences: ['api'],
        },
      },
    };
  }
  return {
    status: 200,
    body: { kind: 'TokenReview', status: { authenticated: false, error: 'token expired' } },
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

describe('webhook token authenticator', () => {
  const ca = generateCA('webhook-test-ca');
  const otherCA = generateCA('other-ca');
  const serving = generateServingCert(ca, { dnsNames: [], ips: ['127.0.0.1'] });
  const webhook = new FakeWebhook();
  let dir = '';
  let clock = 0;

  async function writeKubeconfig(name: string, caPem: string, token = 'webhook-secret') {
    const path = join(dir, name);
    const config = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: webhook',
      '  cluster:',
      `    server: ${webhook.url}`,
      `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
      'users:',
      '- name: apiserver',
      `  user: {token: ${token}}`,
      'contexts:',
      '- name: webhook',
      '  context: {cluster: webhook, user: apiserver}',
      'current-context: webhook',
    ];
    await writeFile(path, config.join('\n'));
    return path;
  }

  async function load(
    options: { caPem?: string; version?: TokenReviewVersion; requestTimeoutMs?: number } = {},
  ): Promise<TokenAuthenticator> {
    return loadWebhookTokenAuthenticator({
      configFile: await writeKubeconfig('webhook.kubeconfig', options.caPem ?? ca.certPem),
      cacheTTLMs: 120_000,
      version: options.version ?? 'v1',
      logger: silentLogger(),
      now: () => clock,
      retryBackoff: FAST_RETRY,
      requestTimeoutMs: options.requestTimeoutMs,
    });
  }

  const signal = new AbortController().signal;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webhook-test-'));
    await webhook.start(serving.certPem, serving.keyPem);
  });

  after(async () => {
    await webhook.close();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    webhook.requests.length = 0;
    webhook.reply = reviewByToken;
    clock = 1_000_000;
  });

  it('authenticates a token the webhook accepts', async () => {
    const authenticator = await load();
    const result = await authenticator.authenticateToken('good', signal);
    expect(result).to.deep.equal({
      kind: 'authenticated',
      user: { name: 'alice', uid: 'u-1', groups: ['dev'], extra: { scope: ['a', 'b'] } },
      audiences: ['api'],
    });
  });

  it('sends a TokenReview with the kubeconfig token', async () => {
    const authenticator = await load({ version: 'v1beta1' });
    await authenticator.authenticateToken('good', signal);
    const request = webhook.requests[0];
    expect(request?.headers.authorization).to.equal('Bearer webhook-secret');
    expect(request?.headers['content-type']).to.equal('application/json');
    expect(request?.body.apiVersion).to.equal('authentication.k8s.io/v1beta1');
    expect(request?.body.kind).to.equal('TokenReview');
    expect(request?.body.spec).to.deep.equal({ token: 'good' });
  });

  it('caches results within the TTL', async () => {
    const authenticator = await load();
    await authenticator.authenticateToken('good', signal);
    await authenticator.authenticateToken('bad', signal);
    clock += 119_999;
    await authenticator.authenticateToken('good', signal);
    await authenticator.authenticateToken('bad', signal);
    expect(webhook.callsFor('good')).to.equal(1);
    expect(webhook.callsFor('bad')).to.equal(1);

    clock += 1;
    await authenticator.authenticateToken('good', signal);
    expect(webhook.callsFor('good')).to.equal(2);
  });

  it('rejects with the status error', async () => {
    const authenticator = await load();
    const result = await authenticator.authenticateToken('bad', signal);
    expect(result).to.deep.equal({ kind: 'rejected', reason: 'token expired' });
  });

  it('retries a 500 response', async () => {
    webhook.reply = (body, attempt) =>
      attempt === 1 ? { status: 500, body: {} } : reviewByToken(body);
    const authenticator = await load();
    const result = await authenticator.authenticateToken('good', signal);
    expect(result.kind).to.equal('authenticated');
    expect(webhook.requests).to.have.length(2);
  });

  it('throws after the last retry', async () => {
    webhook.reply = () => ({ status: 429, body: { kind: 'Status', message: 'slow down' } });
    const authenticator = await load();
    const err = await rejectionOf(() => authenticator.authenticateToken('good', signal));
    expect(err.message).to.match(/^unable to call the token webhook at https:\/\/127\.0\.0\.1:/);
    expect(err.message).to.include('webhook responded with HTTP 429: slow down');
    expect(webhook.requests).to.have.length(FAST_RETRY.steps);
  });

  it('does not retry or cache a 400', async () => {
    webhook.reply = () => ({ status: 400, body: 'not a status' });
    const authenticator = await load();
    await rejectionOf(() => authenticator.authenticateToken('good', signal));
    const err = await rejectionOf(() => authenticator.authenticateToken('good', signal));
    expect(err.message).to.include('webhook responded with HTTP 400');
    expect(err.message).to.not.include('not a status');
    expect(webhook.requests).to.have.length(2);
  });

  it('throws on a malformed review', async () => {
    webhook.reply = () => ({ status: 200, body: { status: { authenticated: true, user: 'x' } } });
    const authenticator = await load();
    const err = await rejectionOf(() => authenticator.authenticateToken('good', signal));
    expect(err.message).to.include('invalid TokenReview response');
    expect(err.message).to.include('status.user is not an object');
  });

  it('fails TLS verification with a wrong CA', async () => {
    const authenticator = await load({ caPem: otherCA.certPem });
    const err = await rejectionOf(() => authenticator.authenticateToken('good', signal));
    expect(err.message).to.include('unable to call the token webhook');
    expect((err.cause as NodeJS.ErrnoException).code).to.equal('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(webhook.requests).to.have.length(0);
  });

  it('times out a hanging webhook', async () => {
    webhook.reply = () => 'hang';
    const authenticator = await load({ requestTimeoutMs: 200 });
    const err = await rejectionOf(() => authenticator.authenticateToken('good', signal));
    expect(err.message).to.include('webhook request timed out after 200 ms');
    expect(webhook.requests).to.have.length(1);
  });

  it('names the flag for a bad config file', async () => {
    const path = join(dir, 'missing.kubeconfig');
    const err = await rejectionOf(() =>
      loadWebhookTokenAuthenticator({
        configFile: path,
        cacheTTLMs: 0,
        version: 'v1',
        logger: silentLogger(),
      }),
    );
    expect(err.message).to.match(
      new RegExp(`^--authentication-token-webhook-config-file: ${path}: unable to read the file`),
    );
  });
});

describe('resultFromTokenReview', () => {
  const cases = [
    {
      name: 'no status',
      response: { kind: 'TokenReview' },
      expectResult: { kind: 'rejected', reason: 'the webhook did not authenticate the token' },
    },
    {
      name: 'authenticated without audiences',
      response: { status: { authenticated: true, user: { username: 'bob' } } },
      expectResult: {
        kind: 'authenticated',
        user: { name: 'bob', uid: '', groups: [], extra: {} },
      },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(resultFromTokenReview(tc.response)).to.deep.equal(tc.expectResult);
    });
  }

  const invalid = [
    { name: 'not an object', response: [], expectMessage: 'not a JSON object' },
    { name: 'wrong kind', response: { kind: 'Status' }, expectMessage: 'is a Status, not a' },
    {
      name: 'groups not strings',
      response: { status: { authenticated: true, user: { groups: [1] } } },
      expectMessage: 'groups is not a list of strings',
    },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name}`, () => {
      expect(() => resultFromTokenReview(tc.response)).to.throw(tc.expectMessage);
    });
  }
});

describe('shouldRetryWebhookError', () => {
  const cases = [
    { name: '500', err: new WebhookHTTPError(500, false, ''), expectRetry: true },
    { name: '504', err: new WebhookHTTPError(504, false, ''), expectRetry: true },
    { name: '429', err: new WebhookHTTPError(429, false, ''), expectRetry: true },
    { name: '503', err: new WebhookHTTPError(503, false, ''), expectRetry: false },
    { name: '503 with Retry-After', err: new WebhookHTTPError(503, true, ''), expectRetry: true },
    { name: '401', err: new WebhookHTTPError(401, true, ''), expectRetry: false },
    { name: 'reset', err: Object.assign(new Error(), { code: 'ECONNRESET' }), expectRetry: true },
    {
      name: 'refused',
      err: Object.assign(new Error(), { code: 'ECONNREFUSED' }),
      expectRetry: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(shouldRetryWebhookError(tc.err)).to.equal(tc.expectRetry);
    });
  }
});
