import type { Context } from 'koa';
import {
  failureStatus,
  newPathNotFound,
  StatusError,
} from '../../../apiserver/errors/statuserror.js';
import type { GenericStore } from '../../../registry/generic/store.js';
import type { RequestInfo } from '../../../genericapiserver/request/requestinfo.js';
import { serveGet, serveList, serveWatchRequest } from './read.js';
import type { RESTDependencies, RequestScope } from './scope.js';
import {
  serveCreate,
  serveDelete,
  serveDeleteCollection,
  servePatch,
  serveUpdate,
} from './write.js';

type Handler = (scope: RequestScope) => Promise<void>;

/** Handlers of the main resource by verb. */
const RESOURCE_HANDLERS: Record<string, Handler> = {
  get: serveGet,
  list: serveList,
  watch: serveWatchRequest,
  create: serveCreate,
  update: serveUpdate,
  patch: servePatch,
  delete: serveDelete,
  deletecollection: serveDeleteCollection,
};

/** Handlers of the status subresource by verb. */
const STATUS_HANDLERS: Record<string, Handler> = {
  get: serveGet,
  update: serveUpdate,
  patch: servePatch,
};

function methodNotAllowed(): StatusError {
  return new StatusError(
    failureStatus(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  );
}

/** Verbs that act on a collection rather than a named object. */
const COLLECTION_VERBS = new Set(['list', 'watch', 'create', 'deletecollection']);

/**
 * Picks the handler of a resource request, or throws the 404 or 405 kube-apiserver gives for a
 * path or method it does not serve.
 */
function handlerFor(info: RequestInfo, store: GenericStore): Handler {
  const { definition } = store;
  if (definition.namespaced && info.namespace === '' && !['list', 'watch'].includes(info.verb)) {
    throw newPathNotFound();
  }
  if (!definition.namespaced && info.namespace !== '' && definition.plural !== 'namespaces') {
    throw newPathNotFound();
  }
  if (info.subresource !== '') {
    if (info.subresource !== 'status' || !definition.subresources.includes('status'))
      throw newPathNotFound();
    const handler = STATUS_HANDLERS[info.verb];
    if (handler === undefined) throw methodNotAllowed();
    return handler;
  }
  // The name comes from the path here: a list narrowed by a metadata.name field selector also
  // has a name in its request info, but is still a collection request.
  const named = info.parts.length >= 2;
  const collectionVerb = COLLECTION_VERBS.has(info.verb);
  if (named && collectionVerb && info.verb !== 'watch') throw methodNotAllowed();
  if (!named && !collectionVerb) throw methodNotAllowed();
  const handler = RESOURCE_HANDLERS[info.verb];
  if (handler === undefined) throw methodNotAllowed();
  return handler;
}

/** Finds the store of a resource request by group, version and resource. */
export type StoreLookup = (
  group: string,
  version: string,
  resource: string,
) => GenericStore | undefined;

/**
 * Serves a resource request (get, list, watch, create, update, patch, delete,
 * deletecollection) from the store of its resource. Returns false when no store serves the
 * resource, so the caller can answer 404.
 */
export async function serveResourceRequest(
  ctx: Context,
  info: RequestInfo,
  lookup: StoreLookup,
  deps: RESTDependencies,
): Promise<boolean> {
  const store = lookup(info.apiGroup, info.apiVersion, info.resource);
  if (store === undefined) return false;
  const handler = handlerFor(info, store);
  await handler({ ctx, info, store, query: new URLSearchParams(ctx.querystring), deps });
  return true;
}
