/**
 * The stored keys in ascending order, so a list can start at a prefix or a continue key by binary
 * search instead of sorting every key on each call.
 *
 * Keys compare as JavaScript strings, by UTF-16 code unit, while etcd compares keys as UTF-8 bytes.
 * The two orders differ only between characters above U+FFFF and characters from U+E000 to U+FFFF,
 * so they agree on every ASCII key.
 */
export class SortedKeys {
  private readonly keys: string[] = [];

  /** Adds `key` unless it is already present. */
  insert(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] !== key) {
      this.keys.splice(index, 0, key);
    }
  }

  /** Removes `key` if it is present. */
  remove(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] === key) {
      this.keys.splice(index, 1);
    }
  }

  /**
   * Yields, in order, the keys that start with `prefix` and, when `after` is given, sort after it.
   * The caller must not insert or remove keys while it iterates.
   */
  *keysWithPrefix(prefix: string, after?: string): Generator<string> {
    let index = this.lowerBound(prefix);
    if (after !== undefined && after >= prefix) {
      index = this.upperBound(after);
    }
    for (; index < this.keys.length; index++) {
      const key = this.keys[index];
      if (key === undefined || !key.startsWith(prefix)) {
        return;
      }
      yield key;
    }
  }

  /** Returns the index of the first key that is not less than `target`. */
  private lowerBound(target: string): number {
    return this.partitionPoint((key) => key < target);
  }

  /** Returns the index of the first key that is greater than `target`. */
  private upperBound(target: string): number {
    return this.partitionPoint((key) => key <= target);
  }

  /** Returns the index of the first key for which `isBefore` is false, by binary search. */
  private partitionPoint(isBefore: (key: string) => boolean): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (isBefore(this.keys[middle] as string)) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
}
