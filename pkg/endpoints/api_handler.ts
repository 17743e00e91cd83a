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
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  type GroupVersionResources,
} from './discovery/legacy.js';
import { createSelfSubjectReview } from './handlers/selfsubjectreview.js';
import { writeJSON, writeStatus, writeStatusError } from './responsewriters/writers.js';
import { serveVersion } from './version.js';

/** What the API handler serves besides its fixed endpoints. */
export interface APIHandlerOptions {
  registry: Registry;
  /** Checks of /healthz, /livez and /readyz, by endpoint name. */
  healthChecks: Record<'healthz' | 'livez' | 'readyz', readonly HealthCheck[]>;
  logger: winston.Logger;
}

/** The group versions served in this release, with their resources. */
export const SERVED_GROUP_VERSIONS: GroupVersionResources[] = [
  { group: '', version: 'v1', resources: [] },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    resources: [
      {
        name: 'selfsubjectreviews',
        singularName: 'selfsubjectreview',
        namespaced: false,
        kind: 'SelfSubjectReview',
        verbs: ['create'],
      },
    ],
  },
];

function serveDocument(ctx: Context, document: object | undefined): void {
  if (document === undefined) throw newPathNotFound();
  writeJSON(ctx, 200, document);
}

function addHealthRoutes(router: Router, options: APIHandlerOptions): void {
  const { logger } = options;
  for (const [endpoint, checks] of Object.entries(options.healthChecks)) {
    const onFailure = (name: string, err: Error): void => {
      logger.warn('health check failed', { endpoint, check: name, err });
    };
    router.get(`/${endpoint}`, (ctx) => serveHealth(ctx, endpoint, checks, onFailure));
    for (const check of checks) {
      router.get(`/${endpoint}/${check.name}`, (ctx) => serveSingleCheck(ctx, check));
    }
  }
}

function addDiscoveryRoutes(router: Router): void {
  const served = SERVED_GROUP_VERSIONS;
  router.get('/api', (ctx) => writeJSON(ctx, 200, apiVersions(served)));
  router.get('/api/:version', (ctx) =>
    serveDocument(ctx, apiResourceList(served, '', ctx.params.version!)),
  );
  router.get('/apis', (ctx) => writeJSON(ctx, 200, apiGroupList(served)));
  router.get('/apis/:group', (ctx) =>
    serveDocument(ctx, apiGroupDocument(served, ctx.params.group!)),
  );
  router.get('/apis/:group/:version', (ctx) =>
    serveDocument(ctx, apiResourceList(served, ctx.params.group!, ctx.params.version!)),
  );
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
 * authentication review API. Unknown paths get kube-apiserver's 404 `Status`; a known path
 * with a method it does not serve gets 405.
 */
export function buildAPIHandler(options: APIHandlerOptions): Middleware {
  const router = new Router();
  router.get('/version', serveVersion);
  addHealthRoutes(router, options);
  router.get('/metrics', async (ctx) => {
    ctx.set('Content-Type', options.registry.contentType);
    ctx.body = await options.registry.metrics();
  });
  addDiscoveryRoutes(router);
  router.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', createSelfSubjectReview);

  const routes = router.routes();
  return async function apiHandler(ctx: Context, next: Next): Promise<void> {
    await withStatusErrors(ctx, async () => {
      await routes(ctx as Parameters<typeof routes>[0], next);
      if (ctx.body !== undefined || ctx.status !== 404) return;
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
  };
}
