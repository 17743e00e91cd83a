import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { buildKubeconfig } from '../../../cmd/apiserver/app/bootstrap/kubeconfig.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER } from '../../../cmd/apiserver/app/bootstrap/service_account_key.js';
import type { CertificateKeyPair } from '../../../cmd/apiserver/app/bootstrap/pki.js';
import {
  startKeystoneServer,
  type KeystoneServer,
  type KeystoneUser,
} from '../keystone/keystone_server.js';
import {
  KUBERNETES_CLIENT_ID,
  startOIDCProvider,
  type OIDCProviderFixture,
} from '../oidc/provider.js';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from './apiserver_process.js';
import {
  issueCertificate,
  sharedLoopbackServingTLS,
  type IssueOptions,
  type IssuedCertificate,
} from './certificates.js';
import {
  createServiceAccountToken,
  writeUserCSV,
  type AcceptedCredential,
  type CSVUser,
  type Credential,
  type ExpectedUser,
} from './credentials.js';
import { STANDARD_IDENTITY_HEADERS, type FrontProxyUser } from './front_proxy.js';

/*
 * Files, flags and credentials for every authenticator of the server, shared by the end-to-end
 * tests that turn each authenticator on alone and all of them together. Each authenticator has
 * its own users, so a test can tell which authenticator resolved a request.
 */

/** The group the server adds to every authenticated user. */
const AUTHENTICATED = 'system:authenticated';

function withAuthenticated(groups: readonly string[]): string[] {
  return [...groups, AUTHENTICATED];
}

function expectedFromCSV(user: CSVUser): ExpectedUser {
  return { username: user.name, uid: user.uid, groups: withAuthenticated(user.groups) };
}

/** A user of --token-auth-file. */
const TINA: CSVUser = {
  secret: 'tina-token-5f3a9c1e7b',
  name: 'tina',
  uid: 'tina-uid',
  groups: ['devs', 'ops'],
};

/**
 * A system:masters user of --token-auth-file. Servers that set both --token-auth-file and
 * --client-ca-file write an admin kubeconfig without credentials, so tests act as this user to
 * create service accounts.
 */
const OPERATOR: CSVUser = {
  secret: 'operator-token-8d21b4f0aa',
  name: 'operator',
  uid: 'operator-uid',
  groups: ['system:masters'],
};

/** A user of --basic-auth-file. */
const BOB: CSVUser = {
  secret: 'bob-password-c47e19',
  name: 'bob',
  uid: 'bob-uid',
  groups: ['devs', 'qa'],
};

/** A user of the TokenReview webhook, known only to the webhook's token file. */
const JANE: CSVUser = {
  secret: 'jane-token-2b9e7d6c41',
  name: 'jane',
  uid: 'jane-uid',
  groups: ['webhook-users'],
};

/** A user of the test Keystone, in its Default domain. */
const KATE: KeystoneUser = {
  id: 'kate-keystone-id',
  name: 'kate',
  password: 'kate-password-93e0d1',
};

/** An account of the OIDC issuer, logged in through its authorization code flow. */
const OIDC_ACCOUNT_ID = 'alice';
const OIDC_ACCOUNTS = {
  [OIDC_ACCOUNT_ID]: {
    email: 'alice@example.com',
    email_verified: true,
    groups: ['devs', 'ops'],
  },
};
const OIDC_PREFIX = 'oidc:';

/** The service account issuer; never contacted, it only names the issuer in tokens. */
const SERVICE_ACCOUNT_ISSUER = 'https://service-accounts.e2e.invalid';

/** The common name the API server accepts from a front proxy's client certificate. */
const FRONT_PROXY_NAME = 'front-proxy';

/** The bearer token a client presents to the front proxy, and the user the proxy forwards. */
const FRONT_PROXY_TOKEN = 'dave-proxy-token-71c0e2';
const FRONT_PROXY_USER: FrontProxyUser = {
  name: 'dave',
  uid: 'dave-uid',
  groups: ['devs', 'ops'],
  extra: { 'Example.com/Team': ['platform'], scopes: ['read', 'write'] },
};

