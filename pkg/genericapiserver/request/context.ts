import type { Context } from 'koa';
import type { UserInfo } from '../../auth/user/user.js';
import type { RequestInfo } from './requestinfo.js';

/**
 * Typed accessors for what filters hand to later filters through the request context. Filters
 * never read each other's fields from ctx.state directly, so a missing value is caught here.
 */

const REQUEST_INFO = Symbol('requestInfo');
const USER = Symbol('user');
const IMPERSONATED_BY = Symbol('impersonatedBy');
const RECEIVED_AT = Symbol('receivedAt');

interface RequestState {
  [REQUEST_INFO]?: RequestInfo;
  [USER]?: UserInfo;
  [IMPERSONATED_BY]?: UserInfo;
  [RECEIVED_AT]?: number;
}

function stateOf(ctx: Context): RequestState {
  const state: RequestState = ctx.state;
  return state;
}

/** Thrown when a filter runs before the filter that provides what it needs. */
export class ChainMiswiredError extends Error {
  constructor(missing: string) {
    super(`no ${missing} found in the request context: the handler chain is miswired`);
    this.name = 'ChainMiswiredError';
  }
}

export function setRequestInfo(ctx: Context, info: RequestInfo): void {
  stateOf(ctx)[REQUEST_INFO] = info;
}

/** Returns the request info, or undefined before the request info filter ran. */
export function requestInfoFrom(ctx: Context): RequestInfo | undefined {
  return stateOf(ctx)[REQUEST_INFO];
}

/** Returns the request info, or throws ChainMiswiredError. */
export function mustRequestInfo(ctx: Context): RequestInfo {
  const info = requestInfoFrom(ctx);
  if (info === undefined) throw new ChainMiswiredError('request info');
  return info;
}

/** Sets the user the request acts as; impersonation replaces the authenticated user here. */
export function setUser(ctx: Context, user: UserInfo): void {
  stateOf(ctx)[USER] = user;
}

/** Returns the user, or undefined before authentication. */
export function userFrom(ctx: Context): UserInfo | undefined {
  return stateOf(ctx)[USER];
}

/** Returns the user, or throws ChainMiswiredError. */
export function mustUser(ctx: Context): UserInfo {
  const user = userFrom(ctx);
  if (user === undefined) throw new ChainMiswiredError('user');
  return user;
}

/** Records the user who sent the request when impersonation replaced it. */
export function setImpersonatedBy(ctx: Context, original: UserInfo): void {
  stateOf(ctx)[IMPERSONATED_BY] = original;
}

/** Returns the user who sent an impersonated request, or undefined. */
export function impersonatedByFrom(ctx: Context): UserInfo | undefined {
  return stateOf(ctx)[IMPERSONATED_BY];
}

export function setReceivedAt(ctx: Context, epochMs: number): void {
  stateOf(ctx)[RECEIVED_AT] = epochMs;
}

/** Returns when the request arrived, in milliseconds since the epoch. */
export function receivedAtFrom(ctx: Context): number | undefined {
  return stateOf(ctx)[RECEIVED_AT];
}
