import { goJSONKind, goStructName, goTypeName } from './go_names.js';
import { isJSONObject, modelSchema, requireModelSchema, type FieldType } from './models.js';
import { joinFieldPath } from './unknown_fields.js';

/** A value whose JSON type does not fit the Go type of its field. */
export interface FieldTypeError {
  /** Path of the value, with list indices, such as `spec.containers[0].image`. */
  readonly path: string;
  /**
   * The error in the wording of Go's encoding/json, such as `json: cannot unmarshal string into
   * Go struct field PodSpec.spec.containers of type []v1.Container`.
   */
  readonly message: string;
}

/** The regular expression that resource.ParseQuantity names when it rejects a value. */
const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Integer formats with their range as [minimum, exclusive maximum]. */
const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31],
  int64: [-(2 ** 63), 2 ** 63],
};

/** The Go decoder's error context: the innermost struct and the JSON field names leading there. */
interface DecodeContext {
  readonly struct: string;
  readonly fields: readonly string[];
  readonly path: string;
}

/**
 * Lists the values in `object` whose JSON type does not fit their field: a string where an
 * object, list, number or boolean belongs, a fraction in an integer field, and so on. Messages
 * follow Go's encoding/json, which kube-apiserver uses to decode a body, so a caller can return
 * the first one as kube-apiserver does:
 * `Pod in version "v1" cannot be handled as a Pod: <message>`.
 * `null` fits every field. IntOrString fields accept integers and strings, and Quantity fields
 * accept strings and numbers. Unknown fields are not checked.
 *
 * NOTE: the wording is a best effort. Named Go types (see go_names.ts) print as their underlying
 * type, number literals print as JavaScript formats them, and the contents of strings (dates,
 * quantities, base64 of `[]byte` fields) are not parsed, where Go would reject a malformed one.
 *
 * @throws TypeError when client-node has no model named `modelName`.
 */
export function fieldTypeErrors(modelName: string, object: unknown): FieldTypeError[] {
  requireModelSchema(modelName);
  const errors: FieldTypeError[] = [];
  checkValue(
    { kind: 'model', model: modelName },
    object,
    { struct: '', fields: [], path: '' },
    errors,
  );
  return errors;
}

function checkValue(
  type: FieldType,
  value: unknown,
  context: DecodeContext,
  errors: FieldTypeError[],
): void {
  if (value === null) return;
  switch (type.kind) {
    case 'model':
      checkModel(type.model, value, context, errors);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(mismatch(goJSONKind(value), type, context));
        return;
      }
      value.forEach((item, i) => {
        checkValue(type.items, item, { ...context, path: `${context.path}[${i}]` }, errors);
      });
      return;
    case 'map':
      if (!isJSONObject(value)) {
        errors.push(mismatch(goJSONKind(value), type, context));
        return;
      }
      // Go's decoder does not add map keys to the field names it reports.
      for (const [key, child] of Object.entries(value)) {
        checkValue(
          type.values,
          child,
          { ...context, path: joinFieldPath(context.path, key) },
          errors,
        );
      }
      return;
    case 'scalar': {
      const message = scalarError(type, value, context);
      if (message !== undefined) errors.push({ path: context.path, message });
      return;
    }
    case 'open':
      return;
  }
}

function checkModel(
  model: string,
  value: unknown,
  context: DecodeContext,
  errors: FieldTypeError[],
): void {
  const schema = modelSchema(model);
  if (schema === undefined) return;
  if (!isJSONObject(value)) {
    errors.push(mismatch(goJSONKind(value), { kind: 'model', model }, context));
    return;
  }
  const struct = goStructName(model);
  for (const [key, child] of Object.entries(value)) {
    const field = schema.fields.get(key);
    if (field === undefined) continue;
    const childContext: DecodeContext = {
      struct,
      fields: [...context.fields, key],
      path: joinFieldPath(context.path, key),
    };
    checkValue(field.type, child, childContext, errors);
  }
}

/** Returns Go's error for a scalar that does not fit its field, or undefined when it fits. */
function scalarError(
  type: Extract<FieldType, { kind: 'scalar' }>,
  value: unknown,
  context: DecodeContext,
): string | undefined {
  const kind = goJSONKind(value);
  switch (type.scalar) {
    case 'string':
      return kind === 'string' ? undefined : mismatch(kind, type, context).message;
    case 'boolean':
      return kind === 'bool' ? undefined : mismatch(kind, type, context).message;
    case 'number': {
      if (kind !== 'number') return mismatch(kind, type, context).message;
      if (fitsNumber(value as number, type.format)) return undefined;
      return mismatch(`number ${String(value)}`, type, context).message;
    }
    case 'date':
      // metav1.Time's own UnmarshalJSON decodes into a string, so Go reports no field context.
      return kind === 'string'
        ? undefined
        : `json: cannot unmarshal ${kind} into Go value of type string`;
    case 'intOrString':
      // intstr.IntOrString's UnmarshalJSON decodes anything but a string into its int32 half.
      if (kind === 'string') return undefined;
      if (kind !== 'number') return `json: cannot unmarshal ${kind} into Go value of type int32`;
      if (fitsNumber(value as number, 'int32')) return undefined;
      return `json: cannot unmarshal number ${String(value)} into Go value of type int32`;
    case 'quantity':
      return kind === 'string' || kind === 'number' ? undefined : QUANTITY_FORMAT_ERROR;
  }
}

function fitsNumber(value: number, format: string): boolean {
  const range = INT_RANGES[format];
  if (range === undefined) return Number.isFinite(value);
  return Number.isInteger(value) && value >= range[0] && value < range[1];
}

function mismatch(valueKind: string, type: FieldType, context: DecodeContext): FieldTypeError {
  const goType = goTypeName(type);
  const message =
    context.fields.length === 0
      ? `json: cannot unmarshal ${valueKind} into Go value of type ${goType}`
      : `json: cannot unmarshal ${valueKind} into Go struct field ${context.struct}.${context.fields.join('.')} of type ${goType}`;
  return { path: context.path, message };
}
