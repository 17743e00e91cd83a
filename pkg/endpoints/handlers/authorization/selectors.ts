import type { FieldError } from '../../../registry/resource.js';
import { child, forbidden, index, invalid, required } from '../../../registry/validation/field.js';
import { isQualifiedName, isValidLabelValue } from '../../../registry/validation/names.js';
import { parseLabelSelector } from '../../../registry/selection/labels.js';
import {
  arrayField,
  isObject,
  stringArrayField,
  stringField,
} from '../../../registry/validation/unstructured.js';

/**
 * The field and label selectors of spec.resourceAttributes (authorization.k8s.io/v1
 * FieldSelectorAttributes and LabelSelectorAttributes). They can only narrow a request.
 * kube-apiserver 1.32 keeps them, because its AuthorizeWithSelectors feature gate is on by
 * default. This server's Attributes carry no selectors, so authorizers decide without them.
 */

/** One requirement of a field or label selector: key, operator and values. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/** A field or label selector of a review: a raw selector string or parsed requirements. */
export interface SelectorAttributes {
  readonly rawSelector: string;
  readonly requirements: readonly SelectorRequirement[];
}

/** Reads a selector whose JSON types were checked already. Absent or null reads as undefined. */
export function readSelectorAttributes(value: unknown): SelectorAttributes | undefined {
  if (!isObject(value)) return undefined;
  const requirements = arrayField(value, 'requirements')
    .filter(isObject)
    .map((requirement) => ({
      key: stringField(requirement, 'key'),
      operator: stringField(requirement, 'operator'),
      values: stringArrayField(requirement, 'values'),
    }));
  return { rawSelector: stringField(value, 'rawSelector'), requirements };
}

/** Encodes a selector as Go's JSON encoding does: empty optional fields are left out. */
export function encodeSelectorAttributes(selector: SelectorAttributes): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  if (selector.rawSelector !== '') encoded.rawSelector = selector.rawSelector;
  if (selector.requirements.length > 0) {
    encoded.requirements = selector.requirements.map((requirement) => {
      const item: Record<string, unknown> = {
        key: requirement.key,
        operator: requirement.operator,
      };
      if (requirement.values.length > 0) item.values = [...requirement.values];
      return item;
    });
  }
  return encoded;
}

const IN_OPERATORS = new Set(['In', 'NotIn']);
const EXISTS_OPERATORS = new Set(['Exists', 'DoesNotExist']);

/** Checks that exactly one of rawSelector and requirements is set. */
function validateSelectorShape(selector: SelectorAttributes, path: string): FieldError[] {
  if (selector.rawSelector !== '' && selector.requirements.length > 0) {
    // The missing "be" is in kube-apiserver's message too.
    return [
      invalid(
        child(path, 'rawSelector'),
        selector.rawSelector,
        'may not specified at the same time as requirements',
      ),
    ];
  }
  if (selector.rawSelector === '' && selector.requirements.length === 0) {
    return [
      required(
        child(path, 'requirements'),
        `when ${path} is specified, requirements or rawSelector is required`,
      ),
    ];
  }
  return [];
}

