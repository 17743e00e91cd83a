import type { Context } from 'koa';
import type { Status } from '../../apis/meta/v1/status.js';
import type { StatusError } from '../../apiserver/errors/statuserror.js';

/** User agents that get indented JSON unless ?pretty= sets otherwise, as in kube-apiserver. */
const PRETTY_USER_AGENTS = ['curl', 'Wget', 'Mozilla/5.0'];
const GO_TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

/**
 * Decides whether to indent JSON: ?pretty= when present, otherwise whether the client is a
 * person's tool (curl, wget, a browser).
 */
export function isPrettyPrint(ctx: Context): boolean {
  const pretty = new URLSearchParams(ctx.querystring).get('pretty');
  if (pretty !== null && pretty !== '') return GO_TRUE.has(pretty);
  const userAgent = ctx.get('User-Agent');
  return PRETTY_USER_AGENTS.some((prefix) => userAgent.startsWith(prefix));
}

/**
 * Writes a JSON object as the response. kube-apiserver negotiates the encoding from Accept; this
 * server always responds with JSON, which every client (kubectl included) lists as acceptable. Like
 * Go's json.Encoder, compact output ends with a newline and indented output does not.
 */
export function writeJSON(ctx: Context, code: number, object: unknown): void {
  ctx.status = code;
  ctx.set('Content-Type', 'application/json');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = isPrettyPrint(ctx) ? JSON.stringify(object, null, 2) : `${JSON.stringify(object)}\n`;
}

const writtenStatuses = new WeakMap<Context, Status>();

/** Writes a `Status` body with its own code as the HTTP status. */
export function writeStatus(ctx: Context, status: Status): void {
  writtenStatuses.set(ctx, status);
  writeJSON(ctx, status.code, status);
}

/** Returns the `Status` written as the response, so the audit event can record its reason. */
export function writtenStatusOf(ctx: Context): Status | undefined {
  return writtenStatuses.get(ctx);
}

/** Writes the `Status` of a StatusError. */
export function writeStatusError(ctx: Context, err: StatusError): void {
  writeStatus(ctx, err.status);
}

/**
 * Writes a plain-text error the way Go's http.Error does: the message and a newline, as
 * text/plain. kube-apiserver responds this way to panics and for max-in-flight rejections.
 */
export function writePlainTextError(ctx: Context, code: number, message: string): void {
  ctx.status = code;
  ctx.set('Content-Type', 'text/plain; charset=utf-8');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = `${message}\n`;
}

/**
 * Writes kube-apiserver's plain-text internal error, `Internal Server Error: "<uri>": <cause>`.
 * Used where kube-apiserver responds with responsewriters.InternalError, such as an authorizer
 * that failed.
 */
export function writeInternalError(ctx: Context, cause: string): void {
  const message = `Internal Server Error: ${JSON.stringify(ctx.originalUrl)}: ${cause}`;
  writePlainTextError(
    ctx,
    500,
    message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}
