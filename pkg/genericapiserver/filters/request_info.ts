import type { Context, Middleware, Next } from 'koa';
import { setReceivedAt, setRequestInfo } from '../request/context.js';
import { writeInternalError } from '../../endpoints/responsewriters/writers.js';
import {
  InvalidPathEscapeError,
  RequestInfoError,
  resolveRequestInfo,
} from '../request/requestinfo.js';

/**
 * Writes the response Go's HTTP/1.1 server sends for a request URI it cannot parse: a plain
 * `400 Bad Request` that closes the connection. Go sends it before any handler runs, so the
 * Audit-Id header that audit init already set is removed.
 */
function writeUnparsableURI(ctx: Context): void {
  ctx.remove('Audit-Id');
  ctx.status = 400;
  ctx.set('Content-Type', 'text/plain; charset=utf-8');
  // HTTP/2 forbids the Connection header. NOTE: Go's HTTP/2 server resets the stream instead.
  if (ctx.req.httpVersionMajor < 2) ctx.set('Connection', 'close');
  ctx.body = '400 Bad Request';
}

/**
 * Resolves the request info (API or non-resource path, group, version, namespace, resource,
 * name, subresource, verb) once, from the decoded URL path, and stores it in the request
 * context for every later filter. Mirrors kube-apiserver's WithRequestInfo, and records the
 * arrival time like WithRequestReceivedTimestamp. A path with an invalid percent escape gets
 * Go's plain-text 400, and a path it cannot resolve gets kube-apiserver's plain-text 500.
 */
export function withRequestInfo(now: () => number = Date.now): Middleware {
  return async function requestInfo(ctx: Context, next: Next): Promise<void> {
    setReceivedAt(ctx, now());
    const query = new URLSearchParams(ctx.querystring);
    try {
      setRequestInfo(ctx, resolveRequestInfo(ctx.path, query, ctx.method));
    } catch (err) {
      if (err instanceof InvalidPathEscapeError) {
        writeUnparsableURI(ctx);
        return;
      }
      if (!(err instanceof RequestInfoError)) throw err;
      writeInternalError(ctx, `failed to create RequestInfo: ${err.message}`);
      return;
    }
    await next();
  };
}
