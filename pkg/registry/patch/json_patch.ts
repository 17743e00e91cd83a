import jsonpatch, { type Operation } from 'fast-json-patch';
import { isJSONObject } from '../../apis/schema/models.js';
import { newBadRequest, newRequestEntityTooLarge } from '../../apiserver/errors/statuserror.js';
import { newPatchNotApplied, parseJSONBody, unmarshalTypeMessage } from './errors.js';

/** Maximum number of operations in one JSON patch, the same limit as kube-apiserver's. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const OPERATION_KINDS: ReadonlySet<string> = new Set([
  'add',
  'remove',
  'replace',
  'move',
  'copy',
  'test',
]);

/**
 * Applies an RFC 6902 JSON patch (`application/json-patch+json`) to a copy of `original` and
 * returns the result. Errors match kube-apiserver's, which applies JSON patches with
 * gopkg.in/evanphx/json-patch.v4:
 * - a body that is not JSON, not an array, or contains a non-object operation: 400 BadRequest;
 * - more than {@link MAX_JSON_PATCH_OPERATIONS} operations: 413 RequestEntityTooLarge;
 * - an operation that cannot be applied (unknown `op`, missing path, failed `test`): 422 Invalid
 *   with kube-apiserver's fixed message; the reason is the StatusError's `cause`.
 */
export function applyJSONPatch(original: unknown, body: string | Uint8Array): unknown {
  const operations = decodeOperations(body);
  let document = structuredClone(original);
  operations.forEach((operation, index) => {
    document = applyOperation(document, operation, index);
  });
  return document;
}

function decodeOperations(body: string | Uint8Array): Record<string, unknown>[] {
  const decoded = parseJSONBody(body);
  // A JSON null decodes into Go's nil Patch: no operations.
  if (decoded === null) return [];
  if (!Array.isArray(decoded)) {
    throw newBadRequest(unmarshalTypeMessage(decoded, 'jsonpatch.Patch'));
  }
  const items: unknown[] = decoded;
  const operations: Record<string, unknown>[] = [];
  for (const item of items) {
    if (item !== null && !isJSONObject(item)) {
      throw newBadRequest(unmarshalTypeMessage(item, 'jsonpatch.Operation'));
    }
    operations.push(item ?? {});
  }
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw newRequestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  return operations;
}

function applyOperation(document: unknown, raw: Record<string, unknown>, index: number): unknown {
  const kind = typeof raw.op === 'string' ? raw.op : 'unknown';
  if (!OPERATION_KINDS.has(kind)) throw newPatchNotApplied(`Unexpected kind: ${kind}`);
  const operation = adaptToJSONPatchV4(document, raw as unknown as Operation);
  if (operation === undefined) return document;
  try {
    return jsonpatch.applyOperation(document, operation, true, true, true, index).newDocument;
  } catch (cause) {
    throw newPatchNotApplied(describeFailure(operation, cause), cause);
  }
}

/**
 * Rewrites the two operations that json-patch.v4, and so kube-apiserver, treats more leniently
 * than RFC 6902: `replace` of a missing member of an existing object adds it, and `test` of a
 * missing member against `null` passes. Returns undefined for an operation with nothing to do.
 */
function adaptToJSONPatchV4(document: unknown, operation: Operation): Operation | undefined {
  if (operation.op !== 'replace' && operation.op !== 'test') return operation;
  if (typeof operation.path !== 'string') return operation;
  const slash = operation.path.lastIndexOf('/');
  if (slash < 0) return operation;
  const parent = resolvePointer(document, operation.path.slice(0, slash));
  const key = jsonpatch.unescapePathComponent(operation.path.slice(slash + 1));
  if (!isJSONObject(parent) || Object.hasOwn(parent, key)) return operation;
  const value: unknown = operation.value;
  if (operation.op === 'replace') return { op: 'add', path: operation.path, value };
  return value === null ? undefined : operation;
}

/** Returns the value a JSON pointer (RFC 6901) names, or undefined when it names nothing. */
function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current = document;
  for (const token of pointer.slice(1).split('/')) {
    const key = jsonpatch.unescapePathComponent(token);
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isJSONObject(current) && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

/** Words a failed operation as json-patch.v4 does, for the log. */
function describeFailure(operation: Operation, cause: unknown): string {
  const path = operation.path;
  const from = 'from' in operation ? operation.from : '';
  const name = cause instanceof jsonpatch.JsonPatchError ? cause.name : '';
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${operation.op} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${operation.op} operation does not apply: doc is missing from path: ${from}: missing value`;
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return `error in ${operation.op} for path: '${path}': invalid index referenced`;
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}
