import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
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
  cachedTokenAuthenticator,
  tokenCacheKey,
} from '../../../../../../../plugin/auth/authenticator/token/cache/cached_token_authenticator.js';
import { newLatch } from '../../../../../helpers/koa_context.js';

const ALICE = authenticated(newUserInfo({ name: 'alice', groups: ['dev'] }));

/** A delegate that returns (or throws) `outcome` and counts calls per token. */
function countingDelegate(outcome: AuthenticationResult | Error) {
  const calls = new Map<string, number>();
  const delegate: TokenAuthenticator = {
    authenticateToken(token) {
      calls.set(token, (calls.get(token) ?? 0) + 1);
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  };
  return { delegate, calls };
}

function signal(): AbortSignal {
  return new AbortController().signal;
}

/** Calls `run` and returns what it rejects with. Fails the test when it resolves. */
async function rejection(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  return expect.fail('expected a rejection');
}

describe('cachedTokenAuthenticator', () => {
  const ttlCases = [
    { name: 'success within success TTL', outcome: ALICE, advanceMs: 9_999, expectCalls: 1 },
    { name: 'success after success TTL', outcome: ALICE, advanceMs: 10_000, expectCalls: 2 },
    {
      name: 'rejection within failure TTL',
      outcome: rejected('bad'),
      advanceMs: 4_999,
      expectCalls: 1,
    },
    {
      name: 'rejection after failure TTL',
      outcome: rejected('bad'),
      advanceMs: 5_000,
      expectCalls: 2,
    },
    {
      name: 'not applicable uses failure TTL',
      outcome: NOT_APPLICABLE,
      advanceMs: 4_999,
      expectCalls: 1,
    },
  ];
  for (const tc of ttlCases) {
    it(tc.name, async () => {
      let clock = 1_000_000;
      const { delegate, calls } = countingDelegate(tc.outcome);
      const cached = cachedTokenAuthenticator(delegate, {
        successTTLMs: 10_000,
        failureTTLMs: 5_000,
        now: () => clock,
      });

      const first = await cached.authenticateToken('token-a', signal());
      clock += tc.advanceMs;
      const second = await cached.authenticateToken('token-a', signal());

      expect(first).to.deep.equal(tc.outcome);
      expect(second).to.deep.equal(tc.outcome);
      expect(calls.get('token-a')).to.equal(tc.expectCalls);
    });
  }

  it('zero TTL disables caching', async () => {
    const { delegate, calls } = countingDelegate(ALICE);
    const cached = cachedTokenAuthenticator(delegate, { successTTLMs: 0, failureTTLMs: 0 });
    await cached.authenticateToken('token-a', signal());
    await cached.authenticateToken('token-a', signal());
    expect(calls.get('token-a')).to.equal(2);
  });

  it('thrown errors are not cached', async () => {
    const { delegate, calls } = countingDelegate(new Error('webhook down'));
    const cached = cachedTokenAuthenticator(delegate, {
      successTTLMs: 60_000,
      failureTTLMs: 60_000,
    });
    const first = await rejection(() => cached.authenticateToken('token-a', signal()));
    const second = await rejection(() => cached.authenticateToken('token-a', signal()));
    expect(first.message).to.equal('webhook down');
    expect(second.message).to.equal('webhook down');
    expect(calls.get('token-a')).to.equal(2);
  });

  it('tokens are cached separately', async () => {
    const { delegate, calls } = countingDelegate(ALICE);
    const cached = cachedTokenAuthenticator(delegate, { successTTLMs: 60_000, failureTTLMs: 0 });
    await cached.authenticateToken('token-a', signal());
    await cached.authenticateToken('token-b', signal());
    await cached.authenticateToken('token-a', signal());
    expect(calls.get('token-a')).to.equal(1);
    expect(calls.get('token-b')).to.equal(1);
  });

  it('concurrent lookups share one call', async () => {
    const latch = newLatch<AuthenticationResult>();
    let calls = 0;
    const cached = cachedTokenAuthenticator(
      {
        authenticateToken() {
          calls++;
          return latch.promise;
        },
      },
      { successTTLMs: 0, failureTTLMs: 0 },
    );
    const lookups = [1, 2, 3].map(() => cached.authenticateToken('token-a', signal()));
    latch.release(ALICE);
    const results = await Promise.all(lookups);
    expect(calls).to.equal(1);
    for (const result of results) expect(result).to.deep.equal(ALICE);
  });

  it('concurrent lookups share one error', async () => {
    const latch = newLatch();
    let calls = 0;
    const cached = cachedTokenAuthenticator(
      {
        async authenticateToken() {
          calls++;
          await latch.promise;
          throw new Error('webhook down');
        },
      },
      { successTTLMs: 60_000, failureTTLMs: 60_000 },
    );
    const lookups = [1, 2].map(() => rejection(() => cached.authenticateToken('t', signal())));
    latch.release();
    const errors = await Promise.all(lookups);
    expect(calls).to.equal(1);
    expect(errors.map((err) => err.message)).to.deep.equal(['webhook down', 'webhook down']);
  });

  it('aborted caller leaves the shared lookup running', async () => {
    const latch = newLatch<AuthenticationResult>();
    let delegateSignal: AbortSignal | undefined;
    const cached = cachedTokenAuthenticator(
      {
        authenticateToken(_token, lookupSignal) {
          delegateSignal = lookupSignal;
          return latch.promise;
        },
      },
      { successTTLMs: 60_000, failureTTLMs: 0 },
    );
    const leaving = new AbortController();
    const abandoned = rejection(() => cached.authenticateToken('token-a', leaving.signal));
    const staying = cached.authenticateToken('token-a', signal());
    leaving.abort(new Error('client went away'));

    expect((await abandoned).message).to.equal('client went away');
    expect(delegateSignal?.aborted).to.equal(false);
    latch.release(ALICE);
    expect(await staying).to.deep.equal(ALICE);
  });

  it('evicts least recently used entries', async () => {
    const { delegate, calls } = countingDelegate(ALICE);
    const cached = cachedTokenAuthenticator(delegate, {
      successTTLMs: 60_000,
      failureTTLMs: 0,
      maxEntries: 2,
    });
    for (const token of ['a', 'b', 'c', 'a']) await cached.authenticateToken(token, signal());
    expect(calls.get('a')).to.equal(2);
    expect(calls.get('c')).to.equal(1);
  });
});

describe('tokenCacheKey', () => {
  const key = randomBytes(32);

  it('does not contain the token', () => {
    const token = 'secret-token-value';
    const cacheKey = tokenCacheKey(key, token);
    expect(cacheKey).to.not.include(token);
    expect(Buffer.from(cacheKey, 'base64')).to.have.length(32);
  });

  it('is stable for one HMAC key', () => {
    expect(tokenCacheKey(key, 'a')).to.equal(tokenCacheKey(key, 'a'));
  });

  it('differs between tokens', () => {
    expect(tokenCacheKey(key, 'a')).to.not.equal(tokenCacheKey(key, 'b'));
  });

  it('differs between HMAC keys', () => {
    expect(tokenCacheKey(key, 'a')).to.not.equal(tokenCacheKey(randomBytes(32), 'a'));
  });
});
