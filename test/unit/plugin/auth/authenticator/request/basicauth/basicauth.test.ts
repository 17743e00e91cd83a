import { expect } from 'chai';
import type { AuthenticationResult } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import { authenticated, rejected } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../../../pkg/auth/user/user.js';
import {
  parsePasswordFile,
  newPasswordFileAuthenticator,
} from '../../../../../../../plugin/auth/authenticator/password/passwordfile/passwordfile.js';
import type { PasswordAuthenticator } from '../../../../../../../plugin/auth/authenticator/request/basicauth/basicauth.js';
import {
  BASIC_AUTH_CHALLENGE,
  INVALID_USERNAME_PASSWORD,
  basicAuthAuthenticator,
  parseBasicAuth,
} from '../../../../../../../plugin/auth/authenticator/request/basicauth/basicauth.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';

function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

describe('parseBasicAuth', function () {
  const cases: {
    name: string;
    header: string | undefined;
    expect: [string, string] | undefined;
  }[] = [
    { name: 'user and password', header: basic('alice:s3cret'), expect: ['alice', 's3cret'] },
    { name: 'colon in password', header: basic('alice:a:b'), expect: ['alice', 'a:b'] },
    { name: 'empty password', header: basic('alice:'), expect: ['alice', ''] },
    { name: 'lower-case scheme', header: `basic ${btoa('a:b')}`, expect: ['a', 'b'] },
    { name: 'upper-case scheme', header: `BASIC ${btoa('a:b')}`, expect: ['a', 'b'] },
    { name: 'UTF-8 password', header: basic('alice:pässwört'), expect: ['alice', 'pässwört'] },
    { name: 'no header', header: undefined, expect: undefined },
    { name: 'bearer scheme', header: 'Bearer abc', expect: undefined },
    { name: 'no colon', header: basic('alice'), expect: undefined },
    { name: 'not base64', header: 'Basic !!!!', expect: undefined },
    { name: 'no padding needed', header: 'Basic YTpi', expect: ['a', 'b'] },
    { name: 'padding stripped', header: 'Basic YTpiYw', expect: undefined },
    { name: 'two spaces', header: `Basic  ${btoa('a:b')}`, expect: undefined },
    { name: 'scheme only', header: 'Basic', expect: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, function () {
      const parsed = parseBasicAuth(tc.header);
      expect(parsed === undefined ? undefined : [parsed.username, parsed.password]).to.deep.equal(
        tc.expect,
      );
    });
  }
});

describe('basicAuthAuthenticator', function () {
  const passwords = newPasswordFileAuthenticator(
    parsePasswordFile('s3cret,alice,1000,"devs,ops"\n', '/basic.csv').entries,
  );
  const authenticator = basicAuthAuthenticator(passwords);

  const cases: { name: string; headers: Record<string, string>; expect: AuthenticationResult }[] = [
    {
      name: 'valid credentials',
      headers: { Authorization: basic('alice:s3cret') },
      expect: authenticated(newUserInfo({ name: 'alice', uid: '1000', groups: ['devs', 'ops'] })),
    },
    {
      name: 'wrong password',
      headers: { Authorization: basic('alice:guess') },
      expect: rejected(INVALID_USERNAME_PASSWORD),
    },
    {
      name: 'unknown user',
      headers: { Authorization: basic('mallory:s3cret') },
      expect: rejected(INVALID_USERNAME_PASSWORD),
    },
    { name: 'no header', headers: {}, expect: { kind: 'notApplicable' } },
    {
      name: 'bearer token',
      headers: { Authorization: 'Bearer abc' },
      expect: { kind: 'notApplicable' },
    },
    {
      name: 'malformed basic',
      headers: { Authorization: 'Basic %%%' },
      expect: { kind: 'notApplicable' },
    },
  ];
  for (const tc of cases) {
    it(tc.name, async function () {
      const result = await authenticator.authenticateRequest(fakeRequest({ headers: tc.headers }));
      expect(result).to.deep.equal(tc.expect);
    });
  }

  it('passes rejections through', async function () {
    const rejecting: PasswordAuthenticator = {
      authenticatePassword: () => Promise.resolve(rejected('account locked')),
    };
    const result = await basicAuthAuthenticator(rejecting).authenticateRequest(
      fakeRequest({ headers: { Authorization: basic('alice:s3cret') } }),
    );
    expect(result).to.deep.equal(rejected('account locked'));
  });

  it('passes signal to password check', async function () {
    let seen: AbortSignal | undefined;
    const recording: PasswordAuthenticator = {
      authenticatePassword: (_user, _password, signal) => {
        seen = signal;
        return Promise.resolve({ kind: 'notApplicable' });
      },
    };
    const signal = new AbortController().signal;
    await basicAuthAuthenticator(recording).authenticateRequest(
      fakeRequest({ headers: { Authorization: basic('a:b') }, signal }),
    );
    expect(seen).to.equal(signal);
  });

  it('challenge names kubernetes-master realm', function () {
    expect(BASIC_AUTH_CHALLENGE).to.equal('Basic realm="kubernetes-master"');
  });
});
