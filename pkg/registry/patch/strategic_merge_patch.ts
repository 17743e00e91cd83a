/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), the patch kubectl apply,
 * edit and patch send, as k8s.io/apimachinery/pkg/util/strategicpatch applies it on the server:
 * - maps merge recursively and `null` deletes a key;
 * - lists tagged `patchStrategy: merge` merge element by element on their merge key, or as a
 *   set for lists of scalars such as finalizers. Every other list is replaced whole;
 * - directives: `$patch: replace | delete` in a map, `$patch: delete | replace` as a list element,
 *   `$retainKeys`, `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>`.
 *
 * Differs from kube-apiserver: some patch values fill an absent field or replace a live value
 * whole (a changed JSON type, `$patch: replace`, an untagged list). Each is applied to an empty
 * value, so the directives inside it take effect and never reach the result. Upstream copies such
 * a value as it is, and decoding into the Go type then drops the `$` keys, which turns
 * `{"$patch": "delete", "name": "x"}` in an absent list into a new element named x.
 */

import {
  isJSONObject,
  modelSchema,
  setJSONField,
  type FieldType,
} from '../../apis/schema/models.js';
import { patchMetaOf, type PatchMeta } from '../../apis/schema/patch_strategies.js';
import { newBadRequest, type StatusError } from '../../apiserver/errors/statuserror.js';
import {
  noMergeKeyError,
  orderElements,
  requireMergeKey,
  validateSetElementOrder,
} from './element_order.js';
import {
  newMalformedPatch,
  newPatchNotApplied,
  parseJSONBody,
  unmarshalTypeMessage,
} from './errors.js';
import { formatGoValue } from './go_format.js';

const DIRECTIVE_MARKER = '$patch';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

type JSONObject = Record<string, unknown>;

/** Type (when known) and patch tags of one field. */
interface FieldContext {
  readonly type: FieldType | undefined;
  readonly meta: PatchMeta;
}

const UNTAGGED: PatchMeta = { patchStrategies: [], patchMergeKey: '' };

/**
 * Applies a strategic merge patch body to a copy of `original`, a `modelName` object such as
 * `V1Pod`, and returns the result.
 *
 * @throws StatusError 400 when the body is not a JSON object or a directive is malformed, and
 * 422 for a list of lists.
 */
export function applyStrategicMergePatch(
  original: JSONObject,
  body: string | Uint8Array,
  modelName: string,
): JSONObject {
  const patch = parseJSONBody(body);
  // A JSON null decodes into a nil Go map: a patch that changes nothing.
  if (patch === null) return structuredClone(original);
  if (!isJSONObject(patch)) {
    throw newBadRequest(unmarshalTypeMessage(patch, 'map[string]interface {}'));
  }
  return mergeMap(structuredClone(original), patch, { kind: 'model', model: modelName });
}

/** Merges `patch` into `original`, which it changes, and returns the merged map. */
function mergeMap(
  original: JSONObject,
  patch: JSONObject,
  type: FieldType | undefined,
): JSONObject {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) return applyMapDirective(patch, type);
  const pending: JSONObject = { ...patch };
  applyRetainKeys(original, pending);
  applySetElementOrder(original, pending, type);
  // Deletions run after the additions to the same list, so a value both added and deleted goes.
  const deletions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(pending)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) deletions.push([key, value]);
    else mergeField(original, key, value, fieldContext(type, key));
  }
  for (const [key, values] of deletions) deleteFromPrimitiveList(original, key, values);
  return original;
}

function applyMapDirective(patch: JSONObject, type: FieldType | undefined): JSONObject {
  const directive = patch[DIRECTIVE_MARKER];
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    const replacement: JSONObject = { ...patch };
    delete replacement[DIRECTIVE_MARKER];
    return mergeMap({}, replacement, type);
  }
  throw newMalformedPatch(
    `unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(patch)}`,
  );
}

function mergeField(original: JSONObject, key: string, value: unknown, field: FieldContext): void {
  if (value === null) {
    delete original[key];
    return;
  }
  const current = Object.hasOwn(original, key) ? original[key] : undefined;
  let merged: unknown;
  if (
    isJSONObject(current) &&
    isJSONObject(value) &&
    !field.meta.patchStrategies.includes('replace')
  ) {
    merged = mergeMap(current, value, field.type);
  } else if (Array.isArray(current) && Array.isArray(value)) {
    merged = mergeList(current, value, field);
  } else {
    // A new field, a changed JSON type or a scalar: the patch value wins.
    merged = applyToNothing(value, field);
  }
  setJSONField(original, key, merged);
}

