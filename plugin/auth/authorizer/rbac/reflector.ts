import { setTimeout as sleep } from 'node:timers/promises';
import type winston from 'winston';
import type { GenericStore, StoreWatchEvent } from '../../../../pkg/registry/generic/store.js';
import type { StoredObject } from '../../../../pkg/storage/interfaces.js';

/** Callbacks that receive the objects a reflector lists and the changes it watches. */
export interface ReflectorHandlers {
  /** Replaces everything held for the resource with the objects of a full list. */
  replace(objects: readonly StoredObject[]): void;
  /** Applies one watch event. */
  apply(event: StoreWatchEvent): void;
}

/** Settings of a reflector. */
export interface ReflectorOptions {
  /** Time in milliseconds between attempts when a relist fails. Default 1000. */
  readonly relistRetryDelayMs?: number;
}

const DEFAULT_RELIST_RETRY_DELAY_MS = 1000;

/**
 * Mirrors one resource of all namespaces into handlers, as client-go's Reflector does for an
 * informer: it lists, then watches from the list's resourceVersion. When the watch ends for any
 * reason other than `signal`, it logs the cause, lists again and watches again. Handlers run
 * synchronously for each event, so the mirror never awaits between receiving and applying one.
 */
export class Reflector {
  private readonly resource: string;
  private readonly relistRetryDelayMs: number;

  constructor(
    private readonly store: GenericStore,
    private readonly handlers: ReflectorHandlers,
    private readonly logger: winston.Logger,
    private readonly signal: AbortSignal,
    options: ReflectorOptions = {},
  ) {
    const { group, plural } = store.definition;
    this.resource = group === '' ? plural : `${plural}.${group}`;
    this.relistRetryDelayMs = options.relistRetryDelayMs ?? DEFAULT_RELIST_RETRY_DELAY_MS;
  }

  /**
   * Lists once, then keeps watching in the background until `signal` aborts.
   * @throws what the first list throws; the reflector then does not start
   */
  async start(): Promise<void> {
    const resourceVersion = await this.list();
    void this.watchLoop(resourceVersion);
  }

  /** Lists every object, hands them to `replace`, and returns the list's resourceVersion. */
  private async list(): Promise<string> {
    const page = await this.store.list('');
    this.handlers.replace(page.items);
    return page.resourceVersion;
  }

  private async watchLoop(initialResourceVersion: string): Promise<void> {
    let resourceVersion = initialResourceVersion;
    while (!this.signal.aborted) {
      let cause: unknown;
      try {
        const events = this.store.watch('', { resourceVersion }, this.signal);
        for await (const event of events) this.handlers.apply(event);
        cause = new Error('the watch closed');
      } catch (err) {
        cause = err;
      }
      if (this.signal.aborted) return;
      this.logger.warn('watch ended, listing again', {
        resource: this.resource,
        error: cause instanceof Error ? cause.message : String(cause),
      });
      const relisted = await this.relistUntilDone();
      if (relisted === undefined) return;
      resourceVersion = relisted;
    }
  }

  /** Lists until a list succeeds, and returns its resourceVersion, or undefined once aborted. */
  private async relistUntilDone(): Promise<string | undefined> {
    for (let attempt = 1; !this.signal.aborted; attempt++) {
      try {
        const resourceVersion = await this.list();
        this.logger.info('listed again, watching', {
          resource: this.resource,
          resourceVersion,
          attempt,
        });
        return resourceVersion;
      } catch (err) {
        this.logger.error('list failed, retrying', {
          resource: this.resource,
          attempt,
          retryInMs: this.relistRetryDelayMs,
          error: err instanceof Error ? err.message : String(err),
        });
        try {
          await sleep(this.relistRetryDelayMs, undefined, { signal: this.signal });
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }
}
