import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { fetchProviderMetadata } from './discovery.js';
import { httpsGet } from './https_get.js';

/** The part of a winston logger that the key set uses. */
export interface KeySetLogger {
  info(message: string, meta: Record<string, unknown>): unknown;
  error(message: string, meta: Record<string, unknown>): unknown;
}

/** Settings of the background initialisation. All durations are in ms. */
export interface KeySetOptions {
  readonly issuerURL: string;
  readonly caBundle: string | undefined;
  readonly requestTimeoutMs: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly jwksRefreshCooldownMs: number;
}

/** The issuer's signing keys, available once discovery and the first JWKS fetch succeeded. */
export interface AsyncKeySet {
  /** The key resolver for jwtVerify, or undefined until the keys have been fetched. */
  current(): JWTVerifyGetKey | undefined;
  /** Resolves once the keys have been fetched. Never rejects, and stays pending after close(). */
  readonly ready: Promise<void>;
  /** Stops retrying and aborts a fetch in progress. */
  close(): void;
}

/** Returns a fetch for jose's createRemoteJWKSet that trusts `caBundle`. */
function fetchWithCA(
  caBundle: string | undefined,
  timeoutMs: number,
): (url: string, init: { headers: Headers; signal: AbortSignal }) => Promise<Response> {
  return async (url, init) => {
    const response = await httpsGet(new URL(url), {
      ca: caBundle,
      timeoutMs,
      signal: init.signal,
      headers: Object.fromEntries(init.headers),
    });
    const body = response.status === 200 ? response.body : null;
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

async function loadKeySet(options: KeySetOptions, signal: AbortSignal): Promise<JWTVerifyGetKey> {
  const request = { ca: options.caBundle, timeoutMs: options.requestTimeoutMs, signal };
  const metadata = await fetchProviderMetadata(options.issuerURL, request);
  // Keys are refetched only when a token names an unknown kid, at most once per cooldown. A timed
  // refresh (cacheMaxAge) would fail every token while the issuer is down.
  const keySet = createRemoteJWKSet(metadata.jwksURI, {
    [customFetch]: fetchWithCA(options.caBundle, options.requestTimeoutMs),
    timeoutDuration: options.requestTimeoutMs,
    cooldownDuration: options.jwksRefreshCooldownMs,
    cacheMaxAge: Infinity,
  });
  await keySet.reload();
  return keySet;
}

/**
 * Starts fetching the issuer's discovery document and JWKS in the background and retries with
 * exponential backoff until both succeed. An issuer that is down when the server starts does not
 * stop the server, which lets the issuer run on the cluster it authenticates for, as in
 * kube-apiserver. Each failed attempt is logged at error level with the next delay.
 */
export function startKeySet(options: KeySetOptions, logger: KeySetLogger): AsyncKeySet {
  const abort = new AbortController();
  let keySet: JWTVerifyGetKey | undefined;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const attempt = async (number: number, delayMs: number): Promise<void> => {
    try {
      keySet = await loadKeySet(options, abort.signal);
    } catch (err) {
      if (abort.signal.aborted) return;
      logger.error('unable to fetch the OIDC issuer keys; retrying', {
        issuer: options.issuerURL,
        attempt: number,
        retryInMs: delayMs,
        err: describeError(err),
      });
      const nextDelayMs = Math.min(delayMs * 2, options.retryMaxDelayMs);
      timer = setTimeout(() => void attempt(number + 1, nextDelayMs), delayMs);
      // A pending retry alone must not keep the process alive.
      timer.unref();
      return;
    }
    logger.info('fetched the OIDC issuer keys', { issuer: options.issuerURL, attempts: number });
    markReady();
  };
  void attempt(1, options.retryInitialDelayMs);

  return {
    current: () => keySet,
    ready,
    close() {
      abort.abort();
      clearTimeout(timer);
    },
  };
}

/** Joins an error's message with the messages of its causes, such as ECONNREFUSED. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && parts.length < 5) {
    // An AggregateError from a failed connection has an empty message but a code.
    parts.push(current.message || (current as NodeJS.ErrnoException).code || current.name);
    current = current.cause;
  }
  if (parts.length === 0) parts.push(String(err));
  return parts.join(': ');
}