/** Applies a patch value to an absent field, which resolves the directives inside it. */
function applyToNothing(value: unknown, field: FieldContext): unknown {
  if (isJSONObject(value)) return mergeMap({}, value, field.type);
  if (Array.isArray(value)) return mergeList([], value, field);
  return value;
}

/** Returns the type and tags of `key` in a map of the given type. */
function fieldContext(type: FieldType | undefined, key: string): FieldContext {
  if (type?.kind === 'model') {
    return {
      type: modelSchema(type.model)?.fields.get(key)?.type,
      meta: patchMetaOf(type.model, key),
    };
  }
  if (type?.kind === 'map') return { type: type.values, meta: UNTAGGED };
  return { type: undefined, meta: UNTAGGED };
}

/**
 * Merges two lists: element by element on the merge key for lists tagged `merge` with maps, as a
 * set for tagged lists of scalars, and by replacement otherwise.
 */
function mergeList(original: unknown[], patch: unknown[], field: FieldContext): unknown[] {
  const itemField: FieldContext = {
    type: field.type?.kind === 'array' ? field.type.items : undefined,
    meta: UNTAGGED,
  };
  if (!field.meta.patchStrategies.includes('merge')) {
    return patch.map((item) => applyToNothing(item, itemField));
  }
  if (original.length === 0 && patch.length === 0) return original;
  const elementKind = listElementKind(original, patch);
  if (elementKind !== 'object') {
    const merged = [...new Set([...original, ...patch])];
    return orderElements(merged, patch, original, '');
  }
  const mergeKey = field.meta.patchMergeKey;
  if (mergeKey === '') {
    throw newMalformedPatch('cannot merge lists without merge key for type struct');
  }
  return mergeListOfMaps(original as JSONObject[], patch as JSONObject[], mergeKey, itemField);
}

