import { expect } from 'chai';
import { createServer as createTCPServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { generateCA } from '../../../../../../../cmd/apiserver/app/bootstrap/pki.js';
import type { AuthenticationResult } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import {
  keystonePasswordAuthenticator,
  keystoneTokensURL,
  type KeystoneAuthenticatorConfig,
} from '../../../../../../../plugin/auth/authenticator/password/keystone/keystone.js';
import { basicAuthAuthenticator } from '../../../../../../../plugin/auth/authenticator/request/basicauth/basicauth.js';
import {
  generateKeystoneTLS,
  startKeystoneServer,
  type KeystoneServer,
} from '../../../../../../helpers/keystone/keystone_server.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';
import { recordingLogger, type RecordingLogger } from '../../../../../helpers/koa_context.js';

const ALICE_PASSWORD = 'alice-s3cret:with-colon';
const BOB_PASSWORD = 'bob-password-0123';

/** Returns the error a promise rejects with, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  return expect.fail('expected a rejection, but the promise resolved');
}

/** Returns a port on 127.0.0.1 that was free a moment ago and has no listener. */
async function closedPort(): Promise<number> {
  const server = createTCPServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('keystoneTokensURL', function () {
  const cases: { name: string; url: string; expect: string }[] = [
    {
      name: 'server URL',
      url: 'https://keystone.example.com:5000',
      expect: 'https://keystone.example.com:5000/v3/auth/tokens?nocatalog',
    },
    {
      name: 'path prefix with slash',
      url: 'https://cloud.example.com/identity/',
      expect: 'https://cloud.example.com/identity/v3/auth/tokens?nocatalog',
    },
    {
      name: 'v3 endpoint',
      url: 'https://keystone.example.com:5000/v3',
      expect: 'https://keystone.example.com:5000/v3/auth/tokens?nocatalog',
    },
    {
      name: 'v3 endpoint with slash',
      url: 'https://keystone.example.com/identity/v3/',
      expect: 'https://keystone.example.com/identity/v3/auth/tokens?nocatalog',
    },
  ];
  for (const tc of cases) {
    it(`tokens URL for ${tc.name}`, function () {
      expect(keystoneTokensURL(new URL(tc.url)).href).to.equal(tc.expect);
    });
  }
});

describe('keystonePasswordAuthenticator', function () {
  let keystone: KeystoneServer;
  let caPem: string;
  let log: RecordingLogger;

  before(async function () {
    const tls = generateKeystoneTLS();
    caPem = tls.caPem;
    keystone = await startKeystoneServer({
      tls,
      users: [
        { id: 'a1b2c3', name: 'alice', password: ALICE_PASSWORD },
        {
          id: 'd4e5f6',
          name: 'bob',
          password: BOB_PASSWORD,
          domain: { id: 'f00d', name: 'Engineering' },
        },
      ],
    });
  });

  after(async function () {
    await keystone?.stop();
  });

  beforeEach(function () {
    keystone.setBehaviour({ kind: 'normal' });
    log = recordingLogger();
  });

  function newAuthenticator(overrides: Partial<KeystoneAuthenticatorConfig> = {}) {
    return keystonePasswordAuthenticator({
      url: new URL(keystone.url),
      caBundle: caPem,
      logger: log.logger,
      ...overrides,
    });
  }

  function authenticate(
    username: string,
    password: string,
    overrides: Partial<KeystoneAuthenticatorConfig> = {},
    signal = new AbortController().signal,
  ): Promise<AuthenticationResult> {
    return newAuthenticator(overrides).authenticatePassword(username, password, signal);
  }

  /** Fails the test when any log entry contains one of the test passwords. */
  function expectNoPasswordLogged(): void {
    const logged = JSON.stringify(log.entries);
    expect(logged).to.not.include(ALICE_PASSWORD);
    expect(logged).to.not.include(BOB_PASSWORD);
  }

  it('valid password authenticates name only', async function () {
    const result = await authenticate('alice', ALICE_PASSWORD);

    expect(result.kind).to.equal('authenticated');
    if (result.kind !== 'authenticated') return;
    expect(result.user.name).to.equal('alice');
    expect(result.user.uid).to.equal('');
    expect(result.user.groups).to.deep.equal([]);
    expect(result.user.extra).to.deep.equal({});
    expect(result.audiences).to.equal(undefined);
  });

  it('valid password sends documented body', async function () {
    const before = keystone.requestCount;
    await authenticate('alice', ALICE_PASSWORD);

    expect(keystone.requestCount).to.equal(before + 1);
    const request = keystone.requests.at(-1);
    expect(request?.method).to.equal('POST');
    expect(request?.url).to.equal('/v3/auth/tokens?nocatalog');
    expect(request?.contentType).to.equal('application/json');
    expect(request?.body).to.deep.equal({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: 'alice', domain: { name: 'Default' }, password: '<redacted>' },
          },
        },
      },
    });
  });

  it('v3 endpoint URL reaches same path', async function () {
    const result = await authenticate('alice', ALICE_PASSWORD, {
      url: new URL(`${keystone.url}/v3/`),
    });

    expect(result.kind).to.equal('authenticated');
    expect(keystone.requests.at(-1)?.url).to.equal('/v3/auth/tokens?nocatalog');
  });

  const notApplicableCases: {
    name: string;
    username: string;
    password: string;
    overrides?: Partial<KeystoneAuthenticatorConfig>;
    expectRequests: number;
  }[] = [
    { name: 'wrong password', username: 'alice', password: 'wrong', expectRequests: 1 },
    {
      name: 'unknown user',
      username: 'mallory',
      password: ALICE_PASSWORD,
      expectRequests: 1,
    },
    {
      name: 'user of another domain',
      username: 'bob',
      password: BOB_PASSWORD,
      expectRequests: 1,
    },
    { name: 'empty user name', username: '', password: ALICE_PASSWORD, expectRequests: 0 },
    { name: 'empty password', username: 'alice', password: '', expectRequests: 0 },
  ];
  for (const tc of notApplicableCases) {
    it(`${tc.name} is not applicable`, async function () {
      const before = keystone.requestCount;
      const result = await authenticate(tc.username, tc.password, tc.overrides);

      expect(result.kind).to.equal('notApplicable');
      expect(keystone.requestCount - before).to.equal(tc.expectRequests);
      expect(log.entries.filter((entry) => entry.level === 'error')).to.deep.equal([]);
      expectNoPasswordLogged();
    });
  }

  it('configured domain finds its user', async function () {
    const result = await authenticate('bob', BOB_PASSWORD, { userDomainName: 'Engineering' });

    expect(result.kind).to.equal('authenticated');
  });

  it('wrong password rejected by basic auth', async function () {
    const authorization = `Basic ${Buffer.from('alice:wrong').toString('base64')}`;
    const result = await basicAuthAuthenticator(newAuthenticator()).authenticateRequest(
      fakeRequest({ headers: { Authorization: authorization } }),
    );

    expect(result).to.deep.equal({
      kind: 'rejected',
      reason: 'invalid username/password combination',
    });
  });

  const statusCases: { status: number; expectMessage: RegExp }[] = [
    { status: 503, expectMessage: /responded with HTTP 503 \(Service Unavailable\), expected 201/ },
    { status: 500, expectMessage: /responded with HTTP 500 \(Internal Server Error\)/ },
    { status: 400, expectMessage: /responded with HTTP 400 \(Bad Request\)/ },
    { status: 403, expectMessage: /responded with HTTP 403 \(Forbidden\)/ },
    { status: 201, expectMessage: /responded with 201 but the body is not a v3 token/ },
  ];
  for (const tc of statusCases) {
    it(`server status ${tc.status} throws`, async function () {
      keystone.setBehaviour({ kind: 'status', status: tc.status });
      const error = await rejectionOf(authenticate('alice', ALICE_PASSWORD));

      expect(error.message).to.match(tc.expectMessage);
      expect(error.message).to.include(keystone.url);
      expect(error.message).to.not.include(ALICE_PASSWORD);
      const logged = log.entries.filter((entry) => entry.level === 'error');
      expect(logged).to.have.length(1);
      expect(logged[0]?.message).to.equal('unable to check the password with Keystone');
      expect(logged[0]?.user).to.equal('alice');
      expect(logged[0]?.err).to.equal(error.message);
      expectNoPasswordLogged();
    });
  }

  it('unreachable server throws', async function () {
    const port = await closedPort();
    const error = await rejectionOf(
      authenticate('alice', ALICE_PASSWORD, { url: new URL(`https://127.0.0.1:${port}`) }),
    );

    expect(error.message).to.equal(
      `unable to reach Keystone at https://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(log.entries.filter((entry) => entry.level === 'error')).to.have.length(1);
    expectNoPasswordLogged();
  });

  it('untrusted CA throws', async function () {
    const otherCA = generateCA('other-test-ca').certPem;
    const before = keystone.requestCount;
    const error = await rejectionOf(authenticate('alice', ALICE_PASSWORD, { caBundle: otherCA }));

    expect(error.message).to.match(/^unable to reach Keystone at https:\/\/127\.0\.0\.1:\d+: /);
    expect(error.message).to.match(/certificate/);
    expect(keystone.requestCount).to.equal(before);
    expectNoPasswordLogged();
  });

  it('Node roots reject test CA', async function () {
    const error = await rejectionOf(authenticate('alice', ALICE_PASSWORD, { caBundle: undefined }));

    expect(error.message).to.match(/^unable to reach Keystone at https:\/\/127\.0\.0\.1:\d+: /);
    expect(error.message).to.match(/certificate/);
  });

  it('hung server times out', async function () {
    keystone.setBehaviour({ kind: 'hang' });
    const error = await rejectionOf(authenticate('alice', ALICE_PASSWORD, { timeoutMs: 200 }));

    expect(error.message).to.equal(`Keystone at ${keystone.url} did not respond within 200 ms`);
    expect(log.entries.filter((entry) => entry.level === 'error')).to.have.length(1);
  });

  it('client abort cancels quietly', async function () {
    keystone.setBehaviour({ kind: 'hang' });
    const controller = new AbortController();
    const pending = authenticate('alice', ALICE_PASSWORD, {}, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await rejectionOf(pending);

    expect(error.message).to.equal('the client request ended before Keystone responded');
    expect(log.entries.filter((entry) => entry.level === 'error')).to.deep.equal([]);
    const debug = log.entries.filter((entry) => entry.level === 'debug');
    expect(debug.map((entry) => entry.message)).to.deep.equal([
      'unable to check the password with Keystone',
    ]);
  });
});
