import { expect } from 'chai';
import type { AuthenticationResult } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import type {
  RequestHeaderConfig,
  RequestWithHeaderNames,
} from '../../../../../../../plugin/auth/authenticator/request/headerrequest/requestheader.js';
import {
  decodeExtraKey,
  requestHeaderAuthenticator,
  requestHeaderNamesToRemove,
} from '../../../../../../../plugin/auth/authenticator/request/headerrequest/requestheader.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';
import type { TestCertificate } from './testcerts.js';
import { fakeTLSSocket, issueCertificate } from './testcerts.js';

type Headers = Record<string, string | string[]>;

/** A request view over `headers` that can also list header names, as the filter's view must. */
function requestWith(headers: Headers, chain?: TestCertificate[]): RequestWithHeaderNames {
  const base = fakeRequest({
    headers,
    ...(chain === undefined ? {} : { tlsSocket: fakeTLSSocket(chain) }),
  });
  return { ...base, headerNames: () => Object.keys(headers).map((name) => name.toLowerCase()) };
}

function expectAuthenticated(result: AuthenticationResult) {
  if (result.kind !== 'authenticated') {
    expect.fail(`expected authenticated, got ${JSON.stringify(result)}`);
  }
  return result.user;
}

describe('requestHeaderAuthenticator', function () {
  const HOUR_MS = 3_600_000;
  let ca: TestCertificate;
  let proxy: TestCertificate;
  let otherProxy: TestCertificate;
  let serverUsage: TestCertificate;
  let expired: TestCertificate;
  let noCN: TestCertificate;
  let intermediate: TestCertificate;
  let viaIntermediate: TestCertificate;
  let strangerCA: TestCertificate;
  let stranger: TestCertificate;

  before(function () {
    ca = issueCertificate({ cn: 'front-proxy-ca', ca: true });
    proxy = issueCertificate({ cn: 'front-proxy', issuer: ca, extKeyUsage: 'clientAuth' });
    otherProxy = issueCertificate({ cn: 'other-proxy', issuer: ca, extKeyUsage: 'clientAuth' });
    serverUsage = issueCertificate({ cn: 'front-proxy', issuer: ca, extKeyUsage: 'serverAuth' });
    expired = issueCertificate({
      cn: 'front-proxy',
      issuer: ca,
      notBefore: new Date(Date.now() - 3 * HOUR_MS),
      notAfter: new Date(Date.now() - HOUR_MS),
    });
    noCN = issueCertificate({ cn: '', issuer: ca });
    intermediate = issueCertificate({ cn: 'front-proxy-intermediate', issuer: ca, ca: true });
    viaIntermediate = issueCertificate({ cn: 'front-proxy', issuer: intermediate });
    strangerCA = issueCertificate({ cn: 'front-proxy-ca', ca: true });
    stranger = issueCertificate({ cn: 'front-proxy', issuer: strangerCA });
  });

  function config(overrides: Partial<RequestHeaderConfig> = {}): RequestHeaderConfig {
    return {
      clientCA: [ca.x509],
      allowedNames: ['front-proxy'],
      usernameHeaders: ['X-Remote-User'],
      groupHeaders: ['X-Remote-Group'],
      extraHeaderPrefixes: ['X-Remote-Extra-'],
      ...overrides,
    };
  }

  describe('trust in the client certificate', function () {
    const headers = { 'X-Remote-User': 'alice' };
    const cases: {
      name: string;
      chain: () => TestCertificate[] | undefined;
      allowedNames?: string[];
      expectUser: string | undefined;
    }[] = [
      { name: 'allowed proxy', chain: () => [proxy], expectUser: 'alice' },
      { name: 'no TLS connection', chain: () => undefined, expectUser: undefined },
      { name: 'no client certificate', chain: () => [], expectUser: undefined },
      { name: 'CN not allowed', chain: () => [otherProxy], expectUser: undefined },
      {
        name: 'any CN when allowed names empty',
        chain: () => [otherProxy],
        allowedNames: [],
        expectUser: 'alice',
      },
      { name: 'no CN with allowed names', chain: () => [noCN], expectUser: undefined },
      {
        name: 'no CN, allowed names empty',
        chain: () => [noCN],
        allowedNames: [],
        expectUser: 'alice',
      },
      { name: 'other CA', chain: () => [stranger], expectUser: undefined },
      { name: 'serverAuth only', chain: () => [serverUsage], expectUser: undefined },
      { name: 'expired', chain: () => [expired], expectUser: undefined },
      {
        name: 'through presented intermediate',
        chain: () => [viaIntermediate, intermediate],
        expectUser: 'alice',
      },
      { name: 'intermediate missing', chain: () => [viaIntermediate], expectUser: undefined },
    ];
    for (const tc of cases) {
      it(tc.name, async function () {
        const overrides = tc.allowedNames === undefined ? {} : { allowedNames: tc.allowedNames };
        const authenticator = requestHeaderAuthenticator(config(overrides));
        const chain = tc.chain();
        const request =
          chain === undefined
            ? requestWith(headers)
            : chain.length === 0
              ? { ...requestWith(headers), tlsSocket: fakeTLSSocket([]) }
              : requestWith(headers, chain);
        const result = await authenticator.authenticateRequest(request);
        if (tc.expectUser === undefined) {
          expect(result).to.deep.equal({ kind: 'notApplicable' });
        } else {
          expect(expectAuthenticated(result).name).to.equal(tc.expectUser);
        }
      });
    }
  });

  describe('identity from headers', function () {
    const cases: {
      name: string;
      headers: Headers;
      overrides?: Partial<RequestHeaderConfig>;
      expectNotApplicable?: boolean;
      expectName?: string;
      expectUID?: string;
      expectGroups?: string[];
      expectExtra?: Record<string, string[]>;
    }[] = [
      {
        name: 'no username header',
        headers: { 'X-Remote-Group': 'devs' },
        expectNotApplicable: true,
      },
      {
        name: 'empty username header',
        headers: { 'X-Remote-User': '' },
        expectNotApplicable: true,
      },
      {
        name: 'user only',
        headers: { 'x-remote-user': 'alice' },
        expectName: 'alice',
        expectUID: '',
        expectGroups: [],
        expectExtra: {},
      },
      {
        name: 'first non-empty username header',
        headers: { 'X-Other-User': 'bob', 'X-Remote-User': '' },
        overrides: { usernameHeaders: ['X-Remote-User', 'X-Other-User'] },
        expectName: 'bob',
      },
      {
        name: 'first username line only',
        headers: { 'X-Remote-User': ['alice', 'mallory'] },
        expectName: 'alice',
      },
      {
        name: 'groups from every line and header',
        headers: {
          'X-Remote-User': 'alice',
          'X-Remote-Group': ['devs', '', 'ops'],
          'X-Team': 'blue, green',
        },
        overrides: { groupHeaders: ['X-Remote-Group', 'X-Team'] },
        expectGroups: ['devs', 'ops', 'blue, green'],
      },
      {
        name: 'uid from first non-empty header',
        headers: { 'X-Remote-User': 'alice', 'X-Remote-Uid': ['', '1000'], 'X-Alt-Uid': '42' },
        overrides: { uidHeaders: ['X-Remote-Uid', 'X-Alt-Uid'] },
        expectUID: '42',
      },
      {
        name: 'uid headers not configured',
        headers: { 'X-Remote-User': 'alice', 'X-Remote-Uid': '1000' },
        expectUID: '',
      },
      {
        name: 'extra keys lower-cased and decoded',
        headers: {
          'X-Remote-User': 'alice',
          'X-Remote-Extra-Scopes': ['read', '', 'write'],
          'x-remote-extra-Acme.com%2FProject': 'apollo',
          'X-Remote-Extra-Bad%zzKey': 'kept',
          'X-Remote-Extra': 'no prefix match',
        },
        expectExtra: {
          scopes: ['read', '', 'write'],
          'acme.com/project': ['apollo'],
          'bad%zzkey': ['kept'],
        },
      },
      {
        name: 'extra from several prefixes',
        headers: { 'X-Remote-User': 'alice', 'X-A-Key': 'one', 'X-B-Key': 'two' },
        overrides: { extraHeaderPrefixes: ['X-B-', 'X-A-'] },
        expectExtra: { key: ['two', 'one'] },
      },
    ];
    for (const tc of cases) {
      it(tc.name, async function () {
        const authenticator = requestHeaderAuthenticator(config(tc.overrides));
        const result = await authenticator.authenticateRequest(requestWith(tc.headers, [proxy]));
        if (tc.expectNotApplicable === true) {
          expect(result).to.deep.equal({ kind: 'notApplicable' });
          return;
        }
        const user = expectAuthenticated(result);
        if (tc.expectName !== undefined) expect(user.name).to.equal(tc.expectName);
        if (tc.expectUID !== undefined) expect(user.uid).to.equal(tc.expectUID);
        if (tc.expectGroups !== undefined) expect(user.groups).to.deep.equal(tc.expectGroups);
        if (tc.expectExtra !== undefined) expect(user.extra).to.deep.equal(tc.expectExtra);
      });
    }
  });

  it('verifies each socket once', async function () {
    const authenticator = requestHeaderAuthenticator(config());
    let calls = 0;
    const socket = fakeTLSSocket([proxy]);
    const counting = {
      getPeerCertificate: (detailed: boolean) => {
        calls++;
        return socket.getPeerCertificate(detailed);
      },
    } as unknown as typeof socket;
    const request = { ...requestWith({ 'X-Remote-User': 'alice' }), tlsSocket: counting };
    await authenticator.authenticateRequest(request);
    await authenticator.authenticateRequest(request);
    expect(calls).to.equal(1);
  });

  it('rejects expired proxy on later request', async function () {
    let nowMs = Date.now();
    const authenticator = requestHeaderAuthenticator(config({ now: () => new Date(nowMs) }));
    const request = requestWith({ 'X-Remote-User': 'alice' }, [proxy]);
    expect((await authenticator.authenticateRequest(request)).kind).to.equal('authenticated');
    nowMs += 2 * 24 * HOUR_MS;
    expect(await authenticator.authenticateRequest(request)).to.deep.equal({
      kind: 'notApplicable',
    });
  });

  it('reads no extra without prefixes', async function () {
    const authenticator = requestHeaderAuthenticator(config({ extraHeaderPrefixes: [] }));
    const request = fakeRequest({
      headers: { 'X-Remote-User': 'alice', 'X-Remote-Extra-Scopes': 'read' },
      tlsSocket: fakeTLSSocket([proxy]),
    });
    const user = expectAuthenticated(await authenticator.authenticateRequest(request));
    expect(user.extra).to.deep.equal({});
  });

  describe('invalid configuration', function () {
    const cases: {
      name: string;
      overrides: Partial<RequestHeaderConfig>;
      expectMessage: string;
    }[] = [
      {
        name: 'empty CA',
        overrides: { clientCA: [] },
        expectMessage: 'requestHeaderAuthenticator: clientCA must contain at least one CA',
      },
      {
        name: 'blank username header',
        overrides: { usernameHeaders: ['X-Remote-User', ' '] },
        expectMessage: 'requestHeaderAuthenticator: usernameHeaders contains an empty header name',
      },
      {
        name: 'blank extra prefix',
        overrides: { extraHeaderPrefixes: [''] },
        expectMessage:
          'requestHeaderAuthenticator: extraHeaderPrefixes contains an empty header name',
      },
    ];
    for (const tc of cases) {
      it(tc.name, function () {
        expect(() => requestHeaderAuthenticator(config(tc.overrides))).to.throw(
          TypeError,
          tc.expectMessage,
        );
      });
    }
  });
});

