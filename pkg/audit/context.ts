import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';

/**
 * Per-request audit state, as kube-apiserver keeps it in k8s.io/apiserver/pkg/audit/context.go:
 * the audit ID that audit init picks, and the annotations that filters add for the event.
 */

const AUDIT_ID = Symbol('auditID');
const AUDIT_ANNOTATIONS = Symbol('auditAnnotations');

interface AuditState {
  [AUDIT_ID]?: string;
  [AUDIT_ANNOTATIONS]?: Record<string, string>;
}

function stateOf(ctx: Context): AuditState {
  const state: AuditState = ctx.state;
  return state;
}

/** Request and response header that carries the audit ID. */
export const AUDIT_ID_HEADER = 'Audit-Id';

/**
 * Returns the request's audit ID, choosing it on the first call: the client's Audit-ID header
 * when it is not empty, otherwise a new UUID. Later calls return the same ID.
 */
export function ensureAuditID(ctx: Context): string {
  const state = stateOf(ctx);
  if (state[AUDIT_ID] === undefined) {
    const sent = ctx.get(AUDIT_ID_HEADER);
    state[AUDIT_ID] = sent !== '' ? sent : randomUUID();
  }
  return state[AUDIT_ID];
}

/**
 * Adds an annotation to the request's audit event. Like kube-apiserver, the first value of a
 * key is kept and a different later value is dropped.
 */
export function addAuditAnnotation(ctx: Context, key: string, value: string): void {
  const state = stateOf(ctx);
  const annotations = (state[AUDIT_ANNOTATIONS] ??= {});
  if (!(key in annotations)) annotations[key] = value;
}

/** Returns a copy of the request's audit annotations, or undefined when none were added. */
export function auditAnnotationsFrom(ctx: Context): Record<string, string> | undefined {
  const annotations = stateOf(ctx)[AUDIT_ANNOTATIONS];
  return annotations === undefined ? undefined : { ...annotations };
}
