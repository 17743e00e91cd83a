import { newWatchBufferOverflowError } from '../errors.js';
import type { StorageError, WatchEvent } from '../interfaces.js';

/** Settings of one Watcher. */
export interface WatcherOptions {
  /** Only events whose key starts with this prefix are delivered. */
  readonly prefix: string;
  /** Only events with a revision above this one are delivered. */
  readonly fromRevision: number;
  /** Kept events to deliver before any live event, oldest first, already filtered. */
  readonly replay: readonly WatchEvent[];
  /** The maximum number of live events held for a consumer that does not read them. */
  readonly bufferLimit: number;
  /** Ends the watch when it aborts. */
  readonly signal: AbortSignal;
  /** Called once when the watch ends, so the store stops sending it events. */
  readonly onClose: (watcher: Watcher) => void;
}

interface PendingRead {
  readonly resolve: (result: IteratorResult<WatchEvent, undefined>) => void;
  readonly reject: (reason: StorageError) => void;
}

const DONE: IteratorResult<WatchEvent, undefined> = { done: true, value: undefined };

/**
 * One watch: an async iterator over the replayed and then the live events of a prefix. The store
 * pushes events synchronously as it commits them and never waits for the consumer. Events wait in
 * a buffer, and a consumer that leaves more than `bufferLimit` of them unread has its watch ended
 * with an error, so memory stays bounded.
 */
export class Watcher implements AsyncIterableIterator<WatchEvent, undefined> {
  readonly prefix: string;
  private readonly fromRevision: number;
  private readonly bufferLimit: number;
  private readonly signal: AbortSignal;
  private readonly onClose: (watcher: Watcher) => void;
  private replay: readonly WatchEvent[];
  private replayIndex = 0;
  private live: WatchEvent[] = [];
  private readonly pendingReads: PendingRead[] = [];
  /** The error the next read rejects with, after which the iterator is done. */
  private failure: StorageError | undefined;
  private closed = false;

  constructor(options: WatcherOptions) {
    this.prefix = options.prefix;
    this.fromRevision = options.fromRevision;
    this.bufferLimit = options.bufferLimit;
    this.signal = options.signal;
    this.onClose = options.onClose;
    this.replay = options.replay;
    if (this.signal.aborted) {
      this.close();
    } else {
      this.signal.addEventListener('abort', this.handleAbort, { once: true });
    }
  }

  /** Whether the watch has ended, so the store no longer needs to send it events. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Delivers or buffers `event` if its key and revision match this watch. The store calls it in
   * revision order. It ends the watch when the buffer is full, and never blocks the caller.
   */
  push(event: WatchEvent): void {
    if (this.closed || event.revision <= this.fromRevision || !event.key.startsWith(this.prefix)) {
      return;
    }
    // A read waits only when the buffers are empty, so handing the event over keeps the order.
    const read = this.pendingReads.shift();
    if (read !== undefined) {
      read.resolve({ done: false, value: copyEvent(event) });
      return;
    }
    if (this.live.length >= this.bufferLimit) {
      this.fail(newWatchBufferOverflowError(this.prefix, this.bufferLimit));
      return;
    }
    this.live.push(event);
  }

  next(): Promise<IteratorResult<WatchEvent, undefined>> {
    const event = this.takeBuffered();
    if (event !== undefined) {
      return Promise.resolve({ done: false, value: copyEvent(event) });
    }
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.closed) {
      return Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => {
      this.pendingReads.push({ resolve, reject });
    });
  }

  /** Ends the watch early. `for await` calls it when the loop exits by `break` or a throw. */
  return(): Promise<IteratorResult<WatchEvent, undefined>> {
    this.failure = undefined;
    this.close();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private readonly handleAbort = (): void => {
    this.failure = undefined;
    this.close();
  };

  private takeBuffered(): WatchEvent | undefined {
    const replayed = this.replay[this.replayIndex];
    if (replayed !== undefined) {
      this.replayIndex++;
      return replayed;
    }
    return this.live.shift();
  }

  /** Ends the watch with `error`: the first waiting read rejects with it, or else the next read. */
  private fail(error: StorageError): void {
    const read = this.pendingReads.shift();
    if (read === undefined) {
      this.failure = error;
    } else {
      read.reject(error);
    }
    this.close();
  }

  /** Drops the buffers, settles waiting reads as done and unsubscribes. Later calls do nothing. */
  private close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.replay = [];
    this.replayIndex = 0;
    this.live = [];
    for (const read of this.pendingReads.splice(0)) {
      read.resolve(DONE);
    }
    this.signal.removeEventListener('abort', this.handleAbort);
    this.onClose(this);
  }
}

/** Copies an event's object so that no consumer can change what other watchers receive. */
function copyEvent(event: WatchEvent): WatchEvent {
  return { ...event, object: structuredClone(event.object) };
}
