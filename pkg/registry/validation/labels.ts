import type { FieldError } from '../resource.js';
import { child, forbidden, index, invalid, required, tooLong } from './field.js';
import { isQualifiedName, isValidLabelValue } from './names.js';
import {
  arrayField,
  isObject,
  stringArrayField,
  stringField,
  stringMapField,
} from './unstructured.js';

/** Maximum total size of an object's annotation keys and values: 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** Validates a label key as a qualified name; errors name the whole map's path, as Go's do. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((message) => invalid(path, name, message));
}

/** Validates every key and value of a label map. */
export function validateLabels(
  labels: Readonly<Record<string, string>>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(labels)) {
    errors.push(...validateLabelName(name, path));
    for (const message of isValidLabelValue(value)) errors.push(invalid(path, value, message));
  }
  return errors;
}

/**
 * Validates annotation keys (qualified names, in any letter case) and the total size of keys
 * plus values, which kube-apiserver caps at 256 KiB.
 */
export function validateAnnotations(
  annotations: Readonly<Record<string, string>>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  let totalBytes = 0;
  for (const [name, value] of Object.entries(annotations)) {
    for (const message of isQualifiedName(name.toLowerCase())) {
      errors.push(invalid(path, name, message));
    }
    totalBytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  if (totalBytes > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    errors.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  }
  return errors;
}

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Validates a metav1.LabelSelector: its matchLabels and each matchExpressions entry. */
export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  if (!isObject(selector)) return [];
  const errors = validateLabels(
    stringMapField(selector, 'matchLabels'),
    child(path, 'matchLabels'),
  );
  arrayField(selector, 'matchExpressions').forEach((expression, position) => {
    const expressionPath = index(child(path, 'matchExpressions'), position);
    const operator = stringField(expression, 'operator');
    const values = stringArrayField(expression, 'values');
    const valuesPath = child(expressionPath, 'values');
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        errors.push(required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        errors.push(
          forbidden(
            valuesPath,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
    } else {
      errors.push(
        invalid(child(expressionPath, 'operator'), operator, 'not a valid selector operator'),
      );
    }
    errors.push(...validateLabelName(stringField(expression, 'key'), child(expressionPath, 'key')));
    values.forEach((value, valuePosition) => {
      for (const message of isValidLabelValue(value)) {
        errors.push(invalid(index(valuesPath, valuePosition), value, message));
      }
    });
  });
  return errors;
}

/** One requirement of a parsed label selector, as k8s.io/apimachinery/pkg/labels has them. */
interface Requirement {
  readonly key: string;
  readonly operator: 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/**
 * A label selector converted as metav1.LabelSelectorAsSelector does: `nothing` for a missing
 * selector, which matches no object, and a list of requirements (empty for "everything")
 * otherwise.
 */
export type ParsedSelector =
  | { readonly kind: 'nothing' }
  | {
      readonly kind: 'requirements';
      readonly requirements: readonly Requirement[];
    };

function compareKeys(a: Requirement, b: Requirement): number {
  if (a.key < b.key) return -1;
  if (a.key > b.key) return 1;
  return 0;
}

function requirementIsValid(requirement: Requirement): boolean {
  if (isQualifiedName(requirement.key).length > 0) return false;
  const count = requirement.values.length;
  if ((requirement.operator === 'In' || requirement.operator === 'NotIn') && count === 0) {
    return false;
  }
  if (requirement.operator === 'Equals' && count !== 1) return false;
  if ((requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') && count > 0) {
    return false;
  }
  return requirement.values.every((value) => isValidLabelValue(value).length === 0);
}

/**
 * Parses a metav1.LabelSelector. Returns undefined where LabelSelectorAsSelector fails: an
 * unknown operator, a malformed key or value, or a value count the operator does not allow.
 */
export function parseLabelSelector(selector: unknown): ParsedSelector | undefined {
  if (!isObject(selector)) return { kind: 'nothing' };
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(stringMapField(selector, 'matchLabels'))) {
    requirements.push({ key, operator: 'Equals', values: [value] });
  }
  for (const expression of arrayField(selector, 'matchExpressions')) {
    const operator = stringField(expression, 'operator');
    if (!SELECTOR_OPERATORS.includes(operator)) return undefined;
    requirements.push({
      key: stringField(expression, 'key'),
      operator: operator as Requirement['operator'],
      values: stringArrayField(expression, 'values'),
    });
  }
  if (!requirements.every(requirementIsValid)) return undefined;
  // labels.Selector keeps its requirements sorted by key.
  requirements.sort(compareKeys);
  return { kind: 'requirements', requirements };
}

function requirementString(requirement: Requirement): string {
  const values = [...requirement.values].sort().join(',');
  switch (requirement.operator) {
    case 'Equals':
      return `${requirement.key}=${values}`;
    case 'In':
      return `${requirement.key} in (${values})`;
    case 'NotIn':
      return `${requirement.key} notin (${values})`;
    case 'Exists':
      return requirement.key;
    case 'DoesNotExist':
      return `!${requirement.key}`;
  }
}

/** Formats a parsed selector as labels.Selector.String() does, such as `app=web,tier in (a,b)`. */
export function selectorString(selector: ParsedSelector): string {
  if (selector.kind === 'nothing') return '';
  return selector.requirements.map(requirementString).join(',');
}

/** Reports whether a parsed selector matches a label set. */
export function selectorMatches(
  selector: ParsedSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (selector.kind === 'nothing') return false;
  return selector.requirements.every((requirement) => {
    const has = Object.hasOwn(labels, requirement.key);
    const value = labels[requirement.key] ?? '';
    switch (requirement.operator) {
      case 'Equals':
      case 'In':
        return has && requirement.values.includes(value);
      case 'NotIn':
        return !has || !requirement.values.includes(value);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}

/** Formats a label map as labels.FormatLabels does: sorted `key=value` pairs, or `<none>`. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((key) => `${key}=${labels[key] ?? ''}`).join(',');
}
