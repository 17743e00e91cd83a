import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';

/**
 * kube-apiserver's cache has 32 stripes of 1024 entries (cached_token_authenticator.go in
 * k8s.io/apiserver), enough for the tokens of 5k nodes and 10k namespaces.
 */
export const DEFAULT_MAX_ENTRIES = 32 * 1024;

/**
 * Upper bound on one shared lookup, which runs detached from the callers' signals because
 * several requests may be waiting on it. kube-apiserver uses the same 30 s (sharedLookupTimeout).
 */
export const SHARED_LOOKUP_TIMEOUT_MS = 30_000;

/** Options of cachedTokenAuthenticator. */
export interface CachedTokenAuthenticatorOptions {
  /** How long an `authenticated` result is reused, in ms. 0 turns off caching of successes. */
  readonly successTTLMs: number;
  /** How long a `rejected` or `notApplicable` result is reused, in ms. 0 turns this off. */
  readonly failureTTLMs: number;
  /** The clock, in ms since the epoch. Defaults to Date.now; tests inject their own. */
  readonly now?: () => number;
  /** Maximum number of cached results; the least recently used goes first. */
  readonly maxEntries?: number;
  /** Time limit of one shared lookup, in ms. Defaults to SHARED_LOOKUP_TIMEOUT_MS. */
  readonly sharedLookupTimeoutMs?: number;
}

interface CacheEntry {
  readonly result: AuthenticationResult;
  readonly expiresAtMs: number;
}

/**
 * Derives the cache key of a token: HMAC-SHA256 under a per-process random key, so the cache
 * never contains a token, and a key cannot be precomputed from a guessed token.
 */
export function tokenCacheKey(hmacKey: Buffer, token: string): string {
  return createHmac('sha256', hmacKey).update(token, 'utf8').digest('base64');
}

/** Settles with `lookup`, or rejects with the signal's reason when the caller goes away. */
function raceWithSignal<T>(lookup: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    lookup.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Wraps a token authenticator with a cache, following kube-apiserver's token cache
 * (k8s.io/apiserver/pkg/authentication/token/cache, 1.32):
 *
 * - `authenticated` results are reused for successTTLMs; `rejected` and `notApplicable` results
 *   for failureTTLMs. A thrown error is never cached: the next request calls the delegate again.
 * - Concurrent lookups of the same token share one delegate call. The shared call gets its own
 *   signal, which aborts after sharedLookupTimeoutMs; a caller whose signal aborts stops waiting
 *   with the signal's reason, and the call goes on for the others.
 * - Keys are HMAC-SHA256 digests of the token (see tokenCacheKey), never the token itself.
 *
 * NOTE: kube-apiserver also puts the request's audiences into the key. TokenAuthenticator takes
 * no audiences, so the key here is the token alone; add them when the interface carries them.
 */
export function cachedTokenAuthenticator(
  delegate: TokenAuthenticator,
  options: CachedTokenAuthenticatorOptions,
): TokenAuthenticator {
  const now = options.now ?? Date.now;
  const sharedLookupTimeoutMs = options.sharedLookupTimeoutMs ?? SHARED_LOOKUP_TIMEOUT_MS;
  const hmacKey = randomBytes(32);
  const cache = new LRUCache<string, CacheEntry>({
    max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
  });
  const inFlight = new Map<string, Promise<AuthenticationResult>>();

  function ttlFor(result: AuthenticationResult): number {
    return result.kind === 'authenticated' ? options.successTTLMs : options.failureTTLMs;
  }

  async function lookUp(key: string, token: string): Promise<AuthenticationResult> {
    try {
      const result = await delegate.authenticateToken(
        token,
        AbortSignal.timeout(sharedLookupTimeoutMs),
      );
      const ttlMs = ttlFor(result);
      if (ttlMs > 0) cache.set(key, { result, expiresAtMs: now() + ttlMs });
      return result;
    } finally {
      inFlight.delete(key);
    }
  }

  return {
    authenticateToken(token: string, signal: AbortSignal): Promise<AuthenticationResult> {
      const key = tokenCacheKey(hmacKey, token);
      const cached = cache.get(key);
      if (cached !== undefined) {
        if (now() < cached.expiresAtMs) return Promise.resolve(cached.result);
        cache.delete(key);
      }
      let lookup = inFlight.get(key);
      if (lookup === undefined) {
        lookup = lookUp(key, token);
        inFlight.set(key, lookup);
      }
      return raceWithSignal(lookup, signal);
    },
  };
}
