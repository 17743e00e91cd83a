import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { Registry } from 'prom-client';
import type winston from 'winston';
import { failureStatus, newPathNotFound, StatusError } from '../apiserver/errors/statuserror.js';
import {
  serveHealth,
  serveSingleCheck,
  type HealthCheck,
} from '../genericapiserver/healthz/healthz.js';
import { addDiscoveryRoutes } from './discovery_routes.js';
import { SELF_SUBJECT_REVIEWS, TOKEN_REVIEWS } from './discovery/reviews.js';
import { createTokenReview } from './handlers/tokenreview.js';
import type { TokenAuthenticator } from '../auth/authenticator/interfaces.js';
import { servedResourcesFrom } from './discovery/served.js';
import { mustRequestInfo } from '../genericapiserver/request/context.js';
import type { ResourceRegistry } from '../registry/registry.js';
import { serveResourceRequest, type StoreLookup } from './handlers/rest/handler.js';
import type { RESTDependencies } from './handlers/rest/scope.js';
import { createSelfSubjectReview } from './handlers/selfsubjectreview.js';
import {
  addAuthorizationReviewRoutes,
  AUTHORIZATION_REVIEWS,
} from './handlers/authorization/routes.js';
import type { Authorizer, RuleResolver } from '../auth/authorizer/interfaces.js';
import type { ServiceAccountServing } from '../genericapiserver/server/config.js';
import {
  addIssuerDiscoveryRoutes,
  isTokenRequest,
  tokenRequestServer,
} from './service_account_routes.js';
import { writeStatus, writeStatusError } from './responsewriters/writers.js';
import { serveVersion } from './version.js';
import {
  APISERVER_COMPONENT,
  describeRequest,
  requestLabels,
  requestMetricsFor,
} from './metrics/metrics.js';

/** Options of the API handler: what it serves besides its fixed endpoints. */
export interface APIHandlerOptions {
  registry: Registry;
  /** The stores of the served resources. */
  resources: ResourceRegistry;
  /** Dependencies the REST handlers of those resources share. */
  rest: RESTDependencies;
  /** Service account token serving, when service account tokens are on. */
  serviceAccount: ServiceAccountServing | undefined;
  /** The audiences the API accepts, for tokens that name none. */
  apiAudiences: readonly string[];
  /** Token authenticator behind the TokenReview API, so this server can be another's webhook. */
  tokenAuthenticator: TokenAuthenticator;
  /** The authorizer chain of requests, which also decides the authorization.k8s.io access reviews. */
  authorizer: Authorizer;
  /** Lists rules for SelfSubjectRulesReview. Without it, every rules review is incomplete. */
  ruleResolver?: RuleResolver;
  /** True when basic authentication is on, so /openapi/v2 publishes HTTPBasic. */
  basicAuthEnabled: boolean;
  /** Checks of /healthz, /livez and /readyz, by endpoint name. */
  healthChecks: Record<'healthz' | 'livez' | 'readyz', readonly HealthCheck[]>;
  logger: winston.Logger;
}

/** Adds the health routes and returns their paths. */
function addHealthRoutes(router: Router, options: APIHandlerOptions): Set<string> {
  const { logger } = options;
  const paths = new Set<string>();
  for (const [endpoint, checks] of Object.entries(options.healthChecks)) {
    const onFailure = (name: string, err: Error): void => {
      logger.warn('health check failed', { endpoint, check: name, err });
    };
    router.get(`/${endpoint}`, (ctx) => serveHealth(ctx, endpoint, checks, onFailure));
    paths.add(`/${endpoint}`);
    for (const check of checks) {
      router.get(`/${endpoint}/${check.name}`, (ctx) => serveSingleCheck(ctx, check));
      paths.add(`/${endpoint}/${check.name}`);
    }
  }
  return paths;
}

/** Returns the status a request ended with, also when the handler wrote the response itself. */
function responseStatus(ctx: Context): number {
  return ctx.respond === false ? ctx.res.statusCode : ctx.status;
}

/** Writes a StatusError thrown by a handler; anything else goes on to panic recovery. */
async function withStatusErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    writeStatusError(ctx, err);
  }
}

/**
 * Builds the handler at the end of the chain: version, health, metrics, discovery and the
 * authentication and authorization review APIs. Unknown paths get kube-apiserver's 404
 * `Status`; a known path with a method it does not serve gets 405.
 */
export function buildAPIHandler(options: APIHandlerOptions): Middleware {
  const router = new Router();
  router.get('/version', serveVersion);
  const healthPaths = addHealthRoutes(router, options);
  router.get('/metrics', async (ctx) => {
    ctx.set('Content-Type', options.registry.contentType);
    ctx.body = await options.registry.metrics();
  });
  addDiscoveryRoutes(router, {
    served: servedResourcesFrom(
      options.resources.allStores.map((store) => store.definition),
      [SELF_SUBJECT_REVIEWS, TOKEN_REVIEWS, ...AUTHORIZATION_REVIEWS],
    ),
    basicAuthEnabled: options.basicAuthEnabled,
  });
  router.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', createSelfSubjectReview);
  router.post(
    '/apis/authentication.k8s.io/v1/tokenreviews',
    createTokenReview(options.tokenAuthenticator, { apiAudiences: options.apiAudiences }),
  );
  addAuthorizationReviewRoutes(router, {
    authorizer: options.authorizer,
    ruleResolver: options.ruleResolver,
    logger: options.logger,
  });
  addIssuerDiscoveryRoutes(router, options.serviceAccount);
  const serveToken = tokenRequestServer(
    options.serviceAccount,
    options.resources,
    options.apiAudiences,
  );

  const routes = router.routes();
  const lookup: StoreLookup = (group, version, resource) =>
    options.resources.lookup(group, version, resource);
  const metrics = requestMetricsFor(options.registry);
  return async function apiHandler(ctx: Context, next: Next): Promise<void> {
    // Like kube-apiserver, only requests that reach a route are counted: resource routes with
    // component "apiserver" and health checks with an empty component. Other non-resource
    // paths and the 404 and 405 below are not counted. A watch is counted once, when it ends,
    // because serving it resolves only then. A request that panics is not counted.
    // NOTE: after the timeout filter's 504, the handler keeps running and is counted when it
    // ends with the frozen 504, where kube-apiserver counts the code the handler wrote.
    const startedAt = performance.now();
    let component: string | undefined;
    await withStatusErrors(ctx, async () => {
      const info = mustRequestInfo(ctx);
      if (info.isResourceRequest) component = APISERVER_COMPONENT;
      else if (ctx.method === 'GET' && healthPaths.has(ctx.path)) component = '';
      if (serveToken !== undefined && isTokenRequest(info)) {
        await serveToken(ctx, info);
        return;
      }
      if (info.isResourceRequest && (await serveResourceRequest(ctx, info, lookup, options.rest))) {
        return;
      }
      await routes(ctx as Parameters<typeof routes>[0], next);
      if (ctx.body !== undefined || ctx.status !== 404) return;
      component = undefined;
      const matched = router.match(ctx.path, ctx.method);
      if (matched.path.length > 0 && !matched.route) {
        writeStatus(
          ctx,
          failureStatus(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
            {},
          ),
        );
        return;
      }
      writeStatusError(ctx, newPathNotFound());
    });
    if (component === undefined) return;
    const labels = requestLabels(mustRequestInfo(ctx), describeRequest(ctx), component);
    metrics.recordRequest(labels, responseStatus(ctx), (performance.now() - startedAt) / 1000);
  };
}
