import { newBadRequest } from '../../../apiserver/errors/statuserror.js';
import type { ListOptions } from '../../../registry/generic/store.js';
import { resourceVersionOf } from '../../../registry/generic/metadata.js';
import type { StoredObject } from '../../../storage/interfaces.js';
import { writeJSON } from '../../responsewriters/writers.js';
import { outputFormat } from './negotiation.js';
import type { RequestScope } from './scope.js';
import { buildTable, parseIncludeObject, type IncludeObject } from './table.js';
import { serveWatch, watchTimeoutMs } from './watch.js';

function includeObject(scope: RequestScope): IncludeObject {
  try {
    return parseIncludeObject(scope.query.get('includeObject'));
  } catch (err) {
    throw newBadRequest((err as Error).message);
  }
}

function wantsTable(scope: RequestScope): boolean {
  return outputFormat(scope.ctx.get('Accept')) === 'table';
}

/**
 * Reads list options from the query.
 * @throws StatusError 400 for a limit that is not a non-negative integer
 */
export function listOptionsOf(query: URLSearchParams): ListOptions {
  const limitText = query.get('limit');
  let limit: number | undefined;
  if (limitText !== null && limitText !== '') {
    if (!/^\d+$/.test(limitText))
      throw newBadRequest(`invalid limit: ${JSON.stringify(limitText)}`);
    limit = Number(limitText) === 0 ? undefined : Number(limitText);
  }
  return {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit,
    continueToken: query.get('continue') ?? undefined,
  };
}

/** Serves GET of one object, as the object or as a one-row Table. */
export async function serveGet(scope: RequestScope): Promise<void> {
  const object = await scope.store.get(scope.info.namespace, scope.info.name);
  if (wantsTable(scope)) {
    const resourceVersion = resourceVersionOf(object);
    writeJSON(
      scope.ctx,
      200,
      buildTable(scope.store.definition, [object], {
        include: includeObject(scope),
        resourceVersion,
      }),
    );
    return;
  }
  writeJSON(scope.ctx, 200, object);
}

/** Drops kind and apiVersion from list items, which kube-apiserver leaves out too. */
function listItem(object: StoredObject): StoredObject {
  const item: StoredObject = { ...object };
  delete item.kind;
  delete item.apiVersion;
  return item;
}

/** Serves a list (GET on a collection), as a typed list or as a Table. */
export async function serveList(scope: RequestScope): Promise<void> {
  const page = await scope.store.list(scope.info.namespace, listOptionsOf(scope.query));
  const { definition } = scope.store;
  if (wantsTable(scope)) {
    writeJSON(
      scope.ctx,
      200,
      buildTable(definition, page.items, {
        include: includeObject(scope),
        resourceVersion: page.resourceVersion,
        continueToken: page.continueToken,
      }),
    );
    return;
  }
  const metadata: Record<string, string> = { resourceVersion: page.resourceVersion };
  if (page.continueToken !== undefined) metadata.continue = page.continueToken;
  const apiVersion =
    definition.group === '' ? definition.version : `${definition.group}/${definition.version}`;
  writeJSON(scope.ctx, 200, {
    kind: definition.listKind,
    apiVersion,
    metadata,
    items: page.items.map(listItem),
  });
}

/** Serves a watch (?watch=true or the /watch/ path prefix). */
export async function serveWatchRequest(scope: RequestScope): Promise<void> {
  const options = listOptionsOf(scope.query);
  // The old /watch/.../NAME form watches one object, like a metadata.name field selector.
  if (scope.info.parts.length >= 2) {
    const byName = `metadata.name=${scope.info.name}`;
    options.fieldSelector = options.fieldSelector ? `${options.fieldSelector},${byName}` : byName;
  }
  await serveWatch(
    scope.ctx,
    scope.store,
    {
      namespace: scope.info.namespace,
      options: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        resourceVersion: scope.query.get('resourceVersion') ?? undefined,
      },
      format: wantsTable(scope) ? 'table' : 'object',
      include: includeObject(scope),
      timeoutMs: watchTimeoutMs(
        scope.query.get('timeoutSeconds'),
        scope.deps.minRequestTimeoutSeconds,
      ),
    },
    scope.deps.stop,
    scope.deps.logger,
  );
}
