import { expect } from 'chai';
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
  writeCredentialKubeconfig,
  type AcceptedCredential,
  type Credential,
} from '../helpers/e2e/credentials.js';
import { startFrontProxy, type FrontProxy } from '../helpers/e2e/front_proxy.js';
import { reviewedUser, type Endpoint } from '../helpers/e2e/http_client.js';

/** The WWW-Authenticate value of every 401 while --basic-auth-file is set. */
const BASIC_CHALLENGE = 'Basic realm="kubernetes-master"';

describe('all authenticators together', function () {
  // Starting the webhook process, the server, the OIDC issuer and the proxies takes seconds.
  this.timeout(60_000);

  let fixtures: AuthenticatorFixtures;
  let server: APIServerProcess;
  let proxy: FrontProxy;
  let unlistedProxy: FrontProxy;
  let serviceAccount: AcceptedCredential;

  before(async function () {
    fixtures = await createAuthenticatorFixtures();
    server = await startAPIServerProcess(fixtures.allFlags());
    await server.waitForLine(/fetched the OIDC issuer keys/);
    const { proxyCertificate, unlistedCertificate, proxyUsers } = fixtures.requestHeader;
    [proxy, unlistedProxy] = await Promise.all([
      startFrontProxy({ upstream: server, clientCertificate: proxyCertificate, users: proxyUsers }),
      startFrontProxy({
        upstream: server,
        clientCertificate: unlistedCertificate,
        users: proxyUsers,
      }),
    ]);
    // --token-auth-file and --client-ca-file leave the admin kubeconfig without credentials,
    // so the token file's system:masters user creates the service account.
    const operator = await writeCredentialKubeconfig(
      fixtures.dir,
      'operator.kubeconfig',
      server,
      fixtures.tokenFile.operator,
    );
    serviceAccount = await createServiceAccountToken(operator, 'default', 'robot');
  });

  after(async function () {
    await Promise.all([proxy?.close(), unlistedProxy?.close()]);
    await server?.stop();
    await fixtures?.close();
  });

  const accepted: {
    name: string;
    endpoint?: () => Endpoint;
    accepted: () => AcceptedCredential;
  }[] = [
    { name: 'token file token', accepted: () => fixtures.tokenFile.tina },
    { name: 'basic auth password', accepted: () => fixtures.basicAuth.bob },
    // The password file does not know kate, so the Keystone authenticator after it decides.
    { name: 'Keystone password', accepted: () => fixtures.keystone.kate },
    { name: 'x509 certificate chain', accepted: () => fixtures.x509.carol },
    { name: 'service account token', accepted: () => serviceAccount },
    { name: 'OIDC ID token', accepted: () => fixtures.oidc.alice },
    { name: 'webhook token', accepted: () => fixtures.webhook.jane },
    {
      name: 'webhook service account token',
      accepted: () => fixtures.webhook.backendServiceAccount,
    },
    { name: 'any token', accepted: () => fixtures.anyToken.erin },
    {
      name: 'token through front proxy',
      endpoint: () => proxy,
      accepted: () => fixtures.requestHeader.dave,
    },
    {
      // The webhook authenticates this token only for an audience that this server's
      // --api-audiences lack, so the union goes on to any-token, which takes the whole JWT as
      // the user name.
      name: 'webhook token for other audience',
      accepted: () => {
        const credential = fixtures.webhook.defaultAudienceToken;
        return {
          credential,
          user: { username: credential.token ?? '', groups: ['system:authenticated'] },
        };
      },
    },
    {
      // Every authenticator before it returns not applicable or rejects, and any-token accepts
      // all bearer tokens, so an unlisted token is the user it names.
      name: 'unlisted bearer token',
      accepted: () => ({
        credential: { token: 'stranger' },
        user: { username: 'stranger', groups: ['system:authenticated'] },
      }),
    },
  ];
  for (const tc of accepted) {
    it(`${tc.name} resolves to its user`, async function () {
      const { credential, user } = tc.accepted();
      const endpoint = tc.endpoint?.() ?? server;

      await expectWhoami(fixtures.dir, 'whoami.kubeconfig', endpoint, credential, user);
    });
  }

  it('no credential is anonymous', async function () {
    // Not with kubectl: with no credential it prompts for a user name, and the Basic header of
    // a user name alone is a wrong password while --basic-auth-file is set.
    const reply = await postReviewWith(server, {});

    expect(reply.status, reply.body).to.equal(201);
    expect(reviewedUser(reply)).to.deep.equal({
      username: 'system:anonymous',
      groups: ['system:unauthenticated'],
    });
  });

  const rejected: { name: string; endpoint?: () => Endpoint; credential: () => Credential }[] = [
    { name: 'wrong basic password', credential: () => fixtures.basicAuth.wrongPassword },
    { name: 'wrong Keystone password', credential: () => fixtures.keystone.wrongPassword },
    { name: 'expired client certificate', credential: () => fixtures.x509.expired },
    { name: 'serverAuth-only client certificate', credential: () => fixtures.x509.serverAuthOnly },
    { name: 'leaf without intermediate', credential: () => fixtures.x509.withoutIntermediate },
    {
      name: 'proxy name not allowed',
      endpoint: () => unlistedProxy,
      credential: () => fixtures.requestHeader.dave.credential,
    },
  ];
  for (const tc of rejected) {
    it(`${tc.name} is 401 Status`, async function () {
      const reply = await postReviewWith(tc.endpoint?.() ?? server, tc.credential());

      expectUnauthorizedStatus(reply);
      expect(reply.headers['www-authenticate']).to.equal(BASIC_CHALLENGE);
    });
  }
});