function mergeListOfMaps(
  original: JSONObject[],
  patch: JSONObject[],
  mergeKey: string,
  itemField: FieldContext,
): unknown[] {
  let live = [...original];
  const elements: JSONObject[] = [];
  let replace = false;
  for (const element of patch) {
    if (!Object.hasOwn(element, DIRECTIVE_MARKER)) {
      elements.push(element);
      continue;
    }
    const directive = element[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!Object.hasOwn(element, mergeKey)) throw noMergeKeyError(element, mergeKey);
      live = live.filter((item) => !hasMergeKeyValue(item, mergeKey, element[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw newMalformedPatch('merging lists cannot yet be specified in the patch');
    } else {
      throw newMalformedPatch(
        `unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(element)}`,
      );
    }
  }
  // `{"$patch": "replace"}` anywhere in the list: the other elements become the whole list.
  if (replace) return elements.map((element) => applyToNothing(element, itemField));

  const merged: unknown[] = [...live];
  for (const element of elements) {
    requireMergeKey(element, mergeKey);
    const index = merged.findIndex((item) => hasMergeKeyValue(item, mergeKey, element[mergeKey]));
    const existing = merged[index];
    if (index >= 0 && isJSONObject(existing)) {
      merged[index] = mergeMap(existing, element, itemField.type);
    } else {
      merged.push(applyToNothing(element, itemField));
    }
  }
  return orderElements(merged, elements, live, mergeKey);
}

function hasMergeKeyValue(item: unknown, mergeKey: string, value: unknown): boolean {
  return isJSONObject(item) && Object.hasOwn(item, mergeKey) && item[mergeKey] === value;
}

/**
 * Returns the one JSON type that every element of both lists has, as upstream's
 * sliceElementType requires.
 *
 * @throws StatusError 422 when the first element is a list, 400 when the types differ.
 */
function listElementKind(...lists: unknown[][]): string {
  let kind: string | undefined;
  for (const item of lists.flat()) {
    const itemKind = elementKind(item);
    if (kind === undefined && itemKind === 'array') {
      throw newPatchNotApplied('lists of lists are not supported');
    }
    kind ??= itemKind;
    if (itemKind !== kind) {
      throw newMalformedPatch(`list element types are not identical: ${formatGoValue(lists)}`);
    }
  }
  if (kind === undefined) throw newMalformedPatch('no elements in any of the given slices');
  return kind;
}

function elementKind(item: unknown): string {
  if (Array.isArray(item)) return 'array';
  if (item === null) return 'null';
  return typeof item;
}

/**
 * Applies `$retainKeys`: removes from `original` every key not in the list, after checking that
 * the patch sets no key outside it.
 */
function applyRetainKeys(original: JSONObject, pending: JSONObject): void {
  if (!Object.hasOwn(pending, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = pending[RETAIN_KEYS_DIRECTIVE];
  delete pending[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw newBadRequest('invalid patch format of retainKeys');
  const retained = new Set<unknown>(retainKeys);
  for (const [key, value] of Object.entries(pending)) {
    if (value === null || isListDirective(key)) continue;
    if (!retained.has(key)) throw newBadRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

/**
 * Applies every `$setElementOrder/<field>` in the patch, together with the patch's list for that
 * field, and removes both from `pending`.
 */
function applySetElementOrder(
  original: JSONObject,
  pending: JSONObject,
  type: FieldType | undefined,
): void {
  for (const directive of Object.keys(pending)) {
    if (!directive.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = pending[directive];
    delete pending[directive];
    if (!Array.isArray(order)) throw badArgumentType(order);
    const key = directiveField(directive, SET_ELEMENT_ORDER_PREFIX);
    if (key === undefined) throw newBadRequest('invalid patch format of setElementOrder list');
    const live = listValue(original, key);
    const patchList = listValue(pending, key);
    const field = fieldContext(type, key);
    validateSetElementOrder(patchList ?? [], order, field.meta.patchMergeKey);
    if (live === undefined && patchList === undefined) continue;
    const merged = patchList === undefined ? (live ?? []) : mergeList(live ?? [], patchList, field);
    setJSONField(original, key, orderElements(merged, order, live ?? [], field.meta.patchMergeKey));
    delete pending[key];
  }
}

/**
 * Applies `$deleteFromPrimitiveList/<field>`: removes the listed scalars from the field.
 * Differs from kube-apiserver: upstream stores the deletion list as the field's value when the
 * field is absent or the list is not tagged `merge`. Here an absent field stays absent, and the
 * values are deleted from an untagged list too.
 */
function deleteFromPrimitiveList(original: JSONObject, directive: string, values: unknown): void {
  const key = directiveField(directive, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
  if (key === undefined) throw newBadRequest('invalid patch format of primitive list');
  if (values === null) {
    delete original[key];
    return;
  }
  const live = listValue(original, key);
  if (live === undefined) return;
  if (!Array.isArray(values)) throw badArgumentType(values);
  const deletions: unknown[] = values;
  if ([...live, ...deletions].some((item) => typeof item === 'object' && item !== null)) {
    throw newBadRequest('invalid patch format of primitive list');
  }
  const doomed = new Set(deletions);
  setJSONField(
    original,
    key,
    live.filter((item) => !doomed.has(item)),
  );
}

/** Returns the list under `key`, undefined when absent, and throws when it is not a list. */
function listValue(map: JSONObject, key: string): unknown[] | undefined {
  if (!Object.hasOwn(map, key)) return undefined;
  const value = map[key];
  if (!Array.isArray(value)) throw badArgumentType(value);
  const list: unknown[] = value;
  return list;
}

/** Returns `field` from `<prefix>/<field>`, or undefined when the key has another shape. */
function directiveField(directive: string, prefix: string): string | undefined {
  const slash = directive.indexOf('/');
  if (slash < 0 || directive.slice(0, slash) !== prefix) return undefined;
  return directive.slice(slash + 1);
}

function isListDirective(key: string): boolean {
  return (
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)
  );
}

/** Go's mergepatch.ErrBadArgType for a value that should have been a list. */
function badArgumentType(value: unknown): StatusError {
  return newMalformedPatch(`expected a []interface {}, but received a ${goReflectType(value)}`);
}

/** Names a decoded JSON value's Go type as reflect.TypeOf(value).String() prints it. */
function goReflectType(value: unknown): string {
  if (value === null) return '%!s(<nil>)';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'object') return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}
