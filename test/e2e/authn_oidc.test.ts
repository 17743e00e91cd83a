import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { sharedLoopbackServingTLS } from '../helpers/e2e/certificates.js';
import {
  expectUnauthorizedStatus,
  expectWhoami,
  postReviewWith,
  type ExpectedUser,
} from '../helpers/e2e/credentials.js';
import { send } from '../helpers/e2e/http_client.js';
import {
  KUBERNETES_CLIENT_ID,
  OTHER_CLIENT_ID,
  reserveFreePort,
  startOIDCProvider,
  type IssuerTLS,
  type OIDCProviderFixture,
} from '../helpers/oidc/provider.js';

const USERNAME_PREFIX = 'oidc:';
const GROUPS_PREFIX = 'oidc-group:';
/** The claim and value that --oidc-required-claim requires in every ID token. */
const REQUIRED_CLAIM = 'hd';
const REQUIRED_VALUE = 'example.com';

/** Accounts of the issuer by account ID, with the claims their ID tokens carry. */
const ACCOUNTS = {
  alice: {
    email: 'alice@example.com',
    email_verified: true,
    groups: ['devs', 'ops'],
    [REQUIRED_CLAIM]: REQUIRED_VALUE,
  },
  // A groups claim that is a single string, as some issuers send for one group.
  bob: {
    email: 'bob@example.com',
    email_verified: true,
    groups: 'admins',
    [REQUIRED_CLAIM]: REQUIRED_VALUE,
  },
  // Gets ID tokens that expire after EXPIRING_TTL_SECONDS.
  carol: {
    email: 'carol@example.com',
    email_verified: true,
    groups: ['devs'],
    [REQUIRED_CLAIM]: REQUIRED_VALUE,
  },
  // Has the required claim with another value.
  mallory: {
    email: 'mallory@example.net',
    email_verified: true,
    groups: ['devs'],
    [REQUIRED_CLAIM]: 'example.net',
  },
  // Has no required claim.
  trent: { email: 'trent@example.com', email_verified: true, groups: ['devs'] },
};

/** The ID token lifetime of carol, in seconds: the shortest that oidc-provider accepts. */
const EXPIRING_TTL_SECONDS = 1;

/** The log line of the OIDC authenticator once it has the issuer's JWKS. */
const KEYS_FETCHED_LINE = /fetched the OIDC issuer keys/;

/** Returns the --oidc-* flags for `issuerURL`, whose CA is in `caPath`. */
function oidcFlags(issuerURL: string, caPath: string): string[] {
  return [
    `--oidc-issuer-url=${issuerURL}`,
    `--oidc-client-id=${KUBERNETES_CLIENT_ID}`,
    `--oidc-ca-file=${caPath}`,
    '--oidc-username-claim=email',
    `--oidc-username-prefix=${USERNAME_PREFIX}`,
    '--oidc-groups-claim=groups',
    `--oidc-groups-prefix=${GROUPS_PREFIX}`,
    `--oidc-required-claim=${REQUIRED_CLAIM}=${REQUIRED_VALUE}`,
    // Logs the reason of every 401, so each rejection can be matched to its cause.
    '-v=4',
  ];
}

/** Returns the issuer TLS that every issuer of this file shares, to save generating keys. */
function sharedIssuerTLS(): IssuerTLS {
  const { caPem, serving } = sharedLoopbackServingTLS();
  return { caPEM: caPem, serving };
}

/** Escapes `text` for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits for the -v=4 log line of a 401 whose reason contains `reason`. */
async function expectRejectionLogged(server: APIServerProcess, reason: string): Promise<void> {
  // The log quotes a value that contains spaces as a JSON string, so quotes inside it are escaped.
  const logged = JSON.stringify(reason).slice(1, -1);
  const line = await server.waitForLine(
    new RegExp(`unable to authenticate the request.*${escapeRegExp(logged)}`),
  );
  expect(line).to.include(logged);
}

