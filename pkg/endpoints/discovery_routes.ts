import type Router from '@koa/router';
import type { Context } from 'koa';
import { newPathNotFound } from '../apiserver/errors/statuserror.js';
import { aggregatedDiscovery, aggregatedDiscoveryHeaders } from './discovery/aggregated.js';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery/legacy.js';
import { negotiateDiscovery } from './discovery/negotiation.js';
import type { ServedResource } from './discovery/served.js';
import { negotiateOpenAPIV2, openAPIV2, openAPIV2SecurityDefinitions } from './openapi/v2.js';
import { openAPIV3GroupVersion, openAPIV3Root } from './openapi/v3.js';
import { writeJSON } from './responsewriters/writers.js';

function serveDocument(ctx: Context, document: object | undefined): void {
  if (document === undefined) throw newPathNotFound();
  writeJSON(ctx, 200, document);
}

/**
 * Serves /api or /apis: aggregated discovery (apidiscovery.k8s.io/v2 or v2beta1) when the
 * Accept header requests it, as kubectl 1.32 does, and the legacy document otherwise.
 */
function serveRootDiscovery(
  ctx: Context,
  served: readonly ServedResource[],
  root: 'api' | 'apis',
): void {
  const negotiated = negotiateDiscovery(ctx.get('Accept'));
  if (negotiated === 'legacy') {
    writeJSON(ctx, 200, root === 'api' ? apiVersions(served) : apiGroupList(served));
    return;
  }
  const version = negotiated === 'aggregated-v2' ? 'v2' : 'v2beta1';
  const body = JSON.stringify(aggregatedDiscovery(served, root, version));
  const headers = aggregatedDiscoveryHeaders(body, version);
  ctx.set(headers);
  if (ctx.get('If-None-Match') !== '' && ctx.get('If-None-Match') === headers.ETag) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.body = body;
}

/**
 * Serves /openapi/v2 as JSON to clients that accept it. kubectl requests protobuf only, which
 * this server cannot encode, so it gets kube-openapi's answer for an unacceptable type: 406
 * with an empty body. kubectl's apply ignores that and uses its built-in types.
 */
function serveOpenAPIV2(
  ctx: Context,
  served: readonly ServedResource[],
  securityDefinitions: Record<string, object>,
): void {
  ctx.set('Vary', 'Accept');
  if (negotiateOpenAPIV2(ctx.get('Accept')) !== 'json') {
    ctx.status = 406;
    ctx.body = '';
    return;
  }
  writeJSON(ctx, 200, openAPIV2(served, securityDefinitions));
}

/** Serves a v3 group-version document byte for byte as hashed in the root's links. */
function serveOpenAPIV3GroupVersion(
  ctx: Context,
  served: readonly ServedResource[],
  group: string,
  version: string,
): void {
  const document = openAPIV3GroupVersion(served, group, version);
  if (document === undefined) throw newPathNotFound();
  ctx.status = 200;
  ctx.set('Content-Type', 'application/json');
  ctx.set('Cache-Control', 'public, immutable');
  ctx.body = JSON.stringify(document);
}

/** Options of the discovery and OpenAPI routes. */
export interface DiscoveryOptions {
  served: readonly ServedResource[];
  /** True when basic authentication is on, so /openapi/v2 publishes HTTPBasic. */
  basicAuthEnabled: boolean;
}

/** Adds /api, /apis, their group and version documents, /openapi/v2 and /openapi/v3 routes. */
export function addDiscoveryRoutes(router: Router, options: DiscoveryOptions): void {
  const { served } = options;
  router.get('/api', (ctx) => serveRootDiscovery(ctx, served, 'api'));
  router.get('/api/:version', (ctx) =>
    serveDocument(ctx, apiResourceList(served, '', ctx.params.version!)),
  );
  router.get('/apis', (ctx) => serveRootDiscovery(ctx, served, 'apis'));
  router.get('/apis/:group', (ctx) =>
    serveDocument(ctx, apiGroupDocument(served, ctx.params.group!)),
  );
  router.get('/apis/:group/:version', (ctx) =>
    serveDocument(ctx, apiResourceList(served, ctx.params.group!, ctx.params.version!)),
  );
  const securityDefinitions = openAPIV2SecurityDefinitions({
    basicAuthEnabled: options.basicAuthEnabled,
  });
  router.get('/openapi/v2', (ctx) => serveOpenAPIV2(ctx, served, securityDefinitions));
  router.get('/openapi/v3', (ctx) => writeJSON(ctx, 200, openAPIV3Root(served)));
  router.get('/openapi/v3/api/:version', (ctx) =>
    serveOpenAPIV3GroupVersion(ctx, served, '', ctx.params.version!),
  );
  router.get('/openapi/v3/apis/:group/:version', (ctx) =>
    serveOpenAPIV3GroupVersion(ctx, served, ctx.params.group!, ctx.params.version!),
  );
}
