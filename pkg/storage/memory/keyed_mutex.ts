/**
 * A set of async mutexes, one per key, so that a write whose update function awaits cannot
 * interleave with another write to the same key, while writes to different keys run in parallel.
 */
export class KeyedMutex {
  /** For each key with a holder, the promise that settles when the last queued holder finishes. */
  private readonly tails = new Map<string, Promise<void>>();

  /** The number of keys that have a holder or waiters; 0 when the mutex is idle. */
  get size(): number {
    return this.tails.size;
  }

  /**
   * Runs `critical` once every earlier caller for `key` has finished, and returns its result.
   * Callers for one key run in call order. The lock is released whether `critical` returns or
   * throws.
   */
  async runExclusive<T>(key: string, critical: () => T | Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => {};
    const finished = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => finished);
    this.tails.set(key, tail);

    await previous;
    try {
      return await critical();
    } finally {
      release();
      // A later caller replaces the tail, and then owns its removal.
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    }
  }
}
