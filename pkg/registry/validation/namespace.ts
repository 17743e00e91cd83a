import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import { invalid } from './field.js';
import { isQualifiedName } from './names.js';
import { objectField, stringArrayField } from './unstructured.js';

/** Finalizer names that need no domain prefix: core's `kubernetes` and the two GC ones. */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/**
 * Checks a finalizer name as core's validateFinalizerName does: a qualified name, which must
 * carry a domain prefix unless it is a standard finalizer.
 */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  const errors = isQualifiedName(name).map((message) => invalid(path, name, message));
  errors.push(...validateKubeFinalizerName(name, path));
  return errors;
}

/** Rejects an unprefixed finalizer name that is not a standard one. */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  if (name.includes('/') || STANDARD_FINALIZERS.includes(name)) return [];
  return [
    invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'),
  ];
}

/** Validates a Namespace beyond its metadata: each of spec.finalizers. */
export function validateNamespace(object: StoredObject): FieldError[] {
  return stringArrayField(objectField(object, 'spec'), 'finalizers').flatMap((finalizer) =>
    validateFinalizerName(finalizer, 'spec.finalizers'),
  );
}
