import type { FieldError } from '../resource.js';

/**
 * Field errors shaped like k8s.io/apimachinery/pkg/util/validation/field (1.32): each builder
 * returns the cause reason and the message without the field, which is what ErrorBody returns
 * in Go. `Field: Body` is the form that goes into a 422 message.
 */

/**
 * A bad value that Go prints with `%#v`, such as `map[string]string{"app":"web"}`. Strings,
 * numbers and booleans are printed by the builders themselves.
 */
export class GoSyntax {
  constructor(readonly text: string) {}
}

/** A value a field error reports as invalid. */
export type BadValue = string | number | boolean | null | undefined | GoSyntax;

// strconv.IsPrint is false for these besides the C0 and C1 control characters.
const GO_UNPRINTABLE = new Set([0xad, 0x2028, 0x2029, 0xfeff]);

function goEscape(codePoint: number): string {
  const hex = codePoint.toString(16).padStart(2, '0');
  if (codePoint < 0x80) return `\\x${hex}`;
  return `\\u${codePoint.toString(16).padStart(4, '0')}`;
}

/** Quotes a string as Go's `%q` does: printable Unicode stays, control characters are escaped. */
export function goQuote(value: string): string {
  const named: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
  };
  let quoted = '"';
  for (const character of value) {
    const codePoint = character.codePointAt(0) ?? 0;
    const escaped = named[character];
    if (escaped !== undefined) {
      quoted += escaped;
    } else if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      // Go decodes a lone surrogate in JSON as the replacement character.
      quoted += '\ufffd';
    } else if (
      codePoint < 0x20 ||
      (codePoint >= 0x7f && codePoint < 0xa0) ||
      GO_UNPRINTABLE.has(codePoint)
    ) {
      quoted += goEscape(codePoint);
    } else {
      quoted += character;
    }
  }
  return `${quoted}"`;
}

/** Renders a string map as Go's `%#v` of map[string]string, whose keys print sorted. */
export function goStringMap(map: Readonly<Record<string, string>> | undefined): GoSyntax {
  if (map === undefined) return new GoSyntax('map[string]string(nil)');
  const entries = Object.keys(map)
    .sort()
    .map((key) => `${goQuote(key)}:${goQuote(map[key] ?? '')}`);
  return new GoSyntax(`map[string]string{${entries.join(', ')}}`);
}

/** Renders a string list as Go's `%#v` of []string. */
export function goStringSlice(values: readonly string[] | undefined): GoSyntax {
  if (values === undefined) return new GoSyntax('[]string(nil)');
  return new GoSyntax(`[]string{${values.map(goQuote).join(', ')}}`);
}

function formatBadValue(value: BadValue): string {
  if (value instanceof GoSyntax) return value.text;
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return goQuote(value);
  return String(value);
}

function withDetail(body: string, detail: string): string {
  return detail === '' ? body : `${body}: ${detail}`;
}

/** `Required value`, for a missing field. */
export function required(field: string, detail = ''): FieldError {
  return { reason: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

/** `Invalid value: <value>: <detail>`, for a malformed value. */
export function invalid(field: string, value: BadValue, detail: string): FieldError {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail),
  };
}

/** `Unsupported value: <value>: supported values: "a", "b"`, for a value outside an enum. */
export function notSupported(
  field: string,
  value: BadValue,
  supported: readonly string[],
): FieldError {
  const detail =
    supported.length === 0 ? '' : `supported values: ${supported.map(goQuote).join(', ')}`;
  return {
    reason: 'FieldValueNotSupported',
    field,
    message: withDetail(`Unsupported value: ${formatBadValue(value)}`, detail),
  };
}

/** `Forbidden: <detail>`, for a value that is well formed but not allowed here. */
export function forbidden(field: string, detail: string): FieldError {
  return { reason: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

/** `Duplicate value: <value>`, for a value that must be unique. */
export function duplicate(field: string, value: BadValue): FieldError {
  return {
    reason: 'FieldValueDuplicate',
    field,
    message: `Duplicate value: ${formatBadValue(value)}`,
  };
}

/**
 * `Too long: may not be more than N bytes`, for a value over a byte limit.
 * NOTE: 1.32 is taken to use this wording, which could not be confirmed from its source;
 * earlier releases used `must have at most N bytes`.
 */
export function tooLong(field: string, maxBytes: number): FieldError {
  const unit = maxBytes === 1 ? 'byte' : 'bytes';
  return {
    reason: 'FieldValueTooLong',
    field,
    message: `Too long: may not be more than ${maxBytes} ${unit}`,
  };
}

/** Formats an error as Go's field.Error.Error() does: `<field>: <message>`. */
export function fieldErrorString(error: FieldError): string {
  return `${error.field}: ${error.message}`;
}

/** Appends `.child` to a field path, as field.Path.Child does. */
export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Appends `[index]` to a field path, as field.Path.Index does. */
export function index(path: string, position: number): string {
  return `${path}[${position}]`;
}

/** Appends `[key]` to a field path, as field.Path.Key does. */
export function key(path: string, name: string): string {
  return `${path}[${name}]`;
}
