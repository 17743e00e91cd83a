import type { Context, Middleware, Next } from 'koa';
import type winston from 'winston';
import { attributesFrom } from '../../auth/authorizer/attributes.js';
import type { Authorizer } from '../../auth/authorizer/interfaces.js';
import { forbiddenError } from '../../endpoints/responsewriters/forbidden.js';
import { writeInternalError, writeStatusError } from '../../endpoints/responsewriters/writers.js';
import { mustRequestInfo, mustUser } from '../request/context.js';

/**
 * Asks the authorizer about every request, as kube-apiserver's WithAuthorization does. Only an
 * explicit allow passes: a deny and a "no opinion" both get the 403 `Status`, and an authorizer
 * that fails gets kube-apiserver's plain-text 500.
 */
export function withAuthorization(authorizer: Authorizer, logger: winston.Logger): Middleware {
  return async function authorization(ctx: Context, next: Next): Promise<void> {
    const attributes = attributesFrom(mustUser(ctx), mustRequestInfo(ctx));
    let result;
    try {
      result = await authorizer.authorize(attributes);
    } catch (err) {
      logger.error('authorizer failed', { user: attributes.user.name, path: ctx.path, err });
      writeInternalError(ctx, (err as Error).message);
      return;
    }
    if (result.decision === 'allow') {
      await next();
      return;
    }
    logger.debug('request forbidden', {
      user: attributes.user.name,
      verb: attributes.verb,
      path: ctx.path,
      decision: result.decision,
      reason: result.reason,
    });
    writeStatusError(ctx, forbiddenError(attributes, result.reason));
  };
}
