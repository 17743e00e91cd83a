import { expect } from 'chai';
import { request as httpsRequest } from 'node:https';
import { startAPIServerProcess, type APIServerProcess } from '../helpers/e2e/apiserver_process.js';
import {
  createAuthenticatorFixtures,
  type AuthenticatorFixtures,
} from '../helpers/e2e/authn_fixtures.js';
import {
  createServiceAccountToken,
  expectUnauthorizedStatus,
  expectWhoami,
  postReviewWith,
  type AcceptedCredential,
  type Credential,
  type ExpectedUser,
} from '../helpers/e2e/credentials.js';
import { startFrontProxy, type FrontProxy } from '../helpers/e2e/front_proxy.js';
import { reviewedUser, send, type Endpoint } from '../helpers/e2e/http_client.js';

/** The WWW-Authenticate value of a 401 while --basic-auth-file is set. */
const BASIC_CHALLENGE = 'Basic realm="kubernetes-master"';

/** A credential the authenticator accepts, obtained from the running server where needed. */
interface AcceptedCase {
  readonly name: string;
  readonly resolve: (server: APIServerProcess) => AcceptedCredential | Promise<AcceptedCredential>;
}

/** A credential the authenticator rejects with 401. */
interface RejectedCase {
  readonly name: string;
  readonly credential: () => Credential;
}

/** One authenticator, turned on by its flags alone, with credentials it accepts and rejects. */
interface AuthenticatorCase {
  readonly authenticator: string;
  readonly flags: () => readonly string[];
  /** A log line to wait for before the server can authenticate, such as fetched OIDC keys. */
  readonly readyLine?: RegExp;
  /** The WWW-Authenticate header of a 401; only basic authentication sets one. */
  readonly challenge?: string;
  readonly accepted: readonly AcceptedCase[];
  readonly rejected: readonly RejectedCase[];
}

/** A watch request that stays open until close(). */
interface OpenWatch {
  /** Resolves when the response headers arrive, once the server has started the watch. */
  readonly started: Promise<number>;
  /** Resolves with the first line of the body: one JSON watch event. */
  readonly firstEvent: Promise<string>;
  close(): void;
}

/**
 * Creates a promise with its resolve and reject functions, as Promise.withResolvers does from
 * Node 22 on.
 */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: Error) => void;
} {
  let resolve: (value: T) => void = () => undefined;
  let reject: (err: Error) => void = () => undefined;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  // A watch closed before its first event rejects a promise that no test awaits any more.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Opens a watch on `path` with a bearer token and reads its events as they arrive. */
function openWatch(endpoint: Endpoint, token: string, path: string): OpenWatch {
  const started = deferred<number>();
  const firstEvent = deferred<string>();
  const fail = (err: Error) => {
    started.reject(err);
    firstEvent.reject(err);
  };
  const request = httpsRequest(
    new URL(path, endpoint.url),
    { ca: endpoint.caPem, headers: { Authorization: `Bearer ${token}` }, agent: false },
    (response) => {
      started.resolve(response.statusCode ?? 0);
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
        const end = body.indexOf('\n');
        if (end !== -1) firstEvent.resolve(body.slice(0, end));
      });
      response.on('error', fail);
    },
  );
  request.on('error', fail);
  request.end();
  return {
    started: started.promise,
    firstEvent: firstEvent.promise,
    close: () => request.destroy(),
  };
}

/** A server process that one describe block runs its tests against. */
interface ServerSpec {
  readonly name: string;
  readonly flags: () => readonly string[];
  readonly readyLine?: RegExp;
}

/**
 * How many server processes start at once. Each start is mostly CPU work, so starting all of
 * them together gains little and could push one past startAPIServerProcess's 15 s limit.
 */
const START_CONCURRENCY = 3;

const REQUEST_HEADER_SERVER = 'request header';
const ANONYMOUS_SERVER = 'anonymous';
const ANONYMOUS_OFF_SERVER = 'anonymous off';