describe('requestHeaderNamesToRemove', function () {
  const headers = requestHeaderNamesToRemove({
    usernameHeaders: ['X-Remote-User'],
    uidHeaders: ['X-Remote-Uid'],
    groupHeaders: ['X-Remote-Group '],
    extraHeaderPrefixes: ['X-Remote-Extra-'],
  });

  it('lists lower-cased names', function () {
    expect(headers.names).to.deep.equal(['x-remote-user', 'x-remote-uid', 'x-remote-group']);
    expect(headers.prefixes).to.deep.equal(['x-remote-extra-']);
  });

  const cases: { name: string; header: string; expectMatch: boolean }[] = [
    { name: 'username header', header: 'x-remote-user', expectMatch: true },
    { name: 'uid header', header: 'x-remote-uid', expectMatch: true },
    { name: 'group header', header: 'x-remote-group', expectMatch: true },
    { name: 'extra header', header: 'x-remote-extra-scopes', expectMatch: true },
    { name: 'unrelated header', header: 'x-remote-users', expectMatch: false },
    { name: 'authorization', header: 'authorization', expectMatch: false },
  ];
  for (const tc of cases) {
    it(`matches ${tc.name}: ${String(tc.expectMatch)}`, function () {
      expect(headers.matches(tc.header)).to.equal(tc.expectMatch);
    });
  }
});

describe('decodeExtraKey', function () {
  const cases: { name: string; encoded: string; expectKey: string }[] = [
    { name: 'plain', encoded: 'scopes', expectKey: 'scopes' },
    { name: 'slash', encoded: 'example.org%2fteam', expectKey: 'example.org/team' },
    { name: 'UTF-8', encoded: 'caf%c3%a9', expectKey: 'café' },
    { name: 'malformed escape', encoded: 'a%zz', expectKey: 'a%zz' },
    { name: 'invalid UTF-8', encoded: 'a%ff', expectKey: 'a%ff' },
    { name: 'plus kept', encoded: 'a+b', expectKey: 'a+b' },
  ];
  for (const tc of cases) {
    it(tc.name, function () {
      expect(decodeExtraKey(tc.encoded)).to.equal(tc.expectKey);
    });
  }
});
