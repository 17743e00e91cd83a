/**
 * Go names for client-node models and field types, as Go's reflect.Type.String() prints them in
 * decoding errors: `V1PodSpec` is `v1.PodSpec`, `Array<V1Container>` is `[]v1.Container`.
 *
 * NOTE: client-node types named Go string and map types (v1.RestartPolicy, v1.ResourceList,
 * ...) as plain `string` or maps, so errors about such fields name the underlying Go type instead.
 */

import type { FieldType, ScalarKind } from './models.js';

const MODEL_NAME = /^(?:[A-Z][a-z]+)*?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

/**
 * Returns the Go struct name of a model without its package: `PodSpec` for `V1PodSpec`,
 * `Event` for `CoreV1Event`.
 */
export function goStructName(modelName: string): string {
  return MODEL_NAME.exec(modelName)?.[2] ?? modelName;
}

/** Returns the package-qualified Go name of a model: `v1.PodSpec` for `V1PodSpec`. */
export function goModelName(modelName: string): string {
  const match = MODEL_NAME.exec(modelName);
  if (match?.[1] === undefined || match[2] === undefined) return modelName;
  return `${match[1].toLowerCase()}.${match[2]}`;
}

/** Returns the Go type of a field as Go's JSON decoder names it in an UnmarshalTypeError. */
export function goTypeName(type: FieldType): string {
  switch (type.kind) {
    case 'model':
      return goModelName(type.model);
    case 'array':
      return `[]${goTypeName(type.items)}`;
    case 'map':
      return `map[string]${goTypeName(type.values)}`;
    case 'open':
      return 'interface {}';
    case 'scalar':
      return goScalarName(type.scalar, type.format);
  }
}

function goScalarName(scalar: ScalarKind, format: string): string {
  switch (scalar) {
    case 'string':
      // OpenAPI's `byte` format is Go's []byte, which reflect prints as []uint8.
      return format === 'byte' ? '[]uint8' : 'string';
    case 'number':
      if (format === 'double') return 'float64';
      return format === 'int64' ? 'int64' : 'int32';
    case 'boolean':
      return 'bool';
    case 'date':
      return format === 'date-time-micro' ? 'v1.MicroTime' : 'v1.Time';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
  }
}

/** Names a JSON value's type as Go's UnmarshalTypeError does: `string`, `number`, `bool`, ... */
export function goJSONKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'string':
    case 'number':
      return typeof value;
    default:
      return 'object';
  }
}
