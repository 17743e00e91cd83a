/**
 * Retries of webhook calls, following k8s.io/apiserver/pkg/util/webhook (1.32): a few attempts
 * with exponentially growing, jittered delays, only for errors that look transient.
 */

/** Delays between attempts. Mirrors wait.Backoff. */
export interface RetryBackoff {
  /** Delay before the second attempt, in ms. */
  readonly initialDelayMs: number;
  /** Each later delay is the previous one times this factor. */
  readonly factor: number;
  /** Each delay grows by a random fraction of itself, up to this fraction. */
  readonly jitter: number;
  /** Maximum number of attempts, the first one included. */
  readonly steps: number;
}

/**
 * kube-apiserver's backoff for its token and authorization webhooks (DefaultAuthWebhookRetryBackoff
 * in k8s.io/apiserver): 500 ms, factor 1.5, jitter 0.2, 5 attempts.
 */
export const DEFAULT_RETRY_BACKOFF: RetryBackoff = Object.freeze({
  initialDelayMs: 500,
  factor: 1.5,
  jitter: 0.2,
  steps: 5,
});

/** An HTTP response from the webhook whose status code is not 2xx. */
export class WebhookHTTPError extends Error {
  constructor(
    readonly statusCode: number,
    /** Whether the response carried a Retry-After header. */
    readonly hasRetryAfter: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookHTTPError';
  }
}

/**
 * Reports whether a failed webhook call is worth another attempt, as DefaultShouldRetry does:
 * a reset connection, 500 (InternalError), 504 (Timeout), 429 (TooManyRequests), or any 5xx
 * that asks the client to come back with Retry-After.
 */
export function shouldRetryWebhookError(err: unknown): boolean {
  if (err instanceof WebhookHTTPError) {
    const code = err.statusCode;
    if (code === 500 || code === 504 || code === 429) return true;
    return code >= 500 && err.hasRetryAfter;
  }
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET';
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, fails with an error that `shouldRetry` rejects, or uses up
 * `backoff.steps` attempts. Returns the result of the last attempt.
 * @throws the last attempt's error, or the signal's reason when it aborts during a delay.
 */
export async function withExponentialBackoff<T>(
  attempt: () => Promise<T>,
  shouldRetry: (err: unknown) => boolean,
  backoff: RetryBackoff,
  signal: AbortSignal,
  onRetry?: (err: unknown, delayMs: number) => void,
): Promise<T> {
  let delayMs = backoff.initialDelayMs;
  for (let step = 1; ; step++) {
    try {
      return await attempt();
    } catch (err) {
      if (step >= backoff.steps || !shouldRetry(err)) throw err;
      const jitteredMs = delayMs * (1 + Math.random() * backoff.jitter);
      onRetry?.(err, jitteredMs);
      await sleep(jitteredMs, signal);
      delayMs *= backoff.factor;
    }
  }
}
