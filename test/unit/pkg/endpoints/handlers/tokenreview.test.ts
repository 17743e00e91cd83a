import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa, { type Middleware } from 'koa';
import { generateCA, generateServingCert } from '../../../../../cmd/apiserver/app/bootstrap/pki.js';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import {
  NOT_APPLICABLE,
  authenticated,
  rejected,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import { createTokenReview } from '../../../../../pkg/endpoints/handlers/tokenreview.js';
import { writeStatusError } from '../../../../../pkg/endpoints/responsewriters/writers.js';
import { loadWebhookTokenAuthenticator } from '../../../../../plugin/auth/authenticator/token/webhook/webhook.js';
import { serveOnce, silentLogger } from '../../../helpers/koa_context.js';

const PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

/** Accepts `alice-token` as alice, throws for `broken`, rejects `bad`, ignores the rest. */
const fakeAuthenticator: TokenAuthenticator = {
  authenticateToken(token): Promise<AuthenticationResult> {
    switch (token) {
      case 'alice-token':
        return Promise.resolve(
          authenticated(
            newUserInfo({ name: 'alice', uid: 'u-1', groups: ['dev'], extra: { k: ['v'] } }),
          ),
        );
      case 'scoped-token':
        return Promise.resolve(authenticated(newUserInfo({ name: 'bob' }), ['vault']));
      case 'broken':
        return Promise.reject(new Error('token webhook unreachable'));
      case 'bad':
        return Promise.resolve(rejected('signature mismatch'));
      default:
        return Promise.resolve(NOT_APPLICABLE);
    }
  },
};

/** Writes a thrown StatusError as the response, as the API handler does. */
const statusErrors: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    writeStatusError(ctx, err);
  }
};

function review(spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });
}

async function post(body: string, contentType = 'application/json', apiAudiences?: string[]) {
  const response = await serveOnce(
    [statusErrors, createTokenReview(fakeAuthenticator, { apiAudiences })],
    { method: 'POST', path: PATH, headers: { 'Content-Type': contentType }, body },
  );
  return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
}