describe('each authenticator alone', function () {
  // The before hook creates the fixtures and starts eleven server processes, each taking seconds.
  this.timeout(90_000);

  let fixtures: AuthenticatorFixtures;
  const servers = new Map<string, APIServerProcess>();

  /** Returns the running server that `before` started for `name`. */
  function serverNamed(name: string): APIServerProcess {
    const server = servers.get(name);
    if (server === undefined) throw new Error(`the server "${name}" did not start`);
    return server;
  }

  /** Starts every server, START_CONCURRENCY at a time, and throws the first failure. */
  async function startServers(specs: readonly ServerSpec[]): Promise<void> {
    const queue = [...specs];
    const failures: unknown[] = [];
    const worker = async () => {
      for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
        try {
          const server = await startAPIServerProcess(spec.flags());
          // Stored before the readiness wait, so that `after` stops it even when the wait fails.
          servers.set(spec.name, server);
          if (spec.readyLine !== undefined) await server.waitForLine(spec.readyLine);
        } catch (err) {
          failures.push(err);
        }
      }
    };
    await Promise.all(Array.from({ length: START_CONCURRENCY }, worker));
    if (failures.length > 0) throw failures[0];
  }

  const cases: AuthenticatorCase[] = [
    {
      authenticator: 'token file',
      flags: () => fixtures.tokenFile.flags,
      accepted: [{ name: 'listed token', resolve: () => fixtures.tokenFile.tina }],
      rejected: [{ name: 'unlisted token', credential: () => ({ token: 'unlisted-token' }) }],
    },
    {
      authenticator: 'basic auth',
      flags: () => fixtures.basicAuth.flags,
      challenge: BASIC_CHALLENGE,
      accepted: [{ name: 'user and password', resolve: () => fixtures.basicAuth.bob }],
      rejected: [{ name: 'wrong password', credential: () => fixtures.basicAuth.wrongPassword }],
    },
    {
      authenticator: 'Keystone',
      flags: () => fixtures.keystone.flags,
      challenge: BASIC_CHALLENGE,
      accepted: [{ name: 'user and password', resolve: () => fixtures.keystone.kate }],
      rejected: [{ name: 'wrong password', credential: () => fixtures.keystone.wrongPassword }],
    },
    {
      authenticator: 'x509 client certificate',
      flags: () => fixtures.x509.flags,
      accepted: [{ name: 'chain through intermediate', resolve: () => fixtures.x509.carol }],
      rejected: [
        { name: 'expired certificate', credential: () => fixtures.x509.expired },
        { name: 'serverAuth-only certificate', credential: () => fixtures.x509.serverAuthOnly },
        { name: 'leaf without intermediate', credential: () => fixtures.x509.withoutIntermediate },
      ],
    },
    {
      authenticator: 'service account token',
      flags: () => fixtures.serviceAccount.flags,
      accepted: [
        {
          name: 'kubectl create token',
          resolve: (server) => createServiceAccountToken(server.kubeconfigPath, 'default', 'robot'),
        },
      ],
      rejected: [
        { name: 'foreign key token', credential: () => fixtures.serviceAccount.foreignKeyToken },
      ],
    },
    {
      authenticator: 'OIDC',
      flags: () => fixtures.oidc.flags,
      readyLine: /fetched the OIDC issuer keys/,
      accepted: [{ name: 'login flow ID token', resolve: () => fixtures.oidc.alice }],
      rejected: [{ name: 'unknown key token', credential: () => fixtures.oidc.unknownKeyToken }],
    },
    {
      authenticator: 'webhook token',
      flags: () => fixtures.webhook.flags,
      accepted: [
        { name: 'backend token file token', resolve: () => fixtures.webhook.jane },
        {
          name: 'backend service account token',
          resolve: () => fixtures.webhook.backendServiceAccount,
        },
      ],
      rejected: [{ name: 'unknown token', credential: () => fixtures.webhook.unknownToken }],
    },
    {
      authenticator: 'any token',
      flags: () => fixtures.anyToken.flags,
      accepted: [{ name: 'user/groups token', resolve: () => fixtures.anyToken.erin }],
      rejected: [{ name: 'token without user', credential: () => fixtures.anyToken.withoutUser }],
    },
  ];

  before(async function () {
    fixtures = await createAuthenticatorFixtures();
    await startServers([
      ...cases.map((tc) => ({ name: tc.authenticator, flags: tc.flags, readyLine: tc.readyLine })),
      { name: REQUEST_HEADER_SERVER, flags: () => fixtures.requestHeader.flags },
      { name: ANONYMOUS_SERVER, flags: () => [] },
      { name: ANONYMOUS_OFF_SERVER, flags: () => ['--anonymous-auth=false'] },
    ]);
  });

  after(async function () {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    await fixtures?.close();
  });

  for (const tc of cases) {
    describe(`${tc.authenticator} alone`, function () {
      const server = () => serverNamed(tc.authenticator);

      for (const accepted of tc.accepted) {
        it(`${accepted.name} shows in whoami`, async function () {
          const { credential, user } = await accepted.resolve(server());

          await expectWhoami(fixtures.dir, 'whoami.kubeconfig', server(), credential, user);
        });
      }

      for (const rejected of tc.rejected) {
        it(`${rejected.name} is 401 Status`, async function () {
          const reply = await postReviewWith(server(), rejected.credential());

          expectUnauthorizedStatus(reply);
          expect(reply.headers['www-authenticate']).to.equal(tc.challenge);
        });
      }
    });
  }

  describe('request header alone', function () {
    const server = () => serverNamed(REQUEST_HEADER_SERVER);
    let proxy: FrontProxy;
    let unlistedProxy: FrontProxy;

    before(async function () {
      const { proxyCertificate, unlistedCertificate, proxyUsers } = fixtures.requestHeader;
      [proxy, unlistedProxy] = await Promise.all([
        startFrontProxy({
          upstream: server(),
          clientCertificate: proxyCertificate,
          users: proxyUsers,
        }),
        startFrontProxy({
          upstream: server(),
          clientCertificate: unlistedCertificate,
          users: proxyUsers,
        }),
      ]);
    });

    after(async function () {
      await Promise.all([proxy?.close(), unlistedProxy?.close()]);
    });

    /** Identity headers a client might forge, naming a user that no authenticator has. */
    const forgedHeaders: [string, string][] = [
      ['X-Remote-User', 'mallory'],
      ['X-Remote-Uid', 'mallory-uid'],
      ['X-Remote-Group', 'system:masters'],
      ['X-Remote-Extra-Example.com%2FTeam', 'attackers'],
    ];

    it('kubectl through proxy shows header user', async function () {
      const { credential, user } = fixtures.requestHeader.dave;

      await expectWhoami(fixtures.dir, 'proxy.kubeconfig', proxy, credential, user);
    });

    it('proxy replaces client identity headers', async function () {
      const { credential, user } = fixtures.requestHeader.dave;

      const reply = await postReviewWith(proxy, credential, forgedHeaders);

      expect(reply.status, reply.body).to.equal(201);
      expect(reviewedUser(reply)).to.deep.equal(user);
    });

    const direct: { name: string; credential: () => Credential; user: () => ExpectedUser }[] = [
      {
        name: 'without credential',
        credential: () => ({}),
        user: () => ({ username: 'system:anonymous', groups: ['system:unauthenticated'] }),
      },
      {
        name: 'with token file token',
        credential: () => ({ token: server().adminToken }),
        user: () => ({
          username: 'admin',
          uid: 'admin-uid',
          groups: ['system:masters', 'system:authenticated'],
        }),
      },
    ];
    for (const tc of direct) {
      it(`direct headers ${tc.name} ignored`, async function () {
        const reply = await postReviewWith(server(), tc.credential(), forgedHeaders);

        expect(reply.status, reply.body).to.equal(201);
        expect(reviewedUser(reply)).to.deep.equal(tc.user());
      });
    }

    it('proxy name not allowed is 401', async function () {
      const reply = await postReviewWith(unlistedProxy, fixtures.requestHeader.dave.credential);

      expectUnauthorizedStatus(reply);
    });

    it('watch streams through proxy', async function () {
      const token = fixtures.requestHeader.dave.credential.token ?? '';
      const watch = openWatch(proxy, token, '/api/v1/namespaces/default/configmaps?watch=true');
      try {
        expect(await watch.started).to.equal(200);

        // Created after the watch started, so its event can only arrive on the open response.
        const created = await send(proxy, {
          method: 'POST',
          path: '/api/v1/namespaces/default/configmaps',
          headers: [['Content-Type', 'application/json']],
          credentials: { token },
          body: JSON.stringify({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'streamed' },
          }),
        });
        expect(created.status, created.body).to.equal(201);

        const event = JSON.parse(await watch.firstEvent) as {
          type: string;
          object: { metadata: { name: string } };
        };
        expect(event.type).to.equal('ADDED');
        expect(event.object.metadata.name).to.equal('streamed');
      } finally {
        watch.close();
      }
    });
  });

  describe('anonymous alone', function () {
    const server = () => serverNamed(ANONYMOUS_SERVER);
    const closed = () => serverNamed(ANONYMOUS_OFF_SERVER);

    it('kubectl without token is anonymous', async function () {
      // kubectl prompts for a user name when the kubeconfig user has no credential at all, so
      // this one sends a Basic header, which a server without --basic-auth-file ignores.
      await expectWhoami(
        fixtures.dir,
        'anonymous.kubeconfig',
        server(),
        { username: 'nobody' },
        { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      );
    });

    it('request without credential is anonymous', async function () {
      const reply = await postReviewWith(server(), {});

      expect(reply.status, reply.body).to.equal(201);
      expect(reviewedUser(reply)).to.deep.equal({
        username: 'system:anonymous',
        groups: ['system:unauthenticated'],
      });
    });

    it('unknown token is never anonymous', async function () {
      const reply = await postReviewWith(server(), { token: 'unlisted-token' });

      expectUnauthorizedStatus(reply);
    });

    it('anonymous auth off is 401', async function () {
      const reply = await postReviewWith(closed(), {});

      expectUnauthorizedStatus(reply);
    });
  });
});
