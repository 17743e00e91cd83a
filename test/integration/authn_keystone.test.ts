import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  postSelfSubjectReview,
  reviewedUser,
  send,
  type Credentials,
  type Reply,
} from '../helpers/e2e/http_client.js';
import { startKeystoneServer, type KeystoneServer } from '../helpers/keystone/keystone_server.js';

/** kube-apiserver's 401 body: compact Status JSON ending in a newline. */
const UNAUTHORIZED_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n';

const BASIC_CHALLENGE = 'Basic realm="kubernetes-master"';

const ALICE_PASSWORD = 'alice-keystone-pw';
const DAVE_FILE_PASSWORD = 'dave-file-pw';
const DAVE_KEYSTONE_PASSWORD = 'dave-keystone-pw';

function basicHeader(username: string, password: string): [string, string] {
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  return ['Authorization', `Basic ${encoded}`];
}

describe('Keystone password authentication', function () {
  let dir: string;
  let caFile: string;
  let keystone: KeystoneServer;
  let server: TestServer;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'authn-keystone-'));
    keystone = await startKeystoneServer({
      users: [
        { id: 'u-alice', name: 'alice', password: ALICE_PASSWORD },
        { id: 'u-dave', name: 'dave', password: DAVE_KEYSTONE_PASSWORD },
      ],
    });
    caFile = join(dir, 'keystone-ca.pem');
    await writeFile(caFile, keystone.caPem);
    const basicAuthFile = join(dir, 'basic.csv');
    await writeFile(basicAuthFile, `${DAVE_FILE_PASSWORD},dave,2001,devs\n`);
    server = await startTestServer([
      `--experimental-keystone-url=${keystone.url}`,
      `--experimental-keystone-ca-file=${caFile}`,
      `--basic-auth-file=${basicAuthFile}`,
    ]);
  });

  after(async function () {
    await server?.stop();
    await keystone?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(function () {
    keystone.setBehaviour({ kind: 'normal' });
  });

  function review(username: string, password: string): Promise<Reply> {
    return postSelfSubjectReview(server, {}, [basicHeader(username, password)]);
  }

  it('Keystone user gets reviewed', async function () {
    const before = keystone.requestCount;
    const reply = await review('alice', ALICE_PASSWORD);

    expect(reply.status).to.equal(201);
    const user = reviewedUser(reply);
    expect(user.username).to.equal('alice');
    expect(user.uid).to.equal(undefined);
    expect(user.groups).to.deep.equal(['system:authenticated']);
    expect(keystone.requestCount).to.equal(before + 1);
  });

  it('Keystone request names user and domain', async function () {
    await review('alice', ALICE_PASSWORD);

    const request = keystone.requests.at(-1);
    expect(request?.url).to.equal('/v3/auth/tokens?nocatalog');
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

  const rejectedCases: { name: string; username: string; password: string }[] = [
    { name: 'wrong password', username: 'alice', password: 'not-alice-pw' },
    { name: 'unknown user', username: 'mallory', password: ALICE_PASSWORD },
  ];
  for (const tc of rejectedCases) {
    it(`${tc.name} gets 401 challenge`, async function () {
      const before = keystone.requestCount;
      const reply = await review(tc.username, tc.password);

      expect(reply.status).to.equal(401);
      expect(reply.headers['www-authenticate']).to.equal(BASIC_CHALLENGE);
      expect(reply.headers['content-type']).to.equal('application/json');
      expect(reply.body).to.equal(UNAUTHORIZED_BODY);
      expect(keystone.requestCount).to.equal(before + 1);
    });
  }

  it('Keystone outage gets 401 challenge', async function () {
    keystone.setBehaviour({ kind: 'status', status: 503 });
    const reply = await review('alice', ALICE_PASSWORD);

    expect(reply.status).to.equal(401);
    expect(reply.headers['www-authenticate']).to.equal(BASIC_CHALLENGE);
    expect(reply.body).to.equal(UNAUTHORIZED_BODY);
  });

  it('password file checked before Keystone', async function () {
    const before = keystone.requestCount;
    const reply = await review('dave', DAVE_FILE_PASSWORD);

    expect(reply.status).to.equal(201);
    const user = reviewedUser(reply);
    expect(user.username).to.equal('dave');
    expect(user.uid).to.equal('2001');
    expect(user.groups).to.deep.equal(['devs', 'system:authenticated']);
    expect(keystone.requestCount).to.equal(before);
  });

  it('Keystone checked after password file', async function () {
    const before = keystone.requestCount;
    const reply = await review('dave', DAVE_KEYSTONE_PASSWORD);

    expect(reply.status).to.equal(201);
    const user = reviewedUser(reply);
    expect(user.username).to.equal('dave');
    expect(user.uid).to.equal(undefined);
    expect(user.groups).to.deep.equal(['system:authenticated']);
    expect(keystone.requestCount).to.equal(before + 1);
  });

  const otherCredentialCases: { name: string; credentials: (s: TestServer) => Credentials }[] = [
    { name: 'bearer token', credentials: (s) => ({ token: s.adminToken }) },
    {
      name: 'client certificate',
      credentials: (s) => ({
        clientCertPem: s.adminClientCertPem,
        clientKeyPem: s.adminClientKeyPem,
      }),
    },
  ];
  for (const tc of otherCredentialCases) {
    it(`admin ${tc.name} skips Keystone`, async function () {
      const before = keystone.requestCount;
      const reply = await postSelfSubjectReview(server, tc.credentials(server));

      expect(reply.status).to.equal(201);
      expect(reviewedUser(reply).username).to.equal('admin');
      expect(keystone.requestCount).to.equal(before);
    });
  }

  it('wrong bearer token carries challenge', async function () {
    const reply = await postSelfSubjectReview(server, { token: 'not-a-known-token' });

    expect(reply.status).to.equal(401);
    expect(reply.headers['www-authenticate']).to.equal(BASIC_CHALLENGE);
  });
});

describe('Keystone without password file', function () {
  let dir: string;
  let keystone: KeystoneServer;
  let server: TestServer;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'authn-keystone-only-'));
    keystone = await startKeystoneServer({
      users: [{ id: 'u-alice', name: 'alice', password: ALICE_PASSWORD }],
    });
    const caFile = join(dir, 'keystone-ca.pem');
    await writeFile(caFile, keystone.caPem);
    server = await startTestServer([
      `--experimental-keystone-url=${keystone.url}`,
      `--experimental-keystone-ca-file=${caFile}`,
      '--anonymous-auth=false',
    ]);
  });

  after(async function () {
    await server?.stop();
    await keystone?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('wrong password gets 401 challenge', async function () {
    const reply = await postSelfSubjectReview(server, {}, [basicHeader('alice', 'wrong')]);

    expect(reply.status).to.equal(401);
    expect(reply.headers['www-authenticate']).to.equal(BASIC_CHALLENGE);
    expect(reply.body).to.equal(UNAUTHORIZED_BODY);
  });

  it('no credentials gets 401 challenge', async function () {
    const reply = await postSelfSubjectReview(server, {});

    expect(reply.status).to.equal(401);
    expect(reply.headers['www-authenticate']).to.equal(BASIC_CHALLENGE);
  });

  it('OpenAPI v2 declares HTTPBasic', async function () {
    const reply = await send(server, {
      path: '/openapi/v2',
      credentials: { token: server.adminToken },
    });

    expect(reply.status).to.equal(200);
    const document = JSON.parse(reply.body) as { securityDefinitions?: Record<string, unknown> };
    expect(document.securityDefinitions?.HTTPBasic).to.deep.equal({
      type: 'basic',
      description: 'HTTP Basic authentication',
    });
  });
});

describe('Keystone flags at start', function () {
  let dir: string;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'authn-keystone-flags-'));
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  /** Returns the error startTestServer rejects with, failing the test when a server starts. */
  async function startError(flags: string[]): Promise<Error> {
    let server: TestServer | undefined;
    try {
      server = await startTestServer(flags);
    } catch (error) {
      return error as Error;
    }
    await server.stop();
    return expect.fail('expected the server not to start');
  }

  it('http URL fails start', async function () {
    const error = await startError(['--experimental-keystone-url=http://127.0.0.1:5000']);

    expect(error.message).to.equal(
      '--experimental-keystone-url: "http://127.0.0.1:5000" must use https, because user passwords are sent to it',
    );
  });

  it('CA file without PEM fails start', async function () {
    const caFile = join(dir, 'not-a-ca.pem');
    await writeFile(caFile, 'hello\n');
    const error = await startError([
      '--experimental-keystone-url=https://127.0.0.1:5000',
      `--experimental-keystone-ca-file=${caFile}`,
    ]);

    expect(error.message).to.equal(
      `--experimental-keystone-ca-file: ${caFile}: the file contains no PEM certificate; pass a file with BEGIN CERTIFICATE blocks`,
    );
  });
});
