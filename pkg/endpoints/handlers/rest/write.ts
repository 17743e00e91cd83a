import {
  failureStatus,
  newBadRequest,
  newForbidden,
  newUnsupportedMediaType,
  StatusError,
} from '../../../apiserver/errors/statuserror.js';
import { mustUser } from '../../../genericapiserver/request/context.js';
import type { AdmitFunction } from '../../../registry/generic/store.js';
import type { Preconditions, StoredObject } from '../../../storage/interfaces.js';
import { writeJSON } from '../../responsewriters/writers.js';
import { decodeBody, readBody } from '../body.js';
import { checkFields, decodeObject, parseDryRun } from './decode.js';
import { listOptionsOf } from './read.js';
import type { RequestScope } from './scope.js';

/** The patch media types kube-apiserver accepts, in the order it lists them. */
export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function dryRunOf(scope: RequestScope): boolean {
  return parseDryRun(scope.query.getAll('dryRun'));
}

/** Returns the store's admit hook, which runs the server's write admission as the request's user. */
function admitOf(scope: RequestScope): AdmitFunction | undefined {
  const admission = scope.deps.admission;
  if (admission === undefined) return undefined;
  const user = mustUser(scope.ctx);
  return (object, old) => admission({ user, info: scope.info, object, old });
}

/** Rejects a body whose namespace differs from the URL's, as kube-apiserver does. */
function checkNamespace(scope: RequestScope, object: StoredObject): void {
  // A patch may remove metadata altogether; the name check then rejects the result.
  if (typeof object.metadata !== 'object' || object.metadata === null) object.metadata = {};
  if (!scope.store.definition.namespaced) return;
  const namespace = object.metadata.namespace;
  if (typeof namespace === 'string' && namespace !== '' && namespace !== scope.info.namespace) {
    throw newBadRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
}

/** Serves POST on a collection: creates the object and responds 201 with it. */
export async function serveCreate(scope: RequestScope): Promise<void> {
  const object = await decodeObject(scope);
  checkNamespace(scope, object);
  const created = await scope.store.create(
    scope.info.namespace,
    object,
    dryRunOf(scope),
    admitOf(scope),
  );
  writeJSON(scope.ctx, 201, created);
}

/** Serves PUT on an object or its status: replaces it, with resourceVersion as a precondition. */
export async function serveUpdate(scope: RequestScope): Promise<void> {
  const object = await decodeObject(scope);
  checkNamespace(scope, object);
  const updated = await scope.store.update(scope.info.namespace, scope.info.name, object, {
    subresource: scope.info.subresource === '' ? undefined : scope.info.subresource,
    dryRun: dryRunOf(scope),
    admit: admitOf(scope),
  });
  writeJSON(scope.ctx, 200, updated);
}

/** Serves PATCH: applies a JSON, merge or strategic merge patch to the current object. */
export async function servePatch(scope: RequestScope): Promise<void> {
  const patchType = (scope.ctx.get('Content-Type').split(';')[0] ?? '').trim().toLowerCase();
  if (!PATCH_TYPES.includes(patchType) || patchType === 'application/apply-patch+yaml') {
    throw newUnsupportedMediaType(
      PATCH_TYPES.filter((type) => type !== 'application/apply-patch+yaml'),
    );
  }
  const body = await readBody(scope.ctx);
  const { modelName } = scope.store.definition;
  const patched = await scope.store.patch(
    scope.info.namespace,
    scope.info.name,
    (current) => {
      const result = scope.deps.applyPatch(patchType, current, body, modelName);
      checkNamespace(scope, result);
      return checkFields(scope, result, { body: body.toString('utf8') });
    },
    {
      subresource: scope.info.subresource === '' ? undefined : scope.info.subresource,
      dryRun: dryRunOf(scope),
      admit: admitOf(scope),
    },
  );
  writeJSON(scope.ctx, 200, patched);
}

/** Reads the optional DeleteOptions body: its preconditions and dryRun. */
async function deleteOptionsOf(
  scope: RequestScope,
): Promise<{ preconditions: Preconditions; dryRun: boolean }> {
  const raw = await readBody(scope.ctx);
  let dryRun = dryRunOf(scope);
  if (raw.length === 0) return { preconditions: {}, dryRun };
  const decoded = decodeBody(scope.ctx.get('Content-Type'), raw);
  const options = decoded.object ?? {};
  const given = (options.preconditions ?? {}) as Record<string, unknown>;
  const preconditions: { uid?: string; resourceVersion?: string } = {};
  if (typeof given.uid === 'string') preconditions.uid = given.uid;
  if (typeof given.resourceVersion === 'string')
    preconditions.resourceVersion = given.resourceVersion;
  if (Array.isArray(options.dryRun)) dryRun = dryRun || parseDryRun(options.dryRun as string[]);
  return { preconditions, dryRun };
}

/**
 * Serves DELETE of one object. Objects are removed at once (there is no kubelet to wait for),
 * and the response is kube-apiserver's Success `Status` naming the object.
 */
export async function serveDelete(scope: RequestScope): Promise<void> {
  const { preconditions, dryRun } = await deleteOptionsOf(scope);
  const { definition } = scope.store;
  if (definition.group === '' && definition.plural === 'namespaces') {
    checkNamespaceDeletable(scope.info.name);
  }
  if (definition.group === '' && definition.plural === 'namespaces' && !dryRun) {
    await scope.store.get('', scope.info.name);
    await scope.deps.deleteNamespaceContents(scope.info.name);
  }
  const deleted = await scope.store.delete(
    scope.info.namespace,
    scope.info.name,
    preconditions,
    dryRun,
  );
  const details: Record<string, string> = { name: scope.info.name };
  if (definition.group !== '') details.group = definition.group;
  details.kind = definition.plural;
  const uid = deleted.metadata.uid;
  if (typeof uid === 'string') details.uid = uid;
  writeJSON(scope.ctx, 200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details,
  });
}

/**
 * Namespaces a cluster cannot run without; kube-apiserver's NamespaceLifecycle admission plugin
 * forbids deleting them.
 */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function checkNamespaceDeletable(name: string): void {
  if (IMMORTAL_NAMESPACES.has(name)) {
    throw newForbidden(
      { group: '', resource: 'namespaces' },
      name,
      'this namespace may not be deleted',
    );
  }
}

/** Serves DELETE on a collection: deletes what a list would return and responds with them. */
export async function serveDeleteCollection(scope: RequestScope): Promise<void> {
  if (scope.store.definition.group === '' && scope.store.definition.plural === 'namespaces') {
    // kube-apiserver serves no deletecollection on namespaces.
    throw new StatusError(
      failureStatus(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
        {},
      ),
    );
  }
  const { dryRun } = await deleteOptionsOf(scope);
  const deleted = await scope.store.deleteCollection(
    scope.info.namespace,
    listOptionsOf(scope.query),
    dryRun,
  );
  const { definition } = scope.store;
  const apiVersion =
    definition.group === '' ? definition.version : `${definition.group}/${definition.version}`;
  writeJSON(scope.ctx, 200, {
    kind: definition.listKind,
    apiVersion,
    metadata: {},
    items: deleted,
  });
}
