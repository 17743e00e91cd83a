import type { Middleware } from 'koa';
import type { Registry } from 'prom-client';
import type winston from 'winston';
import type { AuditBackend } from '../audit/event.js';
import type { RequestAuthenticator } from '../auth/authenticator/interfaces.js';
import type { Authorizer } from '../auth/authorizer/interfaces.js';
import { requestMetricsFor } from '../endpoints/metrics/metrics.js';
import { auditFailedAuthentication, withAudit, withAuditInit } from './filters/audit.js';
import { withAuthentication } from './filters/authentication.js';
import { AuthenticationMetrics } from './filters/authentication_metrics.js';
import { withAuthorization } from './filters/authorization.js';
import { withCORS } from './filters/cors.js';
import { withImpersonation } from './filters/impersonation.js';
import type { LongRunningFunc } from './filters/long_running.js';
import { withMaxInFlightLimit } from './filters/max_in_flight.js';
import { withPanicRecovery } from './filters/panic_recovery.js';
import { withRequestInfo } from './filters/request_info.js';
import { withTimeout } from './filters/timeout.js';

/** One filter of the chain, named so logs, tests and docs can refer to it. */
export interface ChainFilter {
  readonly name: string;
  readonly middleware: Middleware;
}

/** The parts of the server configuration that the handler chain uses. */
export interface HandlerChainConfig {
  logger: winston.Logger;
  registry: Registry;
  authenticator: RequestAuthenticator;
  /** Credential headers to remove after authentication, besides Authorization. */
  credentialHeaders?: (lowerCaseName: string) => boolean;
  /** WWW-Authenticate value of a 401, set when basic authentication is on. */
  authenticationChallenge?: string;
  authorizer: Authorizer;
  apiAudiences: readonly string[];
  auditBackend: AuditBackend | undefined;
  corsAllowedOrigins: readonly RegExp[];
  requestTimeoutMs: number;
  longRunning: LongRunningFunc;
  maxRequestsInFlight: number;
  maxMutatingRequestsInFlight: number;
}

function component(config: HandlerChainConfig, name: string): winston.Logger {
  return config.logger.child({ component: name });
}

/**
 * Filter state that the secure and insecure chains share: one set of authentication metrics and
 * one pair of in-flight limits for the whole server, as both ports serve the same process.
 */
export interface SharedFilters {
  authenticationMetrics: AuthenticationMetrics;
  /** Undefined when both in-flight limits are 0, which turns the filter off. */
  maxInFlight: Middleware | undefined;
}

/** Creates the shared filter state and registers its metrics into `config.registry`. */
export function newSharedFilters(config: HandlerChainConfig): SharedFilters {
  const limited = config.maxRequestsInFlight > 0 || config.maxMutatingRequestsInFlight > 0;
  return {
    authenticationMetrics: new AuthenticationMetrics(config.registry),
    maxInFlight: limited
      ? withMaxInFlightLimit({
          maxRequestsInFlight: config.maxRequestsInFlight,
          maxMutatingRequestsInFlight: config.maxMutatingRequestsInFlight,
          longRunning: config.longRunning,
          registry: config.registry,
        })
      : undefined,
  };
}

/**
 * Builds the secure port's filters in request order, outermost first, as current
 * kube-apiserver's DefaultBuildHandlerChain wraps them. Koa runs `use`d middleware in the order
 * given, so this list is also the order the server installs them in. Filters that have nothing
 * to do with the given configuration (CORS without origins, max-in-flight without limits, audit
 * without a log) are left out, as kube-apiserver leaves them out. Audit init is always in.
 *
 * Why each filter sits where it does:
 * - audit init is outermost, so every response, a panic's 500 and a 401 included, carries the
 *   Audit-Id header, and the audit event reuses that ID;
 * - panic recovery comes next, so a failure anywhere below still gets a response;
 * - request info comes next, because every later filter reads the verb and resource from it;
 * - timeout follows, so it can exempt long-running requests using the request info, and bounds
 *   the time spent in authentication and authorization too;
 * - CORS responds to preflights before authentication, because browsers send them without
 *   credentials;
 * - audit follows authentication, so the event names the user, and precedes impersonation, so
 *   the event keeps the real user beside the impersonated one;
 * - max-in-flight runs once the final user is known, so system:masters can be exempt;
 * - authorization is last, deciding for the user the request finally acts as.
 *
 * What moved since kube-apiserver 1.5/1.6: those releases ran max-in-flight and the timeout
 * outermost, before request info and authentication. The limit could not tell an administrator
 * from anyone else then, so an overloaded server also locked out the people who could fix it;
 * and the timeout could not see which requests were long-running. Moving both inside request
 * info and authentication (max-in-flight later became priority and fairness, which classifies
 * by user) fixed that.
 */
