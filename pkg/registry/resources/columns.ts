import type { StoredObject } from '../../storage/interfaces.js';
import type { PrinterColumn } from '../resource.js';
import { objectField, stringField } from '../validation/unstructured.js';
import { parseTimestamp, translateTimestampSince } from './humanduration.js';

/** Options of a printer column beyond its name and description. */
interface ColumnOptions {
  /** OpenAPI type of the cells; `string` by default. */
  readonly type?: string;
  /** `name` for the object name column; empty by default. */
  readonly format?: string;
  /** 1 for columns shown only with `-o wide`; 0 by default. */
  readonly priority?: number;
}

/** Declares a printer column, with kube-apiserver's defaults for type, format and priority. */
export function column(
  name: string,
  description: string,
  options: ColumnOptions = {},
): PrinterColumn {
  return {
    name,
    type: options.type ?? 'string',
    format: options.format ?? '',
    description,
    priority: options.priority ?? 0,
  };
}

/** The Name column that leads every built-in table. */
export const NAME_COLUMN = column(
  'Name',
  'Name of the object, unique within its namespace for namespaced kinds.',
  { format: 'name' },
);

/** The Age column: time since the object was created. */
export const AGE_COLUMN = column('Age', 'Time since the object was created (creationTimestamp).');

/** Returns the object's metadata.name, or '' when it has none. */
export function objectName(object: StoredObject): string {
  return stringField(object.metadata, 'name');
}

/** Returns the object's age as kubectl shows it, or `<unknown>` without a creationTimestamp. */
export function objectAge(object: StoredObject, now: Date): string {
  return translateTimestampSince(object.metadata.creationTimestamp, now);
}

/**
 * Formats the creation time as the default table convertor does for kinds without a printer:
 * RFC 3339 in UTC, to the second, and Go's zero time when unset.
 */
export function createdAt(object: StoredObject): string {
  const created = parseTimestamp(object.metadata.creationTimestamp);
  if (created === undefined) return '0001-01-01T00:00:00Z';
  return `${created.toISOString().slice(0, 19)}Z`;
}

/** Returns the number of keys of the map at `key`, such as a ConfigMap's data. */
export function keyCount(object: StoredObject, key: string): number {
  const map = objectField(object, key);
  return map === undefined ? 0 : Object.keys(map).length;
}
