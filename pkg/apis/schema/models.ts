/**
 * The field list of every built-in kind, read from the generated model classes of
 * @kubernetes/client-node 1.x. Each class has a static `getAttributeTypeMap()` that lists its
 * JSON field names (`baseName`) with a TypeScript type string such as `V1ObjectMeta`,
 * `Array<V1Container>` or `{ [key: string]: string; }`, which this module parses into a
 * {@link FieldType}.
 */

import { createRequire } from 'node:module';

/** A scalar JSON value with the decoding rules of its Go type. */
export type ScalarKind =
  | 'string'
  | 'number'
  | 'boolean'
  /** metav1.Time or metav1.MicroTime: an RFC 3339 string. */
  | 'date'
  /** intstr.IntOrString: an integer or a string. */
  | 'intOrString'
  /** resource.Quantity: a string such as `100m` or a JSON number. */
  | 'quantity';

/** The type of one field, element or map value. */
export type FieldType =
  | { readonly kind: 'model'; readonly model: string }
  | { readonly kind: 'array'; readonly items: FieldType }
  | { readonly kind: 'map'; readonly values: FieldType }
  /** `format` is client-node's OpenAPI format: `int32`, `int64`, `double`, `byte`, ... */
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind; readonly format: string }
  /** Any JSON value (`any`, `object`): nothing below it is checked. */
  | { readonly kind: 'open' };

/** One field of a model: its JSON name and type. */
export interface FieldSchema {
  readonly jsonName: string;
  readonly type: FieldType;
}

/** The fields of one client-node model class, keyed by JSON field name. */
export interface ModelSchema {
  readonly name: string;
  readonly fields: ReadonlyMap<string, FieldSchema>;
}

interface AttributeType {
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

interface ModelClass {
  getAttributeTypeMap(): AttributeType[];
}

const OPEN: FieldType = { kind: 'open' };

/**
 * Fields whose Go type is resource.Quantity (or a ResourceList of them). client-node types them
 * as plain strings, but Go's decoder also accepts a JSON number such as `cpu: 1`.
 */
const QUANTITY_FIELDS: ReadonlySet<string> = new Set([
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1ResourceFieldSelector.divisor',
  'V1PodSpec.overhead',
  'V1ContainerStatus.allocatedResources',
  'V1NodeStatus.allocatable',
  'V1NodeStatus.capacity',
  'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard',
  'V1ResourceQuotaStatus.used',
  'V1PersistentVolumeSpec.capacity',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources',
]);

// The client-node import takes about a second, so it happens on first use rather than at start-up.
// require() of an ES module is synchronous on Node 20.19 and later, which keeps every lookup
// below synchronous.
const require = createRequire(import.meta.url);
let clientNode: Readonly<Record<string, unknown>> | undefined;
const schemaCache = new Map<string, ModelSchema | null>();

function modelClass(name: string): ModelClass | undefined {
  clientNode ??= require('@kubernetes/client-node') as Record<string, unknown>;
  const candidate = clientNode[name] as Partial<ModelClass> | undefined;
  if (typeof candidate?.getAttributeTypeMap !== 'function') return undefined;
  return candidate as ModelClass;
}

/**
 * Returns the schema of a client-node model class such as `V1Pod`, or undefined when
 * @kubernetes/client-node has no model of that name. Loads client-node on the first call and
 * caches every schema it builds.
 */
export function modelSchema(name: string): ModelSchema | undefined {
  const cached = schemaCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const cls = modelClass(name);
  if (cls === undefined) {
    schemaCache.set(name, null);
    return undefined;
  }
  const fields = new Map<string, FieldSchema>();
  for (const attribute of cls.getAttributeTypeMap()) {
    let type = parseFieldType(attribute.type, attribute.format);
    if (QUANTITY_FIELDS.has(`${name}.${attribute.baseName}`)) type = asQuantity(type);
    fields.set(attribute.baseName, { jsonName: attribute.baseName, type });
  }
  const schema: ModelSchema = { name, fields };
  schemaCache.set(name, schema);
  return schema;
}

/**
 * Returns the schema of a model the caller names, such as a ResourceDefinition's `modelName`.
 * Throws a TypeError when client-node has no such model, because that is a programming error.
 */
export function requireModelSchema(name: string): ModelSchema {
  const schema = modelSchema(name);
  if (schema === undefined) {
    throw new TypeError(`@kubernetes/client-node has no model class named "${name}"`);
  }
  return schema;
}

/** Parses a client-node attribute type string and its OpenAPI format into a FieldType. */
export function parseFieldType(type: string, format: string): FieldType {
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1] !== undefined) return { kind: 'array', items: parseFieldType(array[1], format) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1] !== undefined) return { kind: 'map', values: parseFieldType(map[1], format) };
  if (format === 'date-time' || format === 'date-time-micro') {
    return { kind: 'scalar', scalar: 'date', format };
  }
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
      return { kind: 'scalar', scalar: type, format };
    case 'IntOrString':
      return { kind: 'scalar', scalar: 'intOrString', format };
    case 'any':
    case 'object':
      return OPEN;
  }
  // A name with no model class behind it is left unchecked rather than guessed at.
  return modelClass(type) === undefined ? OPEN : { kind: 'model', model: type };
}

function asQuantity(type: FieldType): FieldType {
  if (type.kind === 'map') return { kind: 'map', values: asQuantity(type.values) };
  if (type.kind === 'scalar') return { kind: 'scalar', scalar: 'quantity', format: type.format };
  return type;
}

/** Reports whether a value is a JSON object (not an array and not null). */
export function isJSONObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets `object[key]` as an own enumerable property. Plain assignment would treat a JSON key named
 * `__proto__` (legal in a ConfigMap's data, for one) as the object's prototype instead.
 */
export function setJSONField(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}