/** Flags for --token-auth-file and its users. */
export interface TokenFileFixture {
  readonly flags: readonly string[];
  readonly tina: AcceptedCredential;
  /** A system:masters user, for set-up steps such as creating service accounts. */
  readonly operator: Credential;
}

export interface BasicAuthFixture {
  readonly flags: readonly string[];
  readonly bob: AcceptedCredential;
  readonly wrongPassword: Credential;
}

export interface X509Fixture {
  readonly flags: readonly string[];
  /** A leaf signed by an intermediate CA, presented with the intermediate. */
  readonly carol: AcceptedCredential;
  readonly expired: Credential;
  /** A certificate whose extended key usage is serverAuth only. */
  readonly serverAuthOnly: Credential;
  /** The valid leaf presented without its intermediate CA, so no chain reaches the root. */
  readonly withoutIntermediate: Credential;
}

export interface KeystoneFixture {
  readonly flags: readonly string[];
  /** A Keystone user's name and password, sent with HTTP basic authentication. */
  readonly kate: AcceptedCredential;
  readonly wrongPassword: Credential;
}

export interface ServiceAccountFixture {
  readonly flags: readonly string[];
  /** A well-formed token for default/robot signed by a key the server does not know. */
  readonly foreignKeyToken: Credential;
}

export interface OIDCFixture {
  readonly flags: readonly string[];
  /** An ID token from the issuer's login flow. */
  readonly alice: AcceptedCredential;
  /** A token naming the issuer but signed by a key that is not in the issuer's JWKS. */
  readonly unknownKeyToken: Credential;
}

export interface WebhookFixture {
  readonly flags: readonly string[];
  /** The second API server process, which serves the TokenReviews. */
  readonly backend: APIServerProcess;
  /** A user of the backend's token file. */
  readonly jane: AcceptedCredential;
  /** A service account token of the backend, whose user carries extra attributes. */
  readonly backendServiceAccount: AcceptedCredential;
  /**
   * A service account token of the backend for DEFAULT_SERVICE_ACCOUNT_ISSUER alone, the API
   * audience of a server without service account flags. Servers with other --api-audiences must
   * not accept it.
   */
  readonly defaultAudienceToken: Credential;
  readonly unknownToken: Credential;
}

export interface AnyTokenFixture {
  readonly flags: readonly string[];
  readonly erin: AcceptedCredential;
  /** `/devs`: groups but no user name. This server rejects it; kube-apiserver accepted user "". */
  readonly withoutUser: Credential;
}

export interface RequestHeaderFixture {
  readonly flags: readonly string[];
  /** The client certificate whose common name --requestheader-allowed-names lists. */
  readonly proxyCertificate: CertificateKeyPair;
  /** A client certificate from the same CA, with a common name that is not allowed. */
  readonly unlistedCertificate: CertificateKeyPair;
  /** The front proxy's users by bearer token. */
  readonly proxyUsers: ReadonlyMap<string, FrontProxyUser>;
  /** The credential a client presents to the front proxy, and the user the server must see. */
  readonly dave: AcceptedCredential;
}

/** Every authenticator's fixture, and the processes and servers behind them. */
export interface AuthenticatorFixtures {
  readonly dir: string;
  readonly tokenFile: TokenFileFixture;
  readonly basicAuth: BasicAuthFixture;
  readonly keystone: KeystoneFixture;
  readonly x509: X509Fixture;
  readonly serviceAccount: ServiceAccountFixture;
  readonly oidc: OIDCFixture;
  readonly webhook: WebhookFixture;
  readonly anyToken: AnyTokenFixture;
  readonly requestHeader: RequestHeaderFixture;
  /** Every flag above, to turn all authenticators on in one server. */
  allFlags(): string[];
  /** Stops the OIDC issuer, the Keystone server and the webhook process and removes the files. */
  close(): Promise<void>;
}

async function tokenFileFixture(dir: string): Promise<TokenFileFixture> {
  const path = join(dir, 'tokens.csv');
  await writeUserCSV(path, [TINA, OPERATOR]);
  return {
    flags: [`--token-auth-file=${path}`],
    tina: { credential: { token: TINA.secret }, user: expectedFromCSV(TINA) },
    operator: { token: OPERATOR.secret },
  };
}

