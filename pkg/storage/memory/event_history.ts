import type { WatchEvent } from '../interfaces.js';

/**
 * The most recent watch events, oldest first, so a watch can resume from a revision the caller
 * read earlier. Like etcd after a compaction, it keeps a bounded number of events and drops the
 * oldest.
 */
export class EventHistory {
  private readonly events: WatchEvent[] = [];

  /** @param limit the maximum number of events kept, a positive integer */
  constructor(private readonly limit: number) {}

  /**
   * Appends `event`, which must be newer than every kept event, and drops the oldest event when
   * the history is over its limit.
   */
  append(event: WatchEvent): void {
    this.events.push(event);
    if (this.events.length > this.limit) {
      this.events.shift();
    }
  }

  /** Returns the revision of the oldest kept event, or undefined when none is kept. */
  oldestRevision(): number | undefined {
    return this.events[0]?.revision;
  }

  /** Returns, in order, the kept events after `revision` whose key starts with `prefix`. */
  eventsAfter(revision: number, prefix: string): WatchEvent[] {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.events[middle] as WatchEvent).revision <= revision) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return this.events.slice(low).filter((event) => event.key.startsWith(prefix));
  }
}
