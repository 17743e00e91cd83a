/**
 * Waits for `promise` to reject and returns its reason.
 * @throws Error when the promise resolves, so a test cannot pass without the expected failure.
 */
export async function expectRejection(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    return err;
  }
  throw new Error(`expected a rejection, but the promise resolved with ${String(value)}`);
}
