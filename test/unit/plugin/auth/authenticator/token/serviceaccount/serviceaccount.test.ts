import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthenticationResult } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import { LEGACY_CLAIMS, LEGACY_ISSUER } from '../../../../../../../pkg/serviceaccount/claims.js';
import {
  TokenIssuer,
  type BoundTokenRequest,
} from '../../../../../../../pkg/serviceaccount/jwt.js';
import {
  loadServiceAccountKeys,
  loadServiceAccountSigningKey,
  type ServiceAccountPublicKey,
} from '../../../../../../../pkg/serviceaccount/keys.js';
import {
  serviceAccountTokenAuthenticator,
  type ServiceAccountLookup,
  type ServiceAccountRecord,
} from '../../../../../../../plugin/auth/authenticator/token/serviceaccount/serviceaccount.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const OTHER_ISSUER = 'https://old.example.com';
const API_AUDIENCES = ['https://kubernetes.default.svc.cluster.local', 'api'];
const NOW = new Date('2025-01-01T10:00:00Z');
const SA_UID = '0ecb5560-7d43-4883-ae85-d07cf635d2d2';

const KEY_SPECS = [
  { alg: 'RS256', generate: () => generateKeyPairSync('rsa', { modulusLength: 2048 }) },
  { alg: 'ES256', generate: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }) },
  { alg: 'ES384', generate: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }) },
  { alg: 'ES512', generate: () => generateKeyPairSync('ec', { namedCurve: 'P-521' }) },
] as const;

function request(overrides: Partial<BoundTokenRequest> = {}): BoundTokenRequest {
  return {
    namespace: 'default',
    serviceAccount: { name: 'builder', uid: SA_UID },
    audiences: ['api'],
    expirationSeconds: 3600,
    ...overrides,
  };
}

/** A lookup over a fixed table of `namespace/name` entries. */
function lookupFrom(records: Record<string, ServiceAccountRecord>): ServiceAccountLookup {
  return (namespace, name) => Promise.resolve(records[`${namespace}/${name}`]);
}

function expectRejected(result: AuthenticationResult): string {
  if (result.kind !== 'rejected') {
    expect.fail(`expected a rejection, got ${JSON.stringify(result)}`);
  }
  return result.reason;
}

const signal = new AbortController().signal;

