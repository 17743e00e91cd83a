import type { Context, Middleware, Next } from 'koa';
import type winston from 'winston';
import { StatusError, newBadRequest } from '../../apiserver/errors/statuserror.js';
import {
  APISERVER_COMPONENT,
  describeRequest,
  requestLabels,
  type RequestMetrics,
} from '../../endpoints/metrics/metrics.js';
import { writeStatusError } from '../../endpoints/responsewriters/writers.js';
import { mustRequestInfo, receivedAtFrom } from '../request/context.js';
import { goDurationError, parseGoDuration } from '../../util/duration.js';
import type { LongRunningFunc } from './long_running.js';

/** The message of the 504 a request gets when it runs past its deadline. */
export const TIMEOUT_MESSAGE = 'Timeout: request did not complete within the allotted timeout';

/** Options of the timeout filter. */
export interface TimeoutOptions {
  /** --request-timeout in milliseconds; 0 turns the timeout off. */
  requestTimeoutMs: number;
  longRunning: LongRunningFunc;
  logger: winston.Logger;
  /** Metrics that record each 504 as a termination. When undefined, nothing is recorded. */
  metrics?: RequestMetrics;
}

/**
 * Returns the time a request may take in milliseconds: the ?timeout= query value when it is
 * above 0 and below --request-timeout, otherwise --request-timeout. kube-apiserver's
 * WithRequestDeadline lets a client shorten the server's limit but never extend it.
 * @throws StatusError 400 when ?timeout= is not a Go duration.
 */
export function requestDeadlineMs(query: URLSearchParams, requestTimeoutMs: number): number {
  const value = query.get('timeout');
  if (value === null || value === '') return requestTimeoutMs;
  let parsed: number;
  try {
    parsed = parseGoDuration(value);
  } catch {
    throw newBadRequest(`invalid timeout specified in the request URL - ${goDurationError(value)}`);
  }
  if (parsed > 0 && (requestTimeoutMs <= 0 || parsed < requestTimeoutMs)) return parsed;
  return requestTimeoutMs;
}

/**
 * Writes the 504. kube-apiserver's timeout filter encodes the Status struct directly instead of
 * through content negotiation, so the body has no kind or apiVersion, keeps an empty details,
 * ends with a newline, and is typed by Go's content sniffing as text/plain.
 */
function writeTimeout(ctx: Context, outerHeaders: ReadonlySet<string>): void {
  // Headers the handler set belong to the response it never finished, so they are dropped.
  for (const name of Object.keys(ctx.response.headers)) {
    if (!outerHeaders.has(name)) ctx.remove(name);
  }
  const body = {
    metadata: {},
    status: 'Failure',
    message: TIMEOUT_MESSAGE,
    reason: 'Timeout',
    details: {},
    code: 504,
  };
  ctx.status = 504;
  ctx.set('Content-Type', 'text/plain; charset=utf-8');
  ctx.body = `${JSON.stringify(body)}\n`;
}

/**
 * Stops the response from changing once the 504 is written. The handler keeps running after its
 * deadline (JavaScript cannot stop it), so its late writes to the body and status are dropped
 * here instead of reaching a response that was already sent.
 */
function discardLaterWrites(ctx: Context): void {
  const response = ctx.response as unknown as Record<string, unknown>;
  const body: unknown = ctx.response.body;
  const status = ctx.response.status;
  Object.defineProperty(response, 'body', { get: () => body, set: () => undefined });
  Object.defineProperty(response, 'status', { get: () => status, set: () => undefined });
}

/**
 * Answers non-long-running requests that outlive their deadline with a 504 `Status`, like
 * kube-apiserver's WithTimeoutForNonLongRunningRequests together with WithRequestDeadline.
 * Long-running requests (watch, exec, logs, proxy) are exempt.
 */
export function withTimeout(options: TimeoutOptions): Middleware {
  const { requestTimeoutMs, longRunning, logger, metrics } = options;
  return async function timeout(ctx: Context, next: Next): Promise<void> {
    const info = mustRequestInfo(ctx);
    if (longRunning(info)) {
      await next();
      return;
    }
    let deadlineMs: number;
    try {
      deadlineMs = requestDeadlineMs(new URLSearchParams(ctx.querystring), requestTimeoutMs);
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      writeStatusError(ctx, err);
      return;
    }
    // The deadline counts from when the request arrived, not from when this filter runs.
    deadlineMs -= Date.now() - (receivedAtFrom(ctx) ?? Date.now());
    if (requestTimeoutMs <= 0 && deadlineMs <= 0) {
      await next();
      return;
    }

    const outerHeaders = new Set(Object.keys(ctx.response.headers));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(deadlineMs, 0));
    });
    const handler = next().then(() => 'done' as const);
    let outcome: 'done' | 'expired';
    try {
      outcome = await Promise.race([handler, expired]);
    } finally {
      clearTimeout(timer);
    }
    if (outcome === 'done') return;

    const startedAt = Date.now();
    metrics?.recordRequestTermination(
      requestLabels(info, describeRequest(ctx), APISERVER_COMPONENT),
      504,
    );
    writeTimeout(ctx, outerHeaders);
    discardLaterWrites(ctx);
    handler.then(
      () => logger.debug('post-timeout activity', postTimeoutFields(ctx, startedAt, 'completed')),
      (err: unknown) =>
        logger.error('post-timeout activity', {
          ...postTimeoutFields(ctx, startedAt, 'failed'),
          err,
        }),
    );
  };
}

function postTimeoutFields(ctx: Context, startedAt: number, result: string): object {
  return { method: ctx.method, path: ctx.path, result, afterTimeoutMs: Date.now() - startedAt };
}
