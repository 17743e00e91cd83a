import { Gauge, type Registry } from 'prom-client';
import type { Context, Middleware, Next } from 'koa';
import { SYSTEM_PRIVILEGED_GROUP } from '../../auth/user/user.js';
import {
  APISERVER_COMPONENT,
  describeRequest,
  requestLabels,
  requestMetricsFor,
} from '../../endpoints/metrics/metrics.js';
import { writePlainTextError } from '../../endpoints/responsewriters/writers.js';
import { mustRequestInfo, userFrom } from '../request/context.js';
import type { LongRunningFunc } from './long_running.js';

/** The plain-text body of kube-apiserver's 429. */
export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.';

/** Verbs that count against --max-requests-inflight; every other verb is mutating. */
const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);

/** Options of the max-in-flight filter. */
export interface MaxInFlightOptions {
  /** --max-requests-inflight; 0 means no limit on read-only requests. */
  maxRequestsInFlight: number;
  /** --max-mutating-requests-inflight; 0 means no limit on mutating requests. */
  maxMutatingRequestsInFlight: number;
  longRunning: LongRunningFunc;
  registry: Registry;
}

/** A counting semaphore without a queue: a request either gets a slot now or is rejected. */
class Slots {
  private used = 0;
  constructor(private readonly limit: number) {}
  tryAcquire(): boolean {
    if (this.limit > 0 && this.used >= this.limit) return false;
    this.used++;
    return true;
  }
  release(): void {
    this.used--;
  }
  get inUse(): number {
    return this.used;
  }
}

/**
 * Limits how many requests are served at once, with separate limits for read-only and mutating
 * requests, as kube-apiserver's WithMaxInFlightLimit does. A request over the limit gets a
 * plain-text 429 with Retry-After: 1, unless its user is in system:masters, who are let through
 * so an administrator can still repair an overloaded server. Long-running requests are not
 * counted, because a watch would otherwise hold a slot for its whole life.
 */
export function withMaxInFlightLimit(options: MaxInFlightOptions): Middleware {
  const readOnly = new Slots(options.maxRequestsInFlight);
  const mutating = new Slots(options.maxMutatingRequestsInFlight);
  const inFlight = new Gauge({
    name: 'apiserver_current_inflight_requests',
    help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
    labelNames: ['request_kind'],
    registers: [options.registry],
    collect() {
      this.set({ request_kind: 'readOnly' }, readOnly.inUse);
      this.set({ request_kind: 'mutating' }, mutating.inUse);
    },
  });
  void inFlight;
  const requestMetrics = requestMetricsFor(options.registry);

  return async function maxInFlight(ctx: Context, next: Next): Promise<void> {
    const info = mustRequestInfo(ctx);
    if (options.longRunning(info)) {
      await next();
      return;
    }
    const slots = READ_ONLY_VERBS.has(info.verb) ? readOnly : mutating;
    if (!slots.tryAcquire()) {
      const groups = userFrom(ctx)?.groups ?? [];
      if (groups.includes(SYSTEM_PRIVILEGED_GROUP)) {
        await next();
        return;
      }
      requestMetrics.recordDroppedRequest(
        requestLabels(info, describeRequest(ctx), APISERVER_COMPONENT),
      );
      ctx.set('Retry-After', '1');
      writePlainTextError(ctx, 429, TOO_MANY_REQUESTS_MESSAGE);
      return;
    }
    // The slot is given back when the handler finishes or the response closes, whichever comes
    // first: a handler past its timeout may wait forever for a body the client never sends.
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      slots.release();
    };
    ctx.res.once('close', release);
    try {
      await next();
    } finally {
      release();
    }
  };
}