async function basicAuthFixture(dir: string): Promise<BasicAuthFixture> {
  const path = join(dir, 'passwords.csv');
  await writeUserCSV(path, [BOB]);
  return {
    flags: [`--basic-auth-file=${path}`],
    bob: { credential: { username: BOB.name, password: BOB.secret }, user: expectedFromCSV(BOB) },
    wrongPassword: { username: BOB.name, password: 'not-the-password' },
  };
}

async function keystoneFixture(
  dir: string,
): Promise<{ fixture: KeystoneFixture; server: KeystoneServer }> {
  const { caPem, serving } = sharedLoopbackServingTLS();
  const server = await startKeystoneServer({ users: [KATE], tls: { caPem, serving } });
  const caPath = join(dir, 'keystone-ca.crt');
  await writeFile(caPath, caPem);
  const fixture: KeystoneFixture = {
    flags: [
      `--experimental-keystone-url=${server.url}`,
      `--experimental-keystone-ca-file=${caPath}`,
    ],
    kate: {
      credential: { username: KATE.name, password: KATE.password },
      // Keystone users get a name alone: no uid and no groups of their own.
      user: { username: KATE.name, groups: [AUTHENTICATED] },
    },
    wrongPassword: { username: KATE.name, password: 'not-the-password' },
  };
  return { fixture, server };
}

function clientCredential(certificate: IssuedCertificate): Credential {
  return { clientCertPem: certificate.chainPem, clientKeyPem: certificate.keyPem };
}

async function x509Fixture(dir: string): Promise<X509Fixture> {
  const root = issueCertificate({ commonName: 'e2e-client-root-ca', isCA: true });
  const intermediate = issueCertificate({
    commonName: 'e2e-client-intermediate-ca',
    isCA: true,
    issuer: root,
  });
  const leaf = (options: Partial<IssueOptions> = {}) =>
    issueCertificate({
      commonName: 'carol',
      organizations: ['devs', 'ops'],
      issuer: intermediate,
      ...options,
    });
  const carol = leaf();
  // The rejected certificates certify carol's key again, as a renewal would.
  const dayMs = 24 * 60 * 60 * 1000;
  const expired = leaf({
    keyPem: carol.keyPem,
    notBefore: new Date(Date.now() - 2 * dayMs),
    notAfter: new Date(Date.now() - dayMs),
  });
  const serverAuthOnly = leaf({ keyPem: carol.keyPem, extendedKeyUsage: 'serverAuth' });

  // Only the root is trusted, so the intermediate must come from the client.
  const path = join(dir, 'client-ca.crt');
  await writeFile(path, root.certPem);
  return {
    flags: [`--client-ca-file=${path}`],
    carol: {
      credential: clientCredential(carol),
      user: { username: 'carol', groups: withAuthenticated(['devs', 'ops']) },
    },
    expired: clientCredential(expired),
    serverAuthOnly: clientCredential(serverAuthOnly),
    withoutIntermediate: { clientCertPem: carol.certPem, clientKeyPem: carol.keyPem },
  };
}

async function serviceAccountFixture(dir: string): Promise<ServiceAccountFixture> {
  // ECDSA P-256 keys, because they generate in about a millisecond and RSA 2048 keys take up to
  // a second on a busy machine.
  const pair = () =>
    generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const signing = pair();
  const publicPath = join(dir, 'sa.pub');
  const privatePath = join(dir, 'sa.key');
  await writeFile(publicPath, signing.publicKey);
  await writeFile(privatePath, signing.privateKey, { mode: 0o600 });

  // The claims kube-apiserver writes into a bound token, signed with a key of another server.
  const foreignToken = await new SignJWT({
    'kubernetes.io': {
      namespace: 'default',
      serviceaccount: { name: 'robot', uid: randomUUID() },
    },
  })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(SERVICE_ACCOUNT_ISSUER)
    .setAudience(SERVICE_ACCOUNT_ISSUER)
    .setSubject('system:serviceaccount:default:robot')
    .setJti(randomUUID())
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime('10m')
    .sign(createPrivateKey(pair().privateKey));

  return {
    flags: [
      `--service-account-key-file=${publicPath}`,
      `--service-account-signing-key-file=${privatePath}`,
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    ],
    foreignKeyToken: { token: foreignToken },
  };
}

