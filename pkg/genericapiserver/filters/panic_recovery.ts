import type { Context, Middleware, Next } from 'koa';
import type winston from 'winston';
import { writePlainTextError } from '../../endpoints/responsewriters/writers.js';

/** The plain-text body kube-apiserver sends when a handler panics. */
export const PANIC_MESSAGE =
  'This request caused apiserver to panic. Look in the logs for details.';

/**
 * Recovers from any error a later filter or handler throws, as kube-apiserver's
 * WithPanicRecovery recovers from a panic: the client gets a plain-text 500, the stack is
 * logged once, and the process and its other connections carry on.
 *
 * If the response has already started (a streamed body), no status can be sent any more, so the
 * connection is destroyed instead, as Go's http.ErrAbortHandler does.
 */
export function withPanicRecovery(logger: winston.Logger): Middleware {
  return async function panicRecovery(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      logger.error('request caused a panic', {
        method: ctx.method,
        path: ctx.path,
        err,
        stack: err instanceof Error ? err.stack : undefined,
      });
      if (ctx.headerSent) {
        ctx.req.socket.destroy();
        return;
      }
      writePlainTextError(ctx, 500, PANIC_MESSAGE);
    }
  };
}
