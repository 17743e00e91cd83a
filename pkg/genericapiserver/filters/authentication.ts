import type { Context, Middleware, Next } from 'koa';
import type winston from 'winston';
import type {
  AuthenticationResult,
  RequestAuthenticator,
} from '../../auth/authenticator/interfaces.js';
import { authenticationRequestFrom } from '../../auth/authenticator/request_view.js';
import { newUnauthorized } from '../../apiserver/errors/statuserror.js';
import { writeStatusError } from '../../endpoints/responsewriters/writers.js';
import { setUser } from '../request/context.js';
import { deleteRequestHeader, deleteRequestHeaders } from '../request/headers.js';
import type { AuthenticationMetrics } from './authentication_metrics.js';

/** Options of the authentication filter. */
export interface AuthenticationOptions {
  /** The whole authenticator: the union of every configured one, the group adder, anonymous. */
  authenticator: RequestAuthenticator;
  /**
   * --api-audiences. When set, a credential whose audiences share none of them is rejected.
   * Authenticators that do not report audiences are accepted.
   */
  apiAudiences: readonly string[];
  metrics: AuthenticationMetrics;
  logger: winston.Logger;
  /** Called before the 401 is written, so the failed attempt is audited. */
  onFailure?: (ctx: Context) => void;
  /**
   * Headers that carried credentials besides Authorization, such as the front proxy's
   * X-Remote-User, removed after success so no later handler can read them.
   */
  credentialHeaders?: (lowerCaseName: string) => boolean;
  /** WWW-Authenticate value of the 401, set when basic authentication is on. */
  challenge?: string;
}

/** Returns true when an authenticated credential was issued for one of the server's audiences. */
export function audiencesMatch(
  apiAudiences: readonly string[],
  credentialAudiences: readonly string[] | undefined,
): boolean {
  if (apiAudiences.length === 0 || credentialAudiences === undefined) return true;
  if (credentialAudiences.length === 0) return true;
  return credentialAudiences.some((audience) => apiAudiences.includes(audience));
}

async function runAuthenticator(
  authenticator: RequestAuthenticator,
  ctx: Context,
): Promise<AuthenticationResult | Error> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  ctx.req.once('close', abort);
  try {
    return await authenticator.authenticateRequest(
      authenticationRequestFrom(ctx.req, controller.signal),
    );
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    ctx.req.off('close', abort);
  }
}

/**
 * Authenticates every request, as kube-apiserver's WithAuthentication does: on success the user
 * goes into the request context and the Authorization header is removed, so no later handler
 * sees the credential; otherwise the client gets a 401 `Status` with reason Unauthorized.
 * Anonymous access is the authenticator's decision (it is the last member of the union), not
 * this filter's.
 */
export function withAuthentication(options: AuthenticationOptions): Middleware {
  const { authenticator, apiAudiences, metrics, logger, onFailure } = options;
  const credentialHeaders = options.credentialHeaders;
  return async function authentication(ctx: Context, next: Next): Promise<void> {
    const startedAt = process.hrtime.bigint();
    const result = await runAuthenticator(authenticator, ctx);
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;

    if (result instanceof Error) {
      metrics.record('error', seconds);
      logger.error('unable to authenticate the request', { path: ctx.path, err: result });
    } else if (result.kind === 'rejected') {
      metrics.record('failure', seconds);
      logger.debug('unable to authenticate the request', { path: ctx.path, reason: result.reason });
    } else if (result.kind === 'notApplicable') {
      metrics.record('failure', seconds);
      logger.debug('request carried no credentials', { path: ctx.path });
    } else if (!audiencesMatch(apiAudiences, result.audiences)) {
      metrics.record('failure', seconds);
      logger.debug('credential audiences do not match --api-audiences', { path: ctx.path });
    } else {
      metrics.record('success', seconds, result.user.name);
      deleteRequestHeader(ctx.req, 'authorization');
      if (credentialHeaders !== undefined) deleteRequestHeaders(ctx.req, credentialHeaders);
      setUser(ctx, result.user);
      await next();
      return;
    }

    onFailure?.(ctx);
    if (options.challenge !== undefined) ctx.set('WWW-Authenticate', options.challenge);
    writeStatusError(ctx, newUnauthorized());
  };
}