async function oidcFixture(
  dir: string,
): Promise<{ fixture: OIDCFixture; issuer: OIDCProviderFixture }> {
  const { caPem, serving } = sharedLoopbackServingTLS();
  const issuer = await startOIDCProvider({
    accounts: OIDC_ACCOUNTS,
    tls: { caPEM: caPem, serving },
  });
  try {
    const caPath = join(dir, 'oidc-ca.crt');
    await writeFile(caPath, issuer.caPEM);
    const account = OIDC_ACCOUNTS[OIDC_ACCOUNT_ID];
    const idToken = await issuer.login(OIDC_ACCOUNT_ID);
    const unknownKeyToken = await issuer.signWithUnknownKey({
      sub: OIDC_ACCOUNT_ID,
      email: account.email,
      email_verified: true,
    });
    const fixture: OIDCFixture = {
      flags: [
        `--oidc-issuer-url=${issuer.issuer}`,
        `--oidc-client-id=${KUBERNETES_CLIENT_ID}`,
        `--oidc-ca-file=${caPath}`,
        '--oidc-username-claim=email',
        `--oidc-username-prefix=${OIDC_PREFIX}`,
        '--oidc-groups-claim=groups',
        `--oidc-groups-prefix=${OIDC_PREFIX}`,
      ],
      alice: {
        credential: { token: idToken },
        user: {
          username: `${OIDC_PREFIX}${account.email}`,
          groups: withAuthenticated(account.groups.map((group) => `${OIDC_PREFIX}${group}`)),
        },
      },
      unknownKeyToken: { token: unknownKeyToken },
    };
    return { fixture, issuer };
  } catch (err) {
    await issuer.close();
    throw err;
  }
}

/**
 * Starts a second API server process that serves TokenReviews for the users of its own token
 * file, and writes the kubeconfig with which a server calls it as its webhook.
 */
async function webhookFixture(dir: string): Promise<WebhookFixture> {
  const tokens = join(dir, 'webhook-tokens.csv');
  await writeUserCSV(tokens, [JANE]);
  // The backend accepts the API audiences of both kinds of calling server: those with the
  // embedded service account default and those with the service account fixture's flags.
  const backend = await startAPIServerProcess([
    `--token-auth-file=${tokens}`,
    `--api-audiences=${DEFAULT_SERVICE_ACCOUNT_ISSUER},${SERVICE_ACCOUNT_ISSUER}`,
  ]);
  try {
    // The calling server presents the backend's admin client certificate, which the embedded
    // default generates because the backend has no --client-ca-file.
    const kubeconfig = buildKubeconfig({
      server: `${backend.url}/apis/authentication.k8s.io/v1/tokenreviews`,
      caPem: backend.caPem,
      clientCertPem: await readFile(join(backend.certDir, 'admin.crt'), 'utf8'),
      clientKeyPem: await readFile(join(backend.certDir, 'admin.key'), 'utf8'),
    });
    const path = join(dir, 'webhook.kubeconfig');
    await writeFile(path, kubeconfig, { mode: 0o600 });
    const backendServiceAccount = await createServiceAccountToken(
      backend.kubeconfigPath,
      'default',
      'webhook-robot',
    );
    const defaultAudience = await createServiceAccountToken(
      backend.kubeconfigPath,
      'default',
      'default-audience-robot',
      DEFAULT_SERVICE_ACCOUNT_ISSUER,
    );
    return {
      flags: [
        `--authentication-token-webhook-config-file=${path}`,
        // The backend serves only authentication.k8s.io/v1, and kube-apiserver 1.32 defaults to
        // v1beta1.
        '--authentication-token-webhook-version=v1',
      ],
      backend,
      jane: { credential: { token: JANE.secret }, user: expectedFromCSV(JANE) },
      backendServiceAccount,
      defaultAudienceToken: defaultAudience.credential,
      unknownToken: { token: 'token-nobody-issued' },
    };
  } catch (err) {
    await backend.stop();
    throw err;
  }
}