export function defaultBuildHandlerChain(
  config: HandlerChainConfig,
  shared: SharedFilters = newSharedFilters(config),
): ChainFilter[] {
  const audit = config.auditBackend;
  const chain: ChainFilter[] = [
    { name: 'auditInit', middleware: withAuditInit() },
    { name: 'panicRecovery', middleware: withPanicRecovery(component(config, 'panic-recovery')) },
    { name: 'requestInfo', middleware: withRequestInfo() },
    {
      name: 'timeout',
      middleware: withTimeout({
        requestTimeoutMs: config.requestTimeoutMs,
        longRunning: config.longRunning,
        logger: component(config, 'timeout'),
        metrics: requestMetricsFor(config.registry),
      }),
    },
  ];
  if (config.corsAllowedOrigins.length > 0) {
    chain.push({ name: 'cors', middleware: withCORS(config.corsAllowedOrigins) });
  }
  chain.push({
    name: 'authentication',
    middleware: withAuthentication({
      authenticator: config.authenticator,
      apiAudiences: config.apiAudiences,
      metrics: shared.authenticationMetrics,
      logger: component(config, 'authentication'),
      onFailure: audit === undefined ? undefined : auditFailedAuthentication(audit),
      credentialHeaders: config.credentialHeaders,
      challenge: config.authenticationChallenge,
    }),
  });
  if (audit !== undefined) chain.push({ name: 'audit', middleware: withAudit(audit) });
  chain.push({
    name: 'impersonation',
    middleware: withImpersonation(config.authorizer, component(config, 'impersonation')),
  });
  if (shared.maxInFlight !== undefined) {
    chain.push({ name: 'maxInFlight', middleware: shared.maxInFlight });
  }
  chain.push({
    name: 'authorization',
    middleware: withAuthorization(config.authorizer, component(config, 'authorization')),
  });
  return chain;
}

/**
 * Builds the insecure port's filters, as kube-apiserver's BuildInsecureHandlerChain did until
 * the insecure port was removed in 1.24: the generic filters and audit, with every request
 * authenticated as the insecure superuser and no authorization.
 */
export function buildInsecureHandlerChain(
  config: HandlerChainConfig,
  shared: SharedFilters,
  insecureAuthenticator: RequestAuthenticator,
): ChainFilter[] {
  const chain: ChainFilter[] = [
    { name: 'auditInit', middleware: withAuditInit() },
    { name: 'panicRecovery', middleware: withPanicRecovery(component(config, 'panic-recovery')) },
    { name: 'requestInfo', middleware: withRequestInfo() },
  ];
  if (shared.maxInFlight !== undefined) {
    chain.push({ name: 'maxInFlight', middleware: shared.maxInFlight });
  }
  chain.push({
    name: 'timeout',
    middleware: withTimeout({
      requestTimeoutMs: config.requestTimeoutMs,
      longRunning: config.longRunning,
      logger: component(config, 'timeout'),
      metrics: requestMetricsFor(config.registry),
    }),
  });
  if (config.corsAllowedOrigins.length > 0) {
    chain.push({ name: 'cors', middleware: withCORS(config.corsAllowedOrigins) });
  }
  chain.push({
    name: 'authentication',
    middleware: withAuthentication({
      authenticator: insecureAuthenticator,
      apiAudiences: [],
      metrics: shared.authenticationMetrics,
      logger: component(config, 'authentication'),
    }),
  });
  if (config.auditBackend !== undefined) {
    chain.push({ name: 'audit', middleware: withAudit(config.auditBackend) });
  }
  return chain;
}