describe('OIDC authentication', function () {
  let dir: string;
  let caPath: string;

  before(async function () {
    dir = await makeTempDir('authn-oidc');
    caPath = join(dir, 'oidc-ca.crt');
    await writeFile(caPath, sharedIssuerTLS().caPEM);
  });

  after(async function () {
    if (dir !== undefined) await removeDir(dir);
  });

  describe('with the issuer up', function () {
    let issuer: OIDCProviderFixture;
    let otherIssuer: OIDCProviderFixture;
    let server: APIServerProcess;
    let expiringToken: string;

    before(async function () {
      [issuer, otherIssuer] = await Promise.all([
        startOIDCProvider({
          accounts: ACCOUNTS,
          tls: sharedIssuerTLS(),
          idTokenTTLSeconds: { carol: EXPIRING_TTL_SECONDS },
        }),
        startOIDCProvider({ accounts: ACCOUNTS, tls: sharedIssuerTLS() }),
      ]);
      // Logs carol in while the server starts, so her test seldom has to wait for the expiry.
      const starting = startAPIServerProcess(oidcFlags(issuer.issuer, caPath));
      expiringToken = await issuer.login('carol');
      server = await starting;
      await server.waitForLine(KEYS_FETCHED_LINE);
    });

    after(async function () {
      await server?.stop();
      await Promise.all([issuer?.close(), otherIssuer?.close()]);
    });

    it('login token shows prefixed user', async function () {
      const token = await issuer.login('alice');
      const expected: ExpectedUser = {
        username: 'oidc:alice@example.com',
        groups: ['oidc-group:devs', 'oidc-group:ops', 'system:authenticated'],
      };

      await expectWhoami(dir, 'alice.kubeconfig', server, { token }, expected);
    });

    it('string groups claim is one group', async function () {
      const token = await issuer.login('bob');
      expect(decodeJwt(token).groups).to.equal('admins');
      const expected: ExpectedUser = {
        username: 'oidc:bob@example.com',
        groups: ['oidc-group:admins', 'system:authenticated'],
      };

      await expectWhoami(dir, 'bob.kubeconfig', server, { token }, expected);
    });

    it('expired token is 401 Status', async function () {
      const { iat, exp } = decodeJwt(expiringToken);
      expect(exp, 'exp').to.be.a('number');
      expect(exp! - iat!, 'token lifetime').to.equal(EXPIRING_TTL_SECONDS);
      // The server rejects a token once its clock is past exp, with no leeway.
      await delay(Math.max(0, exp! * 1000 + 100 - Date.now()));

      const reply = await postReviewWith(server, { token: expiringToken });

      expectUnauthorizedStatus(reply);
      const expiredAt = new Date(exp! * 1000).toISOString();
      await expectRejectionLogged(server, `token is expired (exp ${expiredAt})`);
    });

    it('token for other client is 401 Status', async function () {
      const token = await issuer.login('alice', OTHER_CLIENT_ID);
      expect(decodeJwt(token).aud).to.equal(OTHER_CLIENT_ID);

      const reply = await postReviewWith(server, { token });

      expectUnauthorizedStatus(reply);
      await expectRejectionLogged(server, 'unexpected "aud" claim value');
    });

    it('token of other issuer is 401 Status', async function () {
      const token = await otherIssuer.login('alice');
      expect(decodeJwt(token).iss).to.equal(otherIssuer.issuer);

      const reply = await postReviewWith(server, { token });

      expectUnauthorizedStatus(reply);
      // The OIDC authenticator does not apply to tokens of other issuers, and no other token
      // authenticator accepts this one, so the bearer token authenticator rejects it.
      await expectRejectionLogged(server, 'invalid bearer token');
    });

    it('token with unknown key id is 401 Status', async function () {
      const { email, groups, hd } = ACCOUNTS.alice;
      const token = await issuer.signWithUnknownKey({
        sub: 'alice',
        email,
        email_verified: true,
        groups,
        hd,
      });

      const reply = await postReviewWith(server, { token });

      expectUnauthorizedStatus(reply);
      await expectRejectionLogged(server, 'no applicable key found in the JSON Web Key Set');
    });

    const requiredClaimCases = [
      {
        name: 'other required claim value',
        account: 'mallory',
        reason: `required claim ${REQUIRED_CLAIM} value does not match`,
      },
      {
        name: 'missing required claim',
        account: 'trent',
        reason: `required claim ${REQUIRED_CLAIM} not present in ID token`,
      },
    ];
    for (const tc of requiredClaimCases) {
      it(`${tc.name} is 401 Status`, async function () {
        const token = await issuer.login(tc.account);

        const reply = await postReviewWith(server, { token });

        expectUnauthorizedStatus(reply);
        await expectRejectionLogged(server, tc.reason);
      });
    }
  });

  describe('with the issuer down at start', function () {
    let port: number;
    let issuerURL: string;
    let server: APIServerProcess;
    let issuer: OIDCProviderFixture | undefined;

    before(async function () {
      port = await reserveFreePort();
      issuerURL = `https://127.0.0.1:${port}`;
      server = await startAPIServerProcess(oidcFlags(issuerURL, caPath));
    });

    after(async function () {
      await server?.stop();
      await issuer?.close();
    });

    it('server is ready without issuer', async function () {
      const reply = await send(server, {
        path: '/readyz',
        credentials: { token: server.adminToken },
      });

      expect(reply.status, reply.body).to.equal(200);
      expect(reply.body).to.equal('ok');
      await server.waitForLine(/unable to fetch the OIDC issuer keys; retrying/);
    });

    it('issuer token is 401 before keys', async function () {
      // No issuer runs yet, so this token is signed here with the claims the issuer would set.
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({ email: 'alice@example.com', email_verified: true })
        .setProtectedHeader({ alg: 'RS256', kid: 'local-key' })
        .setIssuer(issuerURL)
        .setAudience(KUBERNETES_CLIENT_ID)
        .setSubject('alice')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);

      const reply = await postReviewWith(server, { token });

      expectUnauthorizedStatus(reply);
      await expectRejectionLogged(server, 'authenticator not initialized');
    });

    it('login token works after issuer starts', async function () {
      // The authenticator retries 0.5 s after its first failure and doubles the wait after each
      // further failure, up to 10 s, so it fetches the keys at its next attempt.
      issuer = await startOIDCProvider({ accounts: ACCOUNTS, port, tls: sharedIssuerTLS() });
      expect(issuer.issuer).to.equal(issuerURL);
      const token = await issuer.login('alice');

      await server.waitForLine(KEYS_FETCHED_LINE);

      await expectWhoami(
        dir,
        'late-alice.kubeconfig',
        server,
        { token },
        {
          username: 'oidc:alice@example.com',
          groups: ['oidc-group:devs', 'oidc-group:ops', 'system:authenticated'],
        },
      );
    });
  });
});