describe('createTokenReview', () => {
  const cases = [
    {
      name: 'authenticated token',
      spec: { token: 'alice-token' },
      expectStatus: {
        authenticated: true,
        user: {
          username: 'alice',
          uid: 'u-1',
          groups: ['dev', 'system:authenticated'],
          extra: { k: ['v'] },
        },
      },
    },
    {
      name: 'rejected token',
      spec: { token: 'bad' },
      expectStatus: { user: {}, error: 'invalid bearer token' },
    },
    {
      name: 'unknown token',
      spec: { token: 'nobody' },
      expectStatus: { user: {}, error: 'invalid bearer token' },
    },
    {
      name: 'authenticator error',
      spec: { token: 'broken' },
      expectStatus: { user: {}, error: 'token webhook unreachable' },
    },
    {
      name: 'matching requested audience',
      spec: { token: 'scoped-token', audiences: ['other', 'vault'] },
      expectStatus: {
        authenticated: true,
        user: { username: 'bob', groups: ['system:authenticated'] },
        audiences: ['vault'],
      },
    },
    {
      name: 'no common audience',
      spec: { token: 'scoped-token', audiences: ['other'] },
      expectStatus: { user: {} },
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const response = await post(review(tc.spec));
      expect(response.status).to.equal(201);
      expect(response.body.kind).to.equal('TokenReview');
      expect(response.body.apiVersion).to.equal('authentication.k8s.io/v1');
      expect(response.body.spec).to.deep.equal(tc.spec);
      expect(response.body.status).to.deep.equal(tc.expectStatus);
    });
  }

  it('checks API audiences by default', async () => {
    const accepted = await post(review({ token: 'alice-token' }), 'application/json', ['api']);
    const scoped = await post(review({ token: 'scoped-token' }), 'application/json', ['api']);
    expect(accepted.body.status).to.deep.include({ authenticated: true, audiences: ['api'] });
    expect(scoped.body.status).to.deep.equal({ user: {} });
  });

  it('decodes a YAML body', async () => {
    const yaml =
      'apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: alice-token\n';
    const response = await post(yaml, 'application/yaml');
    expect(response.status).to.equal(201);
    expect(response.body.status).to.deep.include({ authenticated: true });
  });

  const badRequests = [
    {
      name: 'missing token',
      body: review({}),
      expectMessage: 'token is required for TokenReview in authentication',
    },
    {
      name: 'empty token',
      body: review({ token: '' }),
      expectMessage: 'token is required for TokenReview in authentication',
    },
    {
      name: 'token not a string',
      body: review({ token: 5 }),
      expectMessage: 'spec.token of the TokenReview is not a string',
    },
    {
      name: 'bad audiences',
      body: review({ token: 'x', audiences: 'a' }),
      expectMessage: 'spec.audiences of the TokenReview is not a list of strings',
    },
    {
      name: 'wrong kind',
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'Pod', spec: {} }),
      expectMessage: 'not a TokenReview: authentication.k8s.io/v1, Kind=Pod',
    },
    {
      name: 'wrong version',
      body: JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1beta1',
        kind: 'TokenReview',
        spec: { token: 'x' },
      }),
      expectMessage:
        'the API version in the data (authentication.k8s.io/v1beta1) does not match the expected API version (authentication.k8s.io/v1)',
    },
  ];
  for (const tc of badRequests) {
    it(`rejects ${tc.name}`, async () => {
      const response = await post(tc.body);
      expect(response.status).to.equal(400);
      expect(response.body.reason).to.equal('BadRequest');
      expect(response.body.message).to.equal(tc.expectMessage);
    });
  }

  it('answers protobuf with 415', async () => {
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x00])]);
    const response = await serveOnce([statusErrors, createTokenReview(fakeAuthenticator)], {
      method: 'POST',
      path: PATH,
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
      body,
    });
    expect(response.status).to.equal(415);
  });
});

describe('createTokenReview as a webhook', () => {
  const ca = generateCA('tokenreview-test-ca');
  const serving = generateServingCert(ca, { dnsNames: [], ips: ['127.0.0.1'] });
  let dir = '';
  let calls = 0;
  const app = new Koa();
  app.silent = true;
  app.use(statusErrors);
  app.use(async (_ctx, next) => {
    calls++;
    await next();
  });
  app.use(createTokenReview(fakeAuthenticator));
  const callback = app.callback();
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    void callback(req, res);
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenreview-test-'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the webhook authenticator', async () => {
    const port = (server.address() as AddressInfo).port;
    const configFile = join(dir, 'webhook.kubeconfig');
    await writeFile(
      configFile,
      JSON.stringify({
        clusters: [
          {
            name: 'peer',
            cluster: {
              server: `https://127.0.0.1:${port}${PATH}`,
              'certificate-authority-data': Buffer.from(ca.certPem).toString('base64'),
            },
          },
        ],
        contexts: [{ name: 'peer', context: { cluster: 'peer' } }],
        'current-context': 'peer',
      }),
    );
    const authenticator = await loadWebhookTokenAuthenticator({
      configFile,
      cacheTTLMs: 60_000,
      version: 'v1',
      logger: silentLogger(),
    });
    const signal = new AbortController().signal;

    const accepted = await authenticator.authenticateToken('alice-token', signal);
    const rejectedResult = await authenticator.authenticateToken('bad', signal);
    await authenticator.authenticateToken('alice-token', signal);

    expect(accepted).to.deep.equal({
      kind: 'authenticated',
      user: {
        name: 'alice',
        uid: 'u-1',
        groups: ['dev', 'system:authenticated'],
        extra: { k: ['v'] },
      },
    });
    expect(rejectedResult).to.deep.equal({ kind: 'rejected', reason: 'invalid bearer token' });
    expect(calls).to.equal(2);
  });
});
