import type Router from '@koa/router';
import type { Context } from 'koa';
import { StatusError } from '../apiserver/errors/statuserror.js';
import type { ServiceAccountServing } from '../genericapiserver/server/config.js';
import type { RequestInfo } from '../genericapiserver/request/requestinfo.js';
import type { ResourceRegistry } from '../registry/registry.js';
import type { StoredObject } from '../storage/interfaces.js';
import { createOIDCDiscoveryHandlers } from './handlers/oidc_discovery.js';
import { serveTokenRequest, type TokenRequestHandlerOptions } from './handlers/tokenrequest.js';

/** Returns an object of a core resource, or undefined when it does not exist. */
async function getCoreObject(
  resources: ResourceRegistry,
  resource: string,
  namespace: string,
  name: string,
): Promise<StoredObject | undefined> {
  const store = resources.lookup('', 'v1', resource);
  if (store === undefined) return undefined;
  try {
    return await store.get(namespace, name);
  } catch (err) {
    if (err instanceof StatusError && err.code === 404) return undefined;
    throw err;
  }
}

/**
 * Builds the handler of the serviceaccounts/token subresource (TokenRequest, which
 * `kubectl create token` calls), or undefined when no signing key is configured.
 */
export function tokenRequestServer(
  serving: ServiceAccountServing | undefined,
  resources: ResourceRegistry,
  apiAudiences: readonly string[],
): ((ctx: Context, info: RequestInfo) => Promise<void>) | undefined {
  const issuer = serving?.tokenIssuer;
  if (issuer === undefined) return undefined;
  const options: TokenRequestHandlerOptions = {
    issuer,
    apiAudiences,
    maxExpirationSeconds: serving?.maxExpirationSeconds,
    getServiceAccount: (namespace, name) =>
      getCoreObject(resources, 'serviceaccounts', namespace, name),
    getBoundObject: (kind, namespace, name) =>
      getCoreObject(resources, kind === 'Pod' ? 'pods' : 'secrets', namespace, name),
  };
  return (ctx, info) => serveTokenRequest(ctx, info.namespace, info.name, options);
}

/** Returns true for POST /api/v1/namespaces/NS/serviceaccounts/NAME/token. */
export function isTokenRequest(info: RequestInfo): boolean {
  return (
    info.isResourceRequest &&
    info.apiGroup === '' &&
    info.resource === 'serviceaccounts' &&
    info.subresource === 'token' &&
    info.verb === 'create'
  );
}

/** Adds the service account issuer's discovery routes when discovery is on. */
export function addIssuerDiscoveryRoutes(
  router: Router,
  serving: ServiceAccountServing | undefined,
): void {
  if (serving?.openIDMetadata === undefined) return;
  const handlers = createOIDCDiscoveryHandlers(serving.openIDMetadata);
  router.get('/.well-known/openid-configuration', (ctx) => handlers.serveConfiguration(ctx));
  router.get('/openid/v1/jwks', (ctx) => handlers.serveKeySet(ctx));
}
