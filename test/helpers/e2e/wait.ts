import { setTimeout as delay } from 'node:timers/promises';

/** How often waitUntil checks its condition, in milliseconds. */
const POLL_INTERVAL_MS = 10;

/**
 * Waits until `condition` returns true, checking every 10 ms. Use it for state that no event
 * reports to the test (a request counted as in flight on the server), never as a fixed sleep.
 * @throws Error naming `description` when the condition is still false after `timeoutMs`.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  description: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await delay(POLL_INTERVAL_MS);
  }
}
