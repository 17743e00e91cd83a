import type { Context, Middleware, Next } from 'koa';
import type { AuditBackend } from '../../audit/event.js';
import { AUDIT_ID_HEADER, ensureAuditID } from '../../audit/context.js';
import { buildAuditEvent, sourceIPOf } from '../../audit/request.js';
import {
  impersonatedByFrom,
  mustUser,
  receivedAtFrom,
  requestInfoFrom,
  userFrom,
} from '../request/context.js';

/**
 * Chooses the request's audit ID (the client's Audit-ID header, or a new UUID) and returns it
 * in the Audit-Id response header, as kube-apiserver's WithAuditInit does for every request,
 * whether or not an audit log is configured.
 */
export function withAuditInit(): Middleware {
  return async function auditInit(ctx: Context, next: Next): Promise<void> {
    ctx.set(AUDIT_ID_HEADER, ensureAuditID(ctx));
    await next();
  };
}

/**
 * Records one audit event when the response to the request is complete. The event's ID is the
 * one in the Audit-Id response header, so a client can find its request in the log.
 */
function auditOnCompletion(ctx: Context, backend: AuditBackend, authenticated: boolean): void {
  const auditID = ensureAuditID(ctx);
  ctx.set(AUDIT_ID_HEADER, auditID);
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