/** Checks the values of a requirement against its operator. Unknown operators pass. */
function validateOperatorValues(requirement: SelectorRequirement, path: string): FieldError[] {
  const valuesPath = child(path, 'values');
  if (IN_OPERATORS.has(requirement.operator) && requirement.values.length === 0) {
    return [required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'")];
  }
  if (EXISTS_OPERATORS.has(requirement.operator) && requirement.values.length > 0) {
    return [
      forbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
    ];
  }
  return [];
}

/**
 * Validates spec.resourceAttributes.fieldSelector as kube-apiserver 1.32 does. Operators it does
 * not know are allowed, so a newer client is not rejected.
 * NOTE: the requirement checks follow apimachinery's ValidateFieldSelectorRequirement as of
 * 1.31; its 1.32 source was not available to compare.
 */
export function validateFieldSelectorAttributes(
  selector: SelectorAttributes,
  path: string,
): FieldError[] {
  const errors = validateSelectorShape(selector, path);
  selector.requirements.forEach((requirement, position) => {
    const requirementPath = index(child(path, 'requirements'), position);
    if (requirement.key === '')
      errors.push(required(child(requirementPath, 'key'), 'must be specified'));
    errors.push(...validateOperatorValues(requirement, requirementPath));
  });
  return errors;
}

/**
 * Validates spec.resourceAttributes.labelSelector as kube-apiserver 1.32 does: keys are label
 * names and values label values. Operators it does not know are allowed.
 */
export function validateLabelSelectorAttributes(
  selector: SelectorAttributes,
  path: string,
): FieldError[] {
  const errors = validateSelectorShape(selector, path);
  selector.requirements.forEach((requirement, position) => {
    const requirementPath = index(child(path, 'requirements'), position);
    errors.push(...validateOperatorValues(requirement, requirementPath));
    const keyPath = child(requirementPath, 'key');
    for (const message of isQualifiedName(requirement.key)) {
      errors.push(invalid(keyPath, requirement.key, message));
    }
    requirement.values.forEach((value, valuePosition) => {
      for (const message of isValidLabelValue(value)) {
        errors.push(
          invalid(index(child(requirementPath, 'values'), valuePosition), value, message),
        );
      }
    });
  });
  return errors;
}

/**
 * Splits a raw field selector into terms at commas that are not escaped with a backslash, as
 * apimachinery's fields package does.
 */
function splitFieldSelectorTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = '';
  let escaped = false;
  for (const character of selector) {
    if (escaped) {
      current += character;
      escaped = false;
    } else if (character === '\\') {
      current += character;
      escaped = true;
    } else if (character === ',') {
      terms.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  terms.push(current);
  return terms;
}

/** Returns true when a field selector value has only valid escapes and no bare `,` or `=`. */
function isValidFieldSelectorValue(value: string): boolean {
  let escaped = false;
  for (const character of value) {
    if (escaped) {
      if (!['\\', ',', '='].includes(character)) return false;
      escaped = false;
    } else if (character === '\\') {
      escaped = true;
    } else if (character === ',' || character === '=') {
      return false;
    }
  }
  return !escaped;
}

/**
 * Returns true when a raw field selector parses: every term has `=`, `==` or `!=` and a value
 * with valid escapes. Any field name is accepted, as in apimachinery's fields.ParseSelector.
 */
export function fieldSelectorParses(selector: string): boolean {
  for (const term of splitFieldSelectorTerms(selector)) {
    if (term === '') continue;
    const match = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (match === null || !isValidFieldSelectorValue(match[3]!)) return false;
  }
  return true;
}

/** How much of a selector the authorizer could use: all of it, part of it or none of it. */
type SelectorUse = 'whole' | 'partial' | 'ignored';

/**
 * Converts field selector requirements as kube-apiserver's SubjectAccessReview storage does:
 * only In and NotIn with exactly one value are usable.
 */
function fieldRequirementsUse(requirements: readonly SelectorRequirement[]): SelectorUse {
  const usable = requirements.filter(
    (requirement) => IN_OPERATORS.has(requirement.operator) && requirement.values.length === 1,
  ).length;
  if (usable === requirements.length) return 'whole';
  return usable > 0 ? 'partial' : 'ignored';
}

/** Converts label selector requirements: every requirement with a known operator is usable. */
function labelRequirementsUse(requirements: readonly SelectorRequirement[]): SelectorUse {
  const usable = requirements.filter(
    (requirement) =>
      IN_OPERATORS.has(requirement.operator) || EXISTS_OPERATORS.has(requirement.operator),
  ).length;
  if (usable === requirements.length) return 'whole';
  return usable > 0 ? 'partial' : 'ignored';
}

function labelSelectorParses(selector: string): boolean {
  try {
    parseLabelSelector(selector);
    return true;
  } catch {
    return false;
  }
}

function selectorUse(
  selector: SelectorAttributes,
  parses: (raw: string) => boolean,
  requirementsUse: (requirements: readonly SelectorRequirement[]) => SelectorUse,
): SelectorUse {
  if (selector.requirements.length > 0) return requirementsUse(selector.requirements);
  return parses(selector.rawSelector) ? 'whole' : 'ignored';
}

function parseErrorNote(name: string, use: SelectorUse): string[] {
  if (use === 'whole') return [];
  const extent = use === 'partial' ? 'partially ignored' : 'ignored';
  return [`spec.resourceAttributes.${name} ${extent} due to parse error`];
}

/**
 * Lists the notes kube-apiserver adds to status.evaluationError for selectors it could not
 * parse or convert, such as `spec.resourceAttributes.fieldSelector ignored due to parse error`.
 */
export function selectorEvaluationNotes(
  fieldSelector: SelectorAttributes | undefined,
  labelSelector: SelectorAttributes | undefined,
): string[] {
  const notes: string[] = [];
  if (fieldSelector !== undefined) {
    const use = selectorUse(fieldSelector, fieldSelectorParses, fieldRequirementsUse);
    notes.push(...parseErrorNote('fieldSelector', use));
  }
  if (labelSelector !== undefined) {
    const use = selectorUse(labelSelector, labelSelectorParses, labelRequirementsUse);
    notes.push(...parseErrorNote('labelSelector', use));
  }
  return notes;
}
