import type { Context, Middleware, Next } from 'koa';
import { setReceivedAt, setRequestInfo } from '../request/context.js';
import { writeInternalError } from '../../endpoints/responsewriters/writers.js';
import { RequestInfoError, resolveRequestInfo } from '../request/requestinfo.js';

/**
 * Resolves the request info (API or non-resource path, group, version, namespace, resource,
 * name, subresource, verb) once, and stores it in the request context for every later filter.
 * Mirrors kube-apiserver's WithRequestInfo, and records the arrival time like
 * WithRequestReceivedTimestamp. A path it cannot resolve gets kube-apiserver's plain-text 500.
 */
export function withRequestInfo(now: () => number = Date.now): Middleware {
  return async function requestInfo(ctx: Context, next: Next): Promise<void> {
    setReceivedAt(ctx, now());
    const query = new URLSearchParams(ctx.querystring);
    try {
      setRequestInfo(ctx, resolveRequestInfo(ctx.path, query, ctx.method));
    } catch (err) {
      if (!(err instanceof RequestInfoError)) throw err;
      writeInternalError(ctx, `failed to create RequestInfo: ${err.message}`);
      return;
    }
    await next();
  };
}
