import { expect } from 'chai';
import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import {
  NOT_APPLICABLE,
  authenticated,
  rejected,
} from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../../../pkg/auth/user/user.js';
import {
  bearerTokenAuthenticator,
  parseBearerToken,
} from '../../../../../../../plugin/auth/authenticator/request/bearertoken/bearertoken.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';

const alice = authenticated(newUserInfo({ name: 'alice' }));

/** A token authenticator that accepts the token `good` and records every token it receives. */
function recordingTokens(): TokenAuthenticator & { tokens: string[]; signals: AbortSignal[] } {
  const recorder = {
    tokens: [] as string[],
    signals: [] as AbortSignal[],
    authenticateToken(token: string, signal: AbortSignal): Promise<AuthenticationResult> {
      recorder.tokens.push(token);
      recorder.signals.push(signal);
      if (token === 'good') return Promise.resolve(alice);
      if (token === 'expired') return Promise.resolve(rejected('token has expired'));
      return Promise.resolve(NOT_APPLICABLE);
    },
  };
  return recorder;
}

describe('parseBearerToken', () => {
  const cases: { name: string; header: string | undefined; expect: string | undefined }[] = [
    { name: 'missing header', header: undefined, expect: undefined },
    { name: 'empty header', header: '', expect: undefined },
    { name: 'whitespace header', header: '   ', expect: undefined },
    { name: 'canonical scheme', header: 'Bearer abc', expect: 'abc' },
    { name: 'lower-case scheme', header: 'bearer abc', expect: 'abc' },
    { name: 'upper-case scheme', header: 'BEARER abc', expect: 'abc' },
    { name: 'surrounding whitespace', header: '  Bearer abc \t', expect: 'abc' },
    { name: 'scheme only', header: 'Bearer', expect: undefined },
    { name: 'scheme with trailing space', header: 'Bearer ', expect: undefined },
    { name: 'two spaces before token', header: 'Bearer  abc', expect: undefined },
    { name: 'text after token ignored', header: 'Bearer abc def', expect: 'abc' },
    { name: 'basic scheme', header: 'Basic YWxpY2U6c2VjcmV0', expect: undefined },
    { name: 'scheme prefix only', header: 'Bearerabc', expect: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseBearerToken(tc.header)).to.equal(tc.expect);
    });
  }
});

describe('bearerTokenAuthenticator', () => {
  const cases: {
    name: string;
    headers: Record<string, string>;
    expect: AuthenticationResult;
    expectTokens: string[];
  }[] = [
    { name: 'no header', headers: {}, expect: NOT_APPLICABLE, expectTokens: [] },
    {
      name: 'other scheme',
      headers: { Authorization: 'Basic YWxpY2U6c2VjcmV0' },
      expect: NOT_APPLICABLE,
      expectTokens: [],
    },
    {
      name: 'empty token',
      headers: { Authorization: 'Bearer ' },
      expect: NOT_APPLICABLE,
      expectTokens: [],
    },
    {
      name: 'valid token',
      headers: { Authorization: 'Bearer good' },
      expect: alice,
      expectTokens: ['good'],
    },
    {
      name: 'lower-case header name',
      headers: { authorization: 'bearer good' },
      expect: alice,
      expectTokens: ['good'],
    },
    {
      name: 'unknown token',
      headers: { Authorization: 'Bearer unknown' },
      expect: rejected('invalid bearer token'),
      expectTokens: ['unknown'],
    },
    {
      name: 'rejection passes through',
      headers: { Authorization: 'Bearer expired' },
      expect: rejected('token has expired'),
      expectTokens: ['expired'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const tokens = recordingTokens();

      const result = await bearerTokenAuthenticator(tokens).authenticateRequest(
        fakeRequest({ headers: tc.headers }),
      );

      expect(result).to.deep.equal(tc.expect);
      expect(tokens.tokens).to.deep.equal(tc.expectTokens);
    });
  }

  it('passes request signal to token authenticator', async () => {
    const tokens = recordingTokens();
    const signal = new AbortController().signal;

    await bearerTokenAuthenticator(tokens).authenticateRequest(
      fakeRequest({ headers: { Authorization: 'Bearer good' }, signal }),
    );

    expect(tokens.signals).to.have.length(1);
    expect(tokens.signals[0]).to.equal(signal);
  });

  it('propagates token authenticator error', async () => {
    const failing: TokenAuthenticator = {
      authenticateToken: () => Promise.reject(new Error('webhook unreachable')),
    };
    const authenticator = bearerTokenAuthenticator(failing);

    let caught: unknown;
    try {
      await authenticator.authenticateRequest(
        fakeRequest({ headers: { Authorization: 'Bearer good' } }),
      );
    } catch (error) {
      caught = error;
    }

    expect(caught).to.be.instanceOf(Error);
    expect((caught as Error).message).to.equal('webhook unreachable');
  });
});
