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
import { unionTokenAuthenticator } from '../../../../../../../plugin/auth/authenticator/token/union/union.js';

interface CountingTokenAuthenticator extends TokenAuthenticator {
  calls: number;
  tokens: string[];
}

function member(outcome: AuthenticationResult | Error): CountingTokenAuthenticator {
  const counting: CountingTokenAuthenticator = {
    calls: 0,
    tokens: [],
    authenticateToken(token) {
      counting.calls++;
      counting.tokens.push(token);
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  };
  return counting;
}

const alice = authenticated(newUserInfo({ name: 'alice' }));

describe('unionTokenAuthenticator', () => {
  const cases: {
    name: string;
    members: (AuthenticationResult | Error)[];
    expect: AuthenticationResult;
    expectCalls: number[];
  }[] = [
    { name: 'no members', members: [], expect: NOT_APPLICABLE, expectCalls: [] },
    {
      name: 'first success wins',
      members: [alice, rejected('never reached')],
      expect: alice,
      expectCalls: [1, 0],
    },
    {
      name: 'success after rejection',
      members: [rejected('token expired'), alice],
      expect: alice,
      expectCalls: [1, 1],
    },
    {
      name: 'all notApplicable',
      members: [NOT_APPLICABLE, NOT_APPLICABLE],
      expect: NOT_APPLICABLE,
      expectCalls: [1, 1],
    },
    {
      name: 'rejections and errors joined',
      members: [rejected('token expired'), NOT_APPLICABLE, new Error('webhook unreachable')],
      expect: rejected('[token expired, webhook unreachable]'),
      expectCalls: [1, 1, 1],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const members = tc.members.map(member);

      const result = await unionTokenAuthenticator(...members).authenticateToken(
        'abc',
        new AbortController().signal,
      );

      expect(result).to.deep.equal(tc.expect);
      expect(members.map((m) => m.calls)).to.deep.equal(tc.expectCalls);
    });
  }

  it('passes the same token to each member', async () => {
    const first = member(NOT_APPLICABLE);
    const second = member(NOT_APPLICABLE);

    await unionTokenAuthenticator(first, second).authenticateToken(
      'abc',
      new AbortController().signal,
    );

    expect(first.tokens).to.deep.equal(['abc']);
    expect(second.tokens).to.deep.equal(['abc']);
  });
});