function anyTokenFixture(): AnyTokenFixture {
  return {
    flags: ['--insecure-allow-any-token'],
    erin: {
      credential: { token: 'erin/devs,ops' },
      user: { username: 'erin', groups: withAuthenticated(['devs', 'ops']) },
    },
    withoutUser: { token: '/devs' },
  };
}

async function requestHeaderFixture(dir: string): Promise<RequestHeaderFixture> {
  const ca = issueCertificate({ commonName: 'e2e-front-proxy-client-ca', isCA: true });
  const proxyCertificate = issueCertificate({ commonName: FRONT_PROXY_NAME, issuer: ca });
  const unlistedCertificate = issueCertificate({
    commonName: 'unlisted-proxy',
    issuer: ca,
    keyPem: proxyCertificate.keyPem,
  });
  const caPath = join(dir, 'front-proxy-ca.crt');
  await writeFile(caPath, ca.certPem);
  const names = STANDARD_IDENTITY_HEADERS;
  return {
    flags: [
      `--requestheader-client-ca-file=${caPath}`,
      `--requestheader-allowed-names=${FRONT_PROXY_NAME}`,
      `--requestheader-username-headers=${names.username}`,
      `--requestheader-uid-headers=${names.uid}`,
      `--requestheader-group-headers=${names.group}`,
      `--requestheader-extra-headers-prefix=${names.extraPrefix}`,
    ],
    proxyCertificate,
    unlistedCertificate,
    proxyUsers: new Map([[FRONT_PROXY_TOKEN, FRONT_PROXY_USER]]),
    dave: {
      credential: { token: FRONT_PROXY_TOKEN },
      user: {
        username: FRONT_PROXY_USER.name,
        uid: FRONT_PROXY_USER.uid,
        groups: withAuthenticated(FRONT_PROXY_USER.groups),
        // The server lower-cases the key and decodes its percent escapes.
        extra: { 'example.com/team': ['platform'], scopes: ['read', 'write'] },
      },
    },
  };
}

/**
 * Writes every authenticator's files into a new temp folder, starts an OIDC issuer and logs in
 * to it, starts a Keystone server, and starts the webhook's API server process. Call close() when
 * done.
 */
export async function createAuthenticatorFixtures(): Promise<AuthenticatorFixtures> {
  const dir = await makeTempDir('authn-fixtures');
  const closers: (() => Promise<unknown>)[] = [() => removeDir(dir)];
  const close = async () => {
    for (const closer of [...closers].reverse()) await closer();
  };
  try {
    // The webhook's server process starts while this process logs in to the OIDC issuer.
    const [oidcResult, webhookResult] = await Promise.allSettled([
      oidcFixture(dir),
      webhookFixture(dir),
    ]);
    if (oidcResult.status === 'fulfilled') closers.push(() => oidcResult.value.issuer.close());
    if (webhookResult.status === 'fulfilled')
      closers.push(() => webhookResult.value.backend.stop());
    if (oidcResult.status === 'rejected') throw oidcResult.reason;
    if (webhookResult.status === 'rejected') throw webhookResult.reason;
    const oidc = oidcResult.value;
    const webhook = webhookResult.value;
    const keystone = await keystoneFixture(dir);
    closers.push(() => keystone.server.stop());
    const fixtures = {
      dir,
      tokenFile: await tokenFileFixture(dir),
      basicAuth: await basicAuthFixture(dir),
      keystone: keystone.fixture,
      x509: await x509Fixture(dir),
      serviceAccount: await serviceAccountFixture(dir),
      oidc: oidc.fixture,
      webhook,
      anyToken: anyTokenFixture(),
      requestHeader: await requestHeaderFixture(dir),
    };
    return {
      ...fixtures,
      allFlags: () =>
        [
          fixtures.tokenFile,
          fixtures.basicAuth,
          fixtures.keystone,
          fixtures.x509,
          fixtures.serviceAccount,
          fixtures.oidc,
          fixtures.webhook,
          fixtures.anyToken,
          fixtures.requestHeader,
        ].flatMap((fixture) => [...fixture.flags]),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