describe('serviceAccountTokenAuthenticator', () => {
  let dir: string;
  const issuers = new Map<string, TokenIssuer>();
  let verifyKeys: ServiceAccountPublicKey[] = [];
  let unknownIssuer: TokenIssuer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sa-authn-'));
    const keyFiles: string[] = [];
    for (const spec of KEY_SPECS) {
      const pair = spec.generate();
      const signingPath = join(dir, `${spec.alg}.key`);
      await writeFile(signingPath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const publicPath = join(dir, `${spec.alg}.pub`);
      await writeFile(publicPath, pair.publicKey.export({ type: 'spki', format: 'pem' }));
      keyFiles.push(publicPath);
      const signingKey = await loadServiceAccountSigningKey(signingPath);
      issuers.set(spec.alg, new TokenIssuer(ISSUER, signingKey, { now: () => NOW }));
    }
    verifyKeys = await loadServiceAccountKeys(keyFiles);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const strangerPath = join(dir, 'stranger.key');
    await writeFile(strangerPath, stranger.privateKey.export({ type: 'pkcs1', format: 'pem' }));
    unknownIssuer = new TokenIssuer(ISSUER, await loadServiceAccountSigningKey(strangerPath), {
      now: () => NOW,
    });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function issuerFor(alg: string): TokenIssuer {
    const issuer = issuers.get(alg);
    if (issuer === undefined) return expect.fail(`no issuer for ${alg}`);
    return issuer;
  }

  function authenticator(options: { lookup?: ServiceAccountLookup; now?: Date } = {}) {
    return serviceAccountTokenAuthenticator({
      issuers: [ISSUER, OTHER_ISSUER],
      keys: verifyKeys,
      apiAudiences: API_AUDIENCES,
      lookup: options.lookup,
      now: () => options.now ?? NOW,
    });
  }

  for (const spec of KEY_SPECS) {
    it(`${spec.alg} token round trip`, async () => {
      const issued = await issuerFor(spec.alg).issue(request());
      const header = JSON.parse(
        Buffer.from(issued.token.split('.')[0] ?? '', 'base64url').toString(),
      ) as Record<string, unknown>;
      expect(header.alg).to.equal(spec.alg);
      expect(header.kid).to.equal(issuerFor(spec.alg).signingKey.keyID);

      const lookup = lookupFrom({ 'default/builder': { uid: SA_UID } });
      const result = await authenticator({ lookup }).authenticateToken(issued.token, signal);
      expect(result).to.deep.equal({
        kind: 'authenticated',
        user: {
          name: 'system:serviceaccount:default:builder',
          uid: SA_UID,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:default'],
          extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${issued.claims.jti}`] },
        },
        audiences: ['api'],
      });
    });
  }

  it('claims match kube-apiserver', () => {
    const issuer = new TokenIssuer(ISSUER, issuerFor('RS256').signingKey, {
      now: () => NOW,
      newJTI: () => 'jti-1',
    });
    const claims = issuer.boundClaims(
      request({ pod: { name: 'web', uid: 'pod-uid' }, warnAfterSeconds: 3607 }),
    );
    const issuedAt = NOW.getTime() / 1000;
    expect(JSON.stringify(claims)).to.equal(
      JSON.stringify({
        aud: ['api'],
        exp: issuedAt + 3600,
        iat: issuedAt,
        iss: ISSUER,
        jti: 'jti-1',
        'kubernetes.io': {
          namespace: 'default',
          serviceaccount: { name: 'builder', uid: SA_UID },
          pod: { name: 'web', uid: 'pod-uid' },
          warnafter: issuedAt + 3607,
        },
        nbf: issuedAt,
        sub: 'system:serviceaccount:default:builder',
      }),
    );
  });

  it('pod-bound token adds pod extras', async () => {
    const issued = await issuerFor('ES256').issue(
      request({ pod: { name: 'web', uid: 'pod-uid' } }),
    );
    const result = await authenticator().authenticateToken(issued.token, signal);
    if (result.kind !== 'authenticated') return expect.fail(JSON.stringify(result));
    expect(result.user.extra['authentication.kubernetes.io/pod-name']).to.deep.equal(['web']);
    expect(result.user.extra['authentication.kubernetes.io/pod-uid']).to.deep.equal(['pod-uid']);
  });

  it('second issuer is accepted', async () => {
    const issuer = new TokenIssuer(OTHER_ISSUER, issuerFor('RS256').signingKey, {
      now: () => NOW,
    });
    const issued = await issuer.issue(request());
    const result = await authenticator().authenticateToken(issued.token, signal);
    expect(result.kind).to.equal('authenticated');
  });

  const notApplicable = [
    { name: 'opaque token', token: () => Promise.resolve('abcdef0123456789') },
    { name: 'JSON token', token: () => Promise.resolve('{"iss":"x"}.a.b') },
    {
      name: 'foreign issuer',
      token: () =>
        new TokenIssuer('https://accounts.example.com', issuerFor('RS256').signingKey).issue(
          request(),
        ),
    },
  ];
  for (const tc of notApplicable) {
    it(`${tc.name} is not applicable`, async () => {
      const produced = await tc.token();
      const token = typeof produced === 'string' ? produced : produced.token;
      const result = await authenticator().authenticateToken(token, signal);
      expect(result).to.deep.equal({ kind: 'notApplicable' });
    });
  }

  const rejections = [
    {
      name: 'expired token',
      token: () => issuerFor('RS256').issue(request({ expirationSeconds: 600 })),
      now: new Date(NOW.getTime() + 661_000),
      expectReason: 'service account token has expired',
    },
    {
      name: 'token within leeway',
      token: () => issuerFor('RS256').issue(request({ expirationSeconds: 600 })),
      now: new Date(NOW.getTime() + 659_000),
      expectReason: undefined,
    },
    {
      name: 'token from the future',
      token: () => issuerFor('ES256').issue(request()),
      now: new Date(NOW.getTime() - 120_000),
      expectReason: 'service account token is not valid yet',
    },
    {
      name: 'wrong audience',
      token: () => issuerFor('ES384').issue(request({ audiences: ['vault'] })),
      expectReason:
        'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local" "api"]',
    },
    {
      name: 'unknown key ID',
      token: () => unknownIssuer.issue(request()),
      expectReason: 'invalid signature, no keys found',
    },
    {
      name: 'deleted service account',
      token: () => issuerFor('RS256').issue(request()),
      lookup: lookupFrom({}),
      expectReason: 'serviceaccounts "builder" not found',
    },
    {
      name: 'service account being deleted',
      token: () => issuerFor('RS256').issue(request()),
      lookup: lookupFrom({
        'default/builder': { uid: SA_UID, deletionTimestamp: '2025-01-01T09:00:00Z' },
      }),
      expectReason: 'service account default/builder has been deleted',
    },
    {
      name: 'recreated service account',
      token: () => issuerFor('RS256').issue(request()),
      lookup: lookupFrom({ 'default/builder': { uid: 'new-uid' } }),
      expectReason: `service account UID (new-uid) does not match claim (${SA_UID})`,
    },
  ];
  for (const tc of rejections) {
    it(`${tc.name}`, async () => {
      const issued = await tc.token();
      const result = await authenticator({ lookup: tc.lookup, now: tc.now }).authenticateToken(
        issued.token,
        signal,
      );
      if (tc.expectReason === undefined) {
        expect(result.kind).to.equal('authenticated');
        return;
      }
      expect(expectRejected(result)).to.equal(tc.expectReason);
    });
  }

  it('tampered payload fails the signature', async () => {
    const issued = await issuerFor('RS256').issue(request());
    const [header, , signature] = issued.token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...issued.claims, sub: 'system:serviceaccount:kube-system:admin' }),
    ).toString('base64url');
    const result = await authenticator().authenticateToken(
      `${header}.${forged}.${signature}`,
      signal,
    );
    expect(expectRejected(result)).to.equal('signature verification failed');
  });

  it('token signed by another key with a known kid fails', async () => {
    const issued = await issuerFor('RS256').issue(request());
    const stranger = await unknownIssuer.issue(request());
    const [header, payload] = issued.token.split('.');
    const signature = stranger.token.split('.')[2];
    const result = await authenticator().authenticateToken(
      `${header}.${payload}.${signature}`,
      signal,
    );
    expect(expectRejected(result)).to.equal('signature verification failed');
  });

  describe('legacy tokens', () => {
    function legacyPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
      return {
        iss: LEGACY_ISSUER,
        [LEGACY_CLAIMS.namespace]: 'default',
        [LEGACY_CLAIMS.secretName]: 'builder-token-x1',
        [LEGACY_CLAIMS.serviceAccountName]: 'builder',
        [LEGACY_CLAIMS.serviceAccountUID]: SA_UID,
        sub: 'system:serviceaccount:default:builder',
        ...overrides,
      };
    }

    it('legacy token authenticates', async () => {
      const token = await issuerFor('ES512').sign(legacyPayload());
      const lookup = lookupFrom({ 'default/builder': { uid: SA_UID } });
      const result = await authenticator({ lookup }).authenticateToken(token, signal);
      expect(result).to.deep.equal({
        kind: 'authenticated',
        user: {
          name: 'system:serviceaccount:default:builder',
          uid: SA_UID,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:default'],
          extra: {},
        },
        audiences: API_AUDIENCES,
      });
    });

    const cases = [
      {
        name: 'missing secret name',
        payload: legacyPayload({ [LEGACY_CLAIMS.secretName]: undefined }),
        expectReason: 'secretName claim is missing',
      },
      {
        name: 'subject of another account',
        payload: legacyPayload({ sub: 'system:serviceaccount:default:other' }),
        expectReason: 'sub claim is invalid',
      },
      {
        name: 'deleted account',
        payload: legacyPayload(),
        lookup: lookupFrom({}),
        expectReason: 'serviceaccounts "builder" not found',
      },
      {
        name: 'recreated account',
        payload: legacyPayload(),
        lookup: lookupFrom({ 'default/builder': { uid: 'new-uid' } }),
        expectReason: `ServiceAccount UID (new-uid) does not match claim (${SA_UID})`,
      },
    ];
    for (const tc of cases) {
      it(`legacy ${tc.name}`, async () => {
        const token = await issuerFor('RS256').sign(tc.payload);
        const result = await authenticator({ lookup: tc.lookup }).authenticateToken(token, signal);
        expect(expectRejected(result)).to.equal(tc.expectReason);
      });
    }

    it('legacy lookup can be turned off', async () => {
      const token = await issuerFor('RS256').sign(legacyPayload());
      const result = await serviceAccountTokenAuthenticator({
        issuers: [ISSUER],
        keys: verifyKeys,
        apiAudiences: API_AUDIENCES,
        lookup: lookupFrom({}),
        lookupLegacy: false,
      }).authenticateToken(token, signal);
      expect(result.kind).to.equal('authenticated');
    });
  });
});
