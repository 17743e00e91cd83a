import type { Context, Middleware, Next } from 'koa';
import type winston from 'winston';
import { addAuditAnnotation } from '../../audit/context.js';
import { attributesFrom } from '../../auth/authorizer/attributes.js';
import type { Authorizer } from '../../auth/authorizer/interfaces.js';
import { forbiddenError } from '../../endpoints/responsewriters/forbidden.js';
import { writeInternalError, writeStatusError } from '../../endpoints/responsewriters/writers.js';
import { mustRequestInfo, mustUser } from '../request/context.js';

/** Audit annotation keys and values of kube-apiserver 1.32's authorization filter. */
export const DECISION_ANNOTATION_KEY = 'authorization.k8s.io/decision';
export const REASON_ANNOTATION_KEY = 'authorization.k8s.io/reason';
const DECISION_ALLOW = 'allow';
const DECISION_FORBID = 'forbid';
/** The reason recorded for an authorizer that failed; its error stays out of the audit log. */
const REASON_ERROR = 'internal error';

/**
 * Asks the authorizer about every request, as kube-apiserver's WithAuthorization does. Only an
 * explicit allow passes: a deny and a "no opinion" both get the 403 `Status`, and an authorizer
 * that fails gets kube-apiserver's plain-text 500. The decision and the authorizer's reason
 * (empty when it gave none) go to the audit event as annotations; a failure records only the
 * reason `internal error`.
 */
export function withAuthorization(authorizer: Authorizer, logger: winston.Logger): Middleware {
  return async function authorization(ctx: Context, next: Next): Promise<void> {
    const attributes = attributesFrom(mustUser(ctx), mustRequestInfo(ctx));
    let result;
    try {
      result = await authorizer.authorize(attributes);
    } catch (err) {
      addAuditAnnotation(ctx, REASON_ANNOTATION_KEY, REASON_ERROR);
      logger.error('authorizer failed', { user: attributes.user.name, path: ctx.path, err });
      writeInternalError(ctx, (err as Error).message);
      return;
    }
    if (result.decision === 'allow') {
      addAuditAnnotation(ctx, DECISION_ANNOTATION_KEY, DECISION_ALLOW);
      addAuditAnnotation(ctx, REASON_ANNOTATION_KEY, result.reason);
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
    addAuditAnnotation(ctx, DECISION_ANNOTATION_KEY, DECISION_FORBID);
    addAuditAnnotation(ctx, REASON_ANNOTATION_KEY, result.reason);
    writeStatusError(ctx, forbiddenError(attributes, result.reason));
  };
}
