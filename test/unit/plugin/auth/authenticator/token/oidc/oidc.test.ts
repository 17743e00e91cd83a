import { expect } from 'chai';
import { UnsecuredJWT } from 'jose';
import type { AuthenticationResult } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import type { OIDCAuthenticatorConfig } from '../../../../../../../plugin/auth/authenticator/token/oidc/config.js';
import {
  oidcTokenAuthenticator,
  type OIDCLogger,
  type OIDCTokenAuthenticator,
} from '../../../../../../../plugin/auth/authenticator/token/oidc/oidc.js';
import {
  KUBERNETES_CLIENT_ID,
  OTHER_CLIENT_ID,
  TOKEN_TTL_SECONDS,
  generateIssuerTLS,
  reserveFreePort,
  startOIDCProvider,
  type IssuerTLS,
  type OIDCProviderFixture,
} from '../../../../../../helpers/oidc/provider.js';

const ACCOUNTS = {
  alice: {
    email: 'alice@example.com',
    email_verified: true,
    groups: ['devs', 'ops'],
    tenant: 'blue',
  },
  bob: { email: 'bob@example.com', groups: 'admins' },
  carol: { email: 'carol@example.com', email_verified: false, groups: [] },
};

interface LogRecord {
  readonly level: 'info' | 'error';
  readonly message: string;
  readonly meta: Record<string, unknown>;
}

function recordingLogger(records: LogRecord[]): OIDCLogger {
  return {
    info: (message, meta) => records.push({ level: 'info', message, meta }),
    error: (message, meta) => records.push({ level: 'error', message, meta }),
  };
}

const signal = new AbortController().signal;

/** Returns the reason of a rejection, and fails the test for any other outcome. */
function rejectionReason(result: AuthenticationResult): string {
  if (result.kind !== 'rejected')
    expect.fail(`expected a rejection, got ${JSON.stringify(result)}`);
  return result.reason;
}

