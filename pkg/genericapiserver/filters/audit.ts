import type { Context, Middleware, Next } from 'koa';
import type { AuditBackend } from '../../audit/event.js';
import { auditIDOf, buildAuditEvent, sourceIPOf } from '../../audit/request.js';
import {
  impersonatedByFrom,
  mustUser,
  receivedAtFrom,
  requestInfoFrom,
  userFrom,
} from '../request/context.js';

/**
 * Records one audit event when the response to the request is complete. The Audit-Id response
 * header carries the event's ID so a client can find its request in the log.
 */
function auditOnCompletion(ctx: Context, backend: AuditBackend, authenticated: boolean): void {
  const auditID = auditIDOf(ctx);
  ctx.set('Audit-Id', auditID);
  const receivedAtMs = receivedAtFrom(ctx) ?? Date.now();
  const sourceIP = sourceIPOf(ctx);
  ctx.res.once('close', () => {
    const original = impersonatedByFrom(ctx);
    const current = authenticated ? userFrom(ctx) : undefined;
    backend.processEvent(
      buildAuditEvent(ctx, {
        auditID,
        info: requestInfoFrom(ctx),
        user: original ?? current,
        impersonatedUser: original === undefined ? undefined : current,
        receivedAtMs,
        sourceIP,
        code: ctx.status,
      }),
    );
  });
}

/**
 * Audits every authenticated request, as kube-apiserver's WithAudit does. It runs after
 * authentication so the event names the user, and before impersonation so the event keeps the
 * user who sent the request, with the impersonated one beside it.
 */
export function withAudit(backend: AuditBackend): Middleware {
  return async function audit(ctx: Context, next: Next): Promise<void> {
    mustUser(ctx);
    auditOnCompletion(ctx, backend, true);
    await next();
  };
}

/**
 * Audits a request that failed authentication, as kube-apiserver's
 * WithFailedAuthenticationAudit does for the 401 handler. The event's user is empty.
 */
export function auditFailedAuthentication(backend: AuditBackend): (ctx: Context) => void {
  return (ctx) => auditOnCompletion(ctx, backend, false);
}
