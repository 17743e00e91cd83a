import { newBadRequest } from '../../apiserver/errors/statuserror.js';
import type { StoredObject } from '../../storage/interfaces.js';

/** One requirement of a field selector. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Fields every resource can be selected by, as in kube-apiserver. */
export const COMMON_FIELD_LABELS: readonly string[] = ['metadata.name', 'metadata.namespace'];

/**
 * Parses a field selector such as `metadata.name=x,metadata.namespace!=y`.
 * @throws StatusError 400 for a selector that does not parse or a field that is not supported.
 */
export function parseFieldSelector(
  selector: string,
  supported: readonly string[] = COMMON_FIELD_LABELS,
): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const raw of selector.split(',')) {
    const text = raw.trim();
    if (text === '') continue;
    const match = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (match === null) {
      throw newBadRequest(`invalid selector: '${selector}'; can't understand '${text}'`);
    }
    const field = match[1]!.trim();
    if (!supported.includes(field)) {
      throw newBadRequest(`field label not supported: ${field}`);
    }
    requirements.push({ field, operator: match[2] === '!=' ? '!=' : '=', value: match[3]!.trim() });
  }
  return requirements;
}

/** Reads a dotted field path such as `status.phase` from an object, as a string. */
export function fieldValue(object: StoredObject, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return '';
}

/** Returns true when the object satisfies every requirement. */
export function matchesFields(
  requirements: readonly FieldRequirement[],
  object: StoredObject,
): boolean {
  return requirements.every(({ field, operator, value }) => {
    const actual = fieldValue(object, field);
    return operator === '=' ? actual === value : actual !== value;
  });
}
