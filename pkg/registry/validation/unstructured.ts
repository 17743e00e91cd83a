/**
 * Typed reads of decoded JSON objects, in the spirit of apimachinery's unstructured helpers
 * (NestedString, NestedMap, ...). A field of the wrong JSON type reads as absent, so callers
 * can read a malformed object without checking types themselves.
 */

/** A decoded JSON object. */
export type JSONObject = Record<string, unknown>;

/** Reports whether a value is a JSON object (not an array and not null). */
export function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the object at `key`, or undefined when it is missing or not an object. */
export function objectField(parent: unknown, key: string): JSONObject | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  return isObject(value) ? value : undefined;
}

/** Returns the object at `key`, creating an empty one when it is missing or not an object. */
export function ensureObjectField(parent: JSONObject, key: string): JSONObject {
  const existing = parent[key];
  if (isObject(existing)) return existing;
  const created: JSONObject = {};
  parent[key] = created;
  return created;
}

/** Returns the array at `key`, or an empty array when it is missing or not an array. */
export function arrayField(parent: unknown, key: string): unknown[] {
  if (!isObject(parent)) return [];
  const value = parent[key];
  return Array.isArray(value) ? value : [];
}

/** Returns the objects of the array at `key`, skipping entries that are not objects. */
export function objectArrayField(parent: unknown, key: string): JSONObject[] {
  return arrayField(parent, key).filter(isObject);
}

/** Returns the strings of the array at `key`, skipping entries that are not strings. */
export function stringArrayField(parent: unknown, key: string): string[] {
  return arrayField(parent, key).filter((entry): entry is string => typeof entry === 'string');
}

/** Returns the string at `key`, or '' when it is missing or not a string, as Go's zero value. */
export function stringField(parent: unknown, key: string): string {
  if (!isObject(parent)) return '';
  const value = parent[key];
  return typeof value === 'string' ? value : '';
}

/** Returns the number at `key`, or undefined when it is missing or not a number. */
export function numberField(parent: unknown, key: string): number | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  return typeof value === 'number' ? value : undefined;
}

/** Returns the boolean at `key`, or undefined when it is missing or not a boolean. */
export function booleanField(parent: unknown, key: string): boolean | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * Returns the string-to-string map at `key` (labels, annotations, selectors), skipping
 * entries whose value is not a string. Missing or mistyped maps read as empty.
 */
export function stringMapField(parent: unknown, key: string): Record<string, string> {
  const map = objectField(parent, key);
  const result: Record<string, string> = {};
  if (map === undefined) return result;
  for (const [name, value] of Object.entries(map)) {
    if (typeof value === 'string') result[name] = value;
  }
  return result;
}

/** Reports whether `key` is present on the object with a value other than null. */
export function hasField(parent: unknown, key: string): boolean {
  return isObject(parent) && parent[key] !== undefined && parent[key] !== null;
}
