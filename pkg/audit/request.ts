import type { Context } from 'koa';
import { tlsSocketOf } from '../auth/authenticator/request_view.js';
import type { UserInfo } from '../auth/user/user.js';
import type { RequestInfo } from '../genericapiserver/request/requestinfo.js';
import { writtenStatusOf } from '../endpoints/responsewriters/writers.js';
import { auditAnnotationsFrom } from './context.js';
import type { AuditEvent, AuditUser, ObjectReference, ResponseStatus } from './event.js';

/** Converts a UserInfo to the audit event's user, leaving out empty fields. */
export function auditUserOf(user: UserInfo): AuditUser {
  const audit: AuditUser = { username: user.name };
  if (user.uid !== '') audit.uid = user.uid;
  if (user.groups.length > 0) audit.groups = [...user.groups];
  if (Object.keys(user.extra).length > 0) {
    audit.extra = Object.fromEntries(
      Object.entries(user.extra).map(([key, values]) => [key, [...values]]),
    );
  }
  return audit;
}

function objectRefOf(info: RequestInfo): ObjectReference | undefined {
  if (!info.isResourceRequest) return undefined;
  const ref: ObjectReference = {};
  if (info.resource !== '') ref.resource = info.resource;
  if (info.namespace !== '') ref.namespace = info.namespace;
  if (info.name !== '') ref.name = info.name;
  ref.apiGroup = info.apiGroup;
  ref.apiVersion = info.apiVersion;
  if (info.subresource !== '') ref.subresource = info.subresource;
  return ref;
}

/** Fields describing one finished request, for building its audit event. */
export interface CompletedRequest {
  auditID: string;
  info: RequestInfo | undefined;
  user: UserInfo | undefined;
  impersonatedUser: UserInfo | undefined;
  receivedAtMs: number;
  sourceIP: string;
  code: number;
}

/** Copies status, message and reason of a `Status` response, as kube-apiserver's audit does. */
function responseStatusOf(ctx: Context, code: number): ResponseStatus {
  const status = writtenStatusOf(ctx);
  if (status === undefined) return { metadata: {}, code };
  return {
    metadata: {},
    status: status.status,
    message: status.message,
    reason: status.reason,
    code,
  };
}

/**
 * Returns the client's IP address for HTTP/1.1 and HTTP/2 requests alike. Call it while the
 * request is being served: an HTTP/2 session may release its socket once the response closes.
 */
export function sourceIPOf(ctx: Context): string {
  return tlsSocketOf(ctx.req)?.remoteAddress ?? ctx.req.socket.remoteAddress ?? '';
}

/** Builds the ResponseComplete event of a finished request at Metadata level. */
export function buildAuditEvent(ctx: Context, request: CompletedRequest): AuditEvent {
  const userAgent = ctx.get('User-Agent');
  // Built in kube-apiserver's field order; undefined fields are left out by JSON.stringify.
  const event: AuditEvent = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: request.auditID,
    stage: 'ResponseComplete',
    requestURI: ctx.originalUrl,
    verb: request.info?.verb ?? ctx.method.toLowerCase(),
    user: request.user === undefined ? {} : auditUserOf(request.user),
    impersonatedUser:
      request.impersonatedUser === undefined ? undefined : auditUserOf(request.impersonatedUser),
    sourceIPs: [request.sourceIP],
    userAgent: userAgent === '' ? undefined : userAgent,
    objectRef: request.info === undefined ? undefined : objectRefOf(request.info),
    responseStatus: responseStatusOf(ctx, request.code),
    requestReceivedTimestamp: new Date(request.receivedAtMs).toISOString(),
    stageTimestamp: new Date().toISOString(),
    annotations: auditAnnotationsFrom(ctx),
  };
  return event;
}
