import { expect } from 'chai';
import type {
  AuthenticationResult,
  RequestAuthenticator,
} from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import {
  NOT_APPLICABLE,
  authenticated,
  rejected,
} from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../../../pkg/auth/user/user.js';
import {
  joinReasons,
  unionAuthenticator,
  unionFailOnError,
} from '../../../../../../../plugin/auth/authenticator/request/union/union.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';

/** A member that returns `outcome`, or throws it when it is an Error, and counts its calls. */
interface CountingAuthenticator extends RequestAuthenticator {
  calls: number;
}

function member(outcome: AuthenticationResult | Error): CountingAuthenticator {
  const counting: CountingAuthenticator = {
    calls: 0,
    authenticateRequest() {
      counting.calls++;
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  };
  return counting;
}

const alice = authenticated(newUserInfo({ name: 'alice' }));
const bob = authenticated(newUserInfo({ name: 'bob' }));

describe('unionAuthenticator', () => {
  const cases: {
    name: string;
    members: (AuthenticationResult | Error)[];
    expect: AuthenticationResult;
    expectCalls: number[];
  }[] = [
    { name: 'no members', members: [], expect: NOT_APPLICABLE, expectCalls: [] },
    {
      name: 'first success wins',
      members: [alice, bob],
      expect: alice,
      expectCalls: [1, 0],
    },
    {
      name: 'success after notApplicable',
      members: [NOT_APPLICABLE, bob],
      expect: bob,
      expectCalls: [1, 1],
    },
    {
      name: 'success after rejection',
      members: [rejected('invalid bearer token'), bob],
      expect: bob,
      expectCalls: [1, 1],
    },
    {
      name: 'success after thrown error',
      members: [new Error('webhook unreachable'), bob],
      expect: bob,
      expectCalls: [1, 1],
    },
    {
      name: 'all notApplicable',
      members: [NOT_APPLICABLE, NOT_APPLICABLE],
      expect: NOT_APPLICABLE,
      expectCalls: [1, 1],
    },
    {
      name: 'one rejection among notApplicable',
      members: [NOT_APPLICABLE, rejected('invalid bearer token'), NOT_APPLICABLE],
      expect: rejected('invalid bearer token'),
      expectCalls: [1, 1, 1],
    },
    {
      name: 'rejections are joined in order',
      members: [rejected('first'), NOT_APPLICABLE, rejected('second')],
      expect: rejected('[first, second]'),
      expectCalls: [1, 1, 1],
    },
    {
      name: 'thrown error becomes rejection',
      members: [new Error('webhook unreachable'), rejected('invalid bearer token')],
      expect: rejected('[webhook unreachable, invalid bearer token]'),
      expectCalls: [1, 1],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const members = tc.members.map(member);

      const result = await unionAuthenticator(...members).authenticateRequest(fakeRequest());

      expect(result).to.deep.equal(tc.expect);
      expect(members.map((m) => m.calls)).to.deep.equal(tc.expectCalls);
    });
  }

  it('turns synchronous throw into rejection', async () => {
    const throwing: RequestAuthenticator = {
      authenticateRequest: () => {
        throw new Error('not async');
      },
    };

    const result = await unionAuthenticator(throwing).authenticateRequest(fakeRequest());

    expect(result).to.deep.equal(rejected('not async'));
  });

  it('turns thrown non-Error into rejection', async () => {
    const throwing: RequestAuthenticator = {
      // A third-party authenticator may reject with a plain value, which the union must handle.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      authenticateRequest: () => Promise.reject('plain string'),
    };

    const result = await unionAuthenticator(throwing).authenticateRequest(fakeRequest());

    expect(result).to.deep.equal(rejected('plain string'));
  });

  it('passes request to every member', async () => {
    const request = fakeRequest({ headers: { Authorization: 'Bearer abc' } });
    const seen: unknown[] = [];
    const recording: RequestAuthenticator = {
      authenticateRequest: (r) => {
        seen.push(r);
        return Promise.resolve(NOT_APPLICABLE);
      },
    };

    await unionAuthenticator(recording, recording).authenticateRequest(request);

    expect(seen).to.have.length(2);
    expect(seen[0]).to.equal(request);
    expect(seen[1]).to.equal(request);
  });
});

describe('unionFailOnError', () => {
  const cases: {
    name: string;
    primary: AuthenticationResult | Error;
    fallback: AuthenticationResult | Error;
    expect: AuthenticationResult;
    expectFallbackCalls: number;
  }[] = [
    {
      name: 'primary success skips fallback',
      primary: alice,
      fallback: bob,
      expect: alice,
      expectFallbackCalls: 0,
    },
    {
      name: 'primary rejection skips fallback',
      primary: rejected('invalid bearer token'),
      fallback: bob,
      expect: rejected('invalid bearer token'),
      expectFallbackCalls: 0,
    },
    {
      name: 'primary error skips fallback',
      primary: new Error('webhook unreachable'),
      fallback: bob,
      expect: rejected('webhook unreachable'),
      expectFallbackCalls: 0,
    },
    {
      name: 'primary notApplicable uses fallback',
      primary: NOT_APPLICABLE,
      fallback: bob,
      expect: bob,
      expectFallbackCalls: 1,
    },
    {
      name: 'fallback error becomes rejection',
      primary: NOT_APPLICABLE,
      fallback: new Error('boom'),
      expect: rejected('boom'),
      expectFallbackCalls: 1,
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const fallback = member(tc.fallback);

      const result = await unionFailOnError(member(tc.primary), fallback).authenticateRequest(
        fakeRequest(),
      );

      expect(result).to.deep.equal(tc.expect);
      expect(fallback.calls).to.equal(tc.expectFallbackCalls);
    });
  }
});

describe('joinReasons', () => {
  const cases = [
    { name: 'single reason unchanged', reasons: ['a'], expect: 'a' },
    { name: 'several reasons bracketed', reasons: ['a', 'b', 'c'], expect: '[a, b, c]' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(joinReasons(tc.reasons)).to.equal(tc.expect);
    });
  }
});
