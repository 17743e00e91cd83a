import type { FieldError } from '../../../registry/resource.js';
import {
  GoSyntax,
  goQuote,
  goStringMap,
  goStringSlice,
  invalid,
} from '../../../registry/validation/field.js';
import {
  isObject,
  numberField,
  stringArrayField,
  stringField,
  stringMapField,
} from '../../../registry/validation/unstructured.js';
import type { AccessReviewSpec, NonResourceAttributesSpec } from './attributes.js';
import { validateFieldSelectorAttributes, validateLabelSelectorAttributes } from './selectors.js';

/**
 * Validation of authorization.k8s.io reviews, with the field paths and messages of
 * kube-apiserver 1.32 (pkg/apis/authorization/validation).
 */

/** Renders NonResourceAttributes as Go's `%#v` prints kube-apiserver's internal type. */
function goNonResourceAttributes(attributes: NonResourceAttributesSpec): GoSyntax {
  return new GoSyntax(
    `authorization.NonResourceAttributes{Path:${goQuote(attributes.path)}, Verb:${goQuote(attributes.verb)}}`,
  );
}

/**
 * Checks that exactly one of resourceAttributes and nonResourceAttributes is set, and validates
 * the selectors of resourceAttributes.
 */
function validateAttributes(spec: AccessReviewSpec): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.resourceAttributes !== undefined && spec.nonResourceAttributes !== undefined) {
    errors.push(
      invalid(
        'spec.nonResourceAttributes',
        goNonResourceAttributes(spec.nonResourceAttributes),
        'cannot be specified in combination with resourceAttributes',
      ),
    );
  }
  if (spec.resourceAttributes === undefined && spec.nonResourceAttributes === undefined) {
    // Go reports the nil nonResourceAttributes pointer as the bad value.
    errors.push(
      invalid(
        'spec.resourceAttributes',
        null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  }
  return errors;
}

/** Validates the selectors of spec.resourceAttributes. */
function validateSelectors(spec: AccessReviewSpec): FieldError[] {
  const resource = spec.resourceAttributes;
  if (resource === undefined) return [];
  const errors: FieldError[] = [];
  if (resource.fieldSelector !== undefined) {
    errors.push(
      ...validateFieldSelectorAttributes(
        resource.fieldSelector,
        'spec.resourceAttributes.fieldSelector',
      ),
    );
  }
  if (resource.labelSelector !== undefined) {
    errors.push(
      ...validateLabelSelectorAttributes(
        resource.labelSelector,
        'spec.resourceAttributes.labelSelector',
      ),
    );
  }
  return errors;
}

/** Validates the spec of a SubjectAccessReview or LocalSubjectAccessReview. */
export function validateSubjectAccessReviewSpec(spec: AccessReviewSpec): FieldError[] {
  const errors = validateAttributes(spec);
  if (spec.user === '' && spec.groups.length === 0) {
    errors.push(invalid('spec.user', spec.user, 'at least one of user or group must be specified'));
  }
  errors.push(...validateSelectors(spec));
  return errors;
}

/** Validates the spec of a SelfSubjectAccessReview, which names no subject. */
export function validateSelfSubjectAccessReviewSpec(spec: AccessReviewSpec): FieldError[] {
  return [...validateAttributes(spec), ...validateSelectors(spec)];
}

/**
 * Validates the extra rules of a LocalSubjectAccessReview: spec.resourceAttributes.namespace
 * must equal metadata.namespace, which the handler sets to the URL's namespace, and
 * nonResourceAttributes are not allowed.
 */
export function validateLocalSubjectAccessReview(
  spec: AccessReviewSpec,
  namespace: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const resource = spec.resourceAttributes;
  if (resource !== undefined && resource.namespace !== namespace) {
    errors.push(
      invalid(
        'spec.resourceAttributes.namespace',
        resource.namespace,
        'must match metadata.namespace',
      ),
    );
  }
  if (spec.nonResourceAttributes !== undefined) {
    errors.push(
      invalid(
        'spec.nonResourceAttributes',
        goNonResourceAttributes(spec.nonResourceAttributes),
        'disallowed on this kind of request',
      ),
    );
  }
  return errors;
}

/** The metadata fields kube-apiserver clears on create, before it validates the object. */
const SYSTEM_FIELDS = [
  'creationTimestamp',
  'uid',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
];

/**
 * Returns metadata as kube-apiserver's create handler leaves it: system fields removed and
 * `namespace` set to the request's (empty for a cluster-scoped review). The caller has checked
 * that a namespace in the body matches the request's.
 */
export function normalizeReviewMetadata(
  metadata: Record<string, unknown>,
  namespace: string,
): Record<string, unknown> {
  const normalized = { ...metadata };
  for (const field of SYSTEM_FIELDS) delete normalized[field];
  if (namespace === '') delete normalized.namespace;
  else normalized.namespace = namespace;
  return normalized;
}

function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** Renders a Go pointer field: `(*T)(nil)` when unset. */
function goPointer(type: string, value: unknown): string {
  // NOTE: Go prints the address of a set pointer, which differs on every run; this prints 0x0.
  return value === undefined || value === null ? `(*${type})(nil)` : `(*${type})(0x0)`;
}

function goOwnerReferences(metadata: Record<string, unknown>): string {
  if (!Array.isArray(metadata.ownerReferences)) return '[]v1.OwnerReference(nil)';
  const items = metadata.ownerReferences.filter(isObject).map((reference) => {
    const fields = [
      `APIVersion:${goQuote(stringField(reference, 'apiVersion'))}`,
      `Kind:${goQuote(stringField(reference, 'kind'))}`,
      `Name:${goQuote(stringField(reference, 'name'))}`,
      `UID:${goQuote(stringField(reference, 'uid'))}`,
      `Controller:${goPointer('bool', reference.controller)}`,
      `BlockOwnerDeletion:${goPointer('bool', reference.blockOwnerDeletion)}`,
    ];
    return `v1.OwnerReference{${fields.join(', ')}}`;
  });
  return `[]v1.OwnerReference{${items.join(', ')}}`;
}

function goManagedFields(metadata: Record<string, unknown>): string {
  if (!Array.isArray(metadata.managedFields)) return '[]v1.ManagedFieldsEntry(nil)';
  const items = metadata.managedFields.filter(isObject).map((entry) => {
    const fields = [
      `Manager:${goQuote(stringField(entry, 'manager'))}`,
      `Operation:${goQuote(stringField(entry, 'operation'))}`,
      `APIVersion:${goQuote(stringField(entry, 'apiVersion'))}`,
      `Time:${entry.time === undefined || entry.time === null ? '<nil>' : goTime(stringField(entry, 'time'))}`,
      `FieldsType:${goQuote(stringField(entry, 'fieldsType'))}`,
      `FieldsV1:${goPointer('v1.FieldsV1', entry.fieldsV1)}`,
      `Subresource:${goQuote(stringField(entry, 'subresource'))}`,
    ];
    return `v1.ManagedFieldsEntry{${fields.join(', ')}}`;
  });
  return `[]v1.ManagedFieldsEntry{${items.join(', ')}}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Renders an RFC 3339 time as Go's time.Time GoString does, in UTC. */
function goTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return 'time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)';
  const parts = [
    date.getUTCFullYear(),
    `time.${MONTHS[date.getUTCMonth()]}`,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    0,
    'time.UTC',
  ];
  return `time.Date(${parts.join(', ')})`;
}

/**
 * Renders metadata as Go's `%#v` prints metav1.ObjectMeta after the create handler cleared its
 * system fields, which is the bad value of a "must be empty" error.
 */
function goObjectMeta(metadata: Record<string, unknown>): GoSyntax {
  const labels = isObject(metadata.labels) ? stringMapField(metadata, 'labels') : undefined;
  const annotations = isObject(metadata.annotations)
    ? stringMapField(metadata, 'annotations')
    : undefined;
  const finalizers = Array.isArray(metadata.finalizers)
    ? stringArrayField(metadata, 'finalizers')
    : undefined;
  const fields = [
    `Name:${goQuote(stringField(metadata, 'name'))}`,
    `GenerateName:${goQuote(stringField(metadata, 'generateName'))}`,
    `Namespace:${goQuote(stringField(metadata, 'namespace'))}`,
    'SelfLink:""',
    'UID:""',
    `ResourceVersion:${goQuote(stringField(metadata, 'resourceVersion'))}`,
    `Generation:${numberField(metadata, 'generation') ?? 0}`,
    'CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)',
    'DeletionTimestamp:<nil>',
    'DeletionGracePeriodSeconds:(*int64)(nil)',
    `Labels:${goStringMap(labels).text}`,
    `Annotations:${goStringMap(annotations).text}`,
    `OwnerReferences:${goOwnerReferences(metadata)}`,
    `Finalizers:${goStringSlice(finalizers).text}`,
    `ManagedFields:${goManagedFields(metadata)}`,
  ];
  return new GoSyntax(`v1.ObjectMeta{${fields.join(', ')}}`);
}

/**
 * Checks that normalized metadata is empty, apart from managedFields and, when
 * `namespaceAllowed`, namespace. kube-apiserver rejects any other field of a review's metadata.
 */
export function validateReviewMetadata(
  metadata: Record<string, unknown>,
  namespaceAllowed: boolean,
): FieldError[] {
  const ignored = new Set(['managedFields', ...(namespaceAllowed ? ['namespace'] : [])]);
  const filled = Object.entries(metadata).some(
    ([field, value]) => !ignored.has(field) && !isEmptyValue(value),
  );
  if (!filled) return [];
  const detail = namespaceAllowed ? 'must be empty except for namespace' : 'must be empty';
  return [invalid('metadata', goObjectMeta(metadata), detail)];
}