describe('oidcTokenAuthenticator', function () {
  // Generating the RSA keys of the CA, serving certificate and two issuers takes a few seconds.
  this.timeout(20_000);

  let tls: IssuerTLS;
  let issuer: OIDCProviderFixture;
  let otherIssuer: OIDCProviderFixture;
  const tokens = new Map<string, string>();
  const authenticators: OIDCTokenAuthenticator[] = [];

  before(async () => {
    tls = generateIssuerTLS();
    issuer = await startOIDCProvider({ accounts: ACCOUNTS, tls });
    otherIssuer = await startOIDCProvider({ accounts: ACCOUNTS, tls });
    for (const account of Object.keys(ACCOUNTS)) {
      tokens.set(account, await issuer.login(account));
    }
    tokens.set('alice/other-client', await issuer.login('alice', OTHER_CLIENT_ID));
    tokens.set('alice/other-issuer', await otherIssuer.login('alice'));
    tokens.set('unknown-kid', await issuer.signWithUnknownKey({ sub: 'mallory' }));
  });

  after(async () => {
    for (const authenticator of authenticators) authenticator.close();
    await Promise.all([issuer?.close(), otherIssuer?.close()]);
  });

  function baseConfig(): OIDCAuthenticatorConfig {
    return {
      issuerURL: issuer.issuer,
      clientID: KUBERNETES_CLIENT_ID,
      caBundle: tls.caPEM,
      usernameClaim: 'sub',
      usernamePrefix: `${issuer.issuer}#`,
      groupsClaim: 'groups',
      groupsPrefix: 'oidc:',
      requiredClaims: {},
      signingAlgs: ['RS256'],
    };
  }

  async function authenticate(
    token: string,
    overrides: Partial<OIDCAuthenticatorConfig>,
  ): Promise<AuthenticationResult> {
    const authenticator = oidcTokenAuthenticator(
      { ...baseConfig(), ...overrides },
      recordingLogger([]),
    );
    authenticators.push(authenticator);
    await authenticator.ready;
    return authenticator.authenticateToken(token, signal);
  }

  const accepted: {
    name: string;
    token: string;
    config: Partial<OIDCAuthenticatorConfig>;
    expectName: (issuerURL: string) => string;
    expectGroups: string[];
  }[] = [
    {
      name: 'sub with issuer prefix',
      token: 'alice',
      config: {},
      expectName: (issuerURL) => `${issuerURL}#alice`,
      expectGroups: ['oidc:devs', 'oidc:ops'],
    },
    {
      name: 'single-string groups claim',
      token: 'bob',
      config: {},
      expectName: (issuerURL) => `${issuerURL}#bob`,
      expectGroups: ['oidc:admins'],
    },
    {
      name: 'email without prefix',
      token: 'alice',
      config: { usernameClaim: 'email', usernamePrefix: '', groupsPrefix: '' },
      expectName: () => 'alice@example.com',
      expectGroups: ['devs', 'ops'],
    },
    {
      name: 'email without email_verified',
      token: 'bob',
      config: { usernameClaim: 'email', usernamePrefix: 'corp:' },
      expectName: () => 'corp:bob@example.com',
      expectGroups: ['oidc:admins'],
    },
    {
      name: 'no groups claim configured',
      token: 'alice',
      config: { groupsClaim: '' },
      expectName: (issuerURL) => `${issuerURL}#alice`,
      expectGroups: [],
    },
    {
      name: 'required claim matches',
      token: 'alice',
      config: { requiredClaims: { tenant: 'blue', email: 'alice@example.com' } },
      expectName: (issuerURL) => `${issuerURL}#alice`,
      expectGroups: ['oidc:devs', 'oidc:ops'],
    },
  ];
  for (const tc of accepted) {
    it(`accepts ${tc.name}`, async () => {
      const result = await authenticate(tokens.get(tc.token)!, tc.config);

      if (result.kind !== 'authenticated')
        expect.fail(`expected success, got ${JSON.stringify(result)}`);
      expect(result.user.name).to.equal(tc.expectName(issuer.issuer));
      expect(result.user.groups).to.deep.equal(tc.expectGroups);
      expect(result.user.uid).to.equal('');
      expect(result.user.extra).to.deep.equal({});
      expect(result.audiences).to.equal(undefined);
    });
  }

  const rejectedCases: {
    name: string;
    token: string;
    config: Partial<OIDCAuthenticatorConfig>;
    expectReason: string;
  }[] = [
    {
      name: 'expired token',
      token: 'alice',
      config: { now: () => new Date(Date.now() + 2 * TOKEN_TTL_SECONDS * 1000) },
      expectReason: 'oidc: verify token: token is expired',
    },
    {
      name: 'token expired within leeway',
      token: 'alice',
      config: { now: () => new Date(Date.now() + (TOKEN_TTL_SECONDS + 30) * 1000) },
      expectReason: 'oidc: verify token: token is expired',
    },
    {
      name: 'wrong audience',
      token: 'alice/other-client',
      config: {},
      expectReason: 'oidc: verify token: unexpected "aud" claim value',
    },
    {
      name: 'unknown kid',
      token: 'unknown-kid',
      config: {},
      expectReason: 'oidc: verify token: no applicable key found in the JSON Web Key Set',
    },
    {
      name: 'algorithm not allowed',
      token: 'alice',
      config: { signingAlgs: ['ES256'] },
      expectReason: 'oidc: verify token: "alg" (Algorithm) Header Parameter value not allowed',
    },
    {
      name: 'email not verified',
      token: 'carol',
      config: { usernameClaim: 'email' },
      expectReason: 'oidc: email not verified',
    },
    {
      name: 'missing username claim',
      token: 'alice',
      config: { usernameClaim: 'preferred_username' },
      expectReason: 'oidc: parse username claim "preferred_username": expected a string',
    },
    {
      name: 'missing required claim',
      token: 'bob',
      config: { requiredClaims: { tenant: 'blue' } },
      expectReason: 'oidc: required claim tenant not present in ID token',
    },
    {
      name: 'mismatched required claim',
      token: 'alice',
      config: { requiredClaims: { tenant: 'red' } },
      expectReason: 'oidc: required claim tenant value does not match: got "blue", want "red"',
    },
  ];
  for (const tc of rejectedCases) {
    it(`rejects ${tc.name}`, async () => {
      const result = await authenticate(tokens.get(tc.token)!, tc.config);

      expect(rejectionReason(result)).to.contain(tc.expectReason);
    });
  }

  const notApplicable: { name: string; token: () => string }[] = [
    { name: 'token of another issuer', token: () => tokens.get('alice/other-issuer')! },
    { name: 'opaque token', token: () => 'd4f3b1c2a5e6' },
    { name: 'JWT without iss', token: () => new UnsecuredJWT({ sub: 'alice' }).encode() },
  ];
  for (const tc of notApplicable) {
    it(`ignores ${tc.name}`, async () => {
      const result = await authenticate(tc.token(), {});

      expect(result).to.deep.equal({ kind: 'notApplicable' });
    });
  }

  it('verifies once a late issuer starts', async () => {
    const port = await reserveFreePort();
    const lateIssuerURL = `https://127.0.0.1:${port}`;
    const records: LogRecord[] = [];
    const authenticator = oidcTokenAuthenticator(
      {
        ...baseConfig(),
        issuerURL: lateIssuerURL,
        usernamePrefix: '',
        retryInitialDelayMs: 20,
        retryMaxDelayMs: 100,
      },
      recordingLogger(records),
    );
    authenticators.push(authenticator);
    const unverified = new UnsecuredJWT({ sub: 'alice' }).setIssuer(lateIssuerURL).encode();

    const early = await authenticator.authenticateToken(unverified, signal);
    const otherIssuerEarly = await authenticator.authenticateToken(tokens.get('alice')!, signal);

    expect(rejectionReason(early)).to.equal(
      `oidc: authenticator not initialized: the keys of ${lateIssuerURL} have not been fetched yet`,
    );
    expect(otherIssuerEarly).to.deep.equal({ kind: 'notApplicable' });

    const lateIssuer = await startOIDCProvider({ accounts: ACCOUNTS, tls, port });
    try {
      await authenticator.ready;
      const token = await lateIssuer.login('alice');
      const result = await authenticator.authenticateToken(token, signal);

      if (result.kind !== 'authenticated')
        expect.fail(`expected success, got ${JSON.stringify(result)}`);
      expect(result.user.name).to.equal('alice');
      expect(result.user.groups).to.deep.equal(['oidc:devs', 'oidc:ops']);
    } finally {
      await lateIssuer.close();
    }

    const retries = records.filter((r) => r.level === 'error');
    expect(retries.length).to.be.greaterThan(0);
    expect(retries[0]!.message).to.equal('unable to fetch the OIDC issuer keys; retrying');
    expect(retries[0]!.meta.issuer).to.equal(lateIssuerURL);
    expect(retries[0]!.meta.err).to.contain('ECONNREFUSED');
    expect(records.at(-1)!.message).to.equal('fetched the OIDC issuer keys');
  });
});
