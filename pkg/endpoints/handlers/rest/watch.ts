import type { Context } from 'koa';
import type winston from 'winston';
import { resourceVersionOf } from '../../../registry/generic/metadata.js';
import { StatusError } from '../../../apiserver/errors/statuserror.js';
import type {
  GenericStore,
  ListOptions,
  StoreWatchEvent,
} from '../../../registry/generic/store.js';
import { buildTable, type IncludeObject } from './table.js';
import type { OutputFormat } from './negotiation.js';

/** What a watch request asked for. */
export interface WatchRequest {
  namespace: string;
  options: ListOptions & { resourceVersion?: string };
  format: OutputFormat;
  include: IncludeObject;
  /** How long the watch lasts, in milliseconds. */
  timeoutMs: number;
}

/**
 * Picks a watch's duration: ?timeoutSeconds= when given, otherwise a random time between
 * --min-request-timeout and twice that, so watches of many clients do not all end at once.
 */
export function watchTimeoutMs(
  timeoutSeconds: string | null,
  minRequestTimeoutSeconds: number,
): number {
  if (timeoutSeconds !== null && /^\d+$/.test(timeoutSeconds)) return Number(timeoutSeconds) * 1000;
  return Math.round((1 + Math.random()) * minRequestTimeoutSeconds * 1000);
}

function encodeEvent(
  store: GenericStore,
  event: StoreWatchEvent,
  request: WatchRequest,
  first: boolean,
): string {
  const object =
    request.format === 'table'
      ? buildTable(store.definition, [event.object], {
          include: request.include,
          resourceVersion: resourceVersionOf(event.object),
          withColumns: first,
        })
      : event.object;
  return `${JSON.stringify({ type: event.type, object })}\n`;
}

/**
 * Streams a watch as newline-delimited JSON events, each flushed at once, until the timeout,
 * the client going away, or `stop` (server shutdown). A resourceVersion that is too old ends
 * the stream with an ERROR event carrying the 410 Expired `Status`, as kube-apiserver does.
 */
export async function serveWatch(
  ctx: Context,
  store: GenericStore,
  request: WatchRequest,
  stop: AbortSignal,
  logger: winston.Logger,
): Promise<void> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const timer = setTimeout(abort, request.timeoutMs);
  ctx.req.once('close', abort);
  stop.addEventListener('abort', abort, { once: true });

  const events = store.watch(request.namespace, request.options, controller.signal);
  // Headers go out before the first event, so a client sees the watch start even when nothing
  // changes for a while.
  ctx.respond = false;
  ctx.status = 200;
  const res = ctx.res;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.writeHead(200);
  if ('flushHeaders' in res) res.flushHeaders();

  let first = true;
  try {
    for await (const event of events) {
      if (res.writableEnded) break;
      res.write(encodeEvent(store, event, request, first));
      first = false;
    }
  } catch (err) {
    if (err instanceof StatusError) {
      res.write(`${JSON.stringify({ type: 'ERROR', object: err.status })}\n`);
    } else if (!controller.signal.aborted) {
      logger.error('watch failed', { resource: store.definition.plural, err });
    }
  } finally {
    clearTimeout(timer);
    ctx.req.off('close', abort);
    stop.removeEventListener('abort', abort);
    controller.abort();
    if (!res.writableEnded) res.end();
  }
}
