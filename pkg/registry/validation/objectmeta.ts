import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import { forbidden, goStringSlice, invalid, required } from './field.js';
import { validateAnnotations, validateLabels } from './labels.js';
import { validateKubeFinalizerName } from './namespace.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
} from './names.js';
import { arrayField, numberField, stringField, stringMapField } from './unstructured.js';

/**
 * Validates an object name, or with `prefix` a generateName prefix, to which a random suffix
 * will be appended. Returns messages without the field, as Go's ValidateNameFunc does.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * Replaces a trailing dash of a generateName prefix so the prefix can be checked as a name.
 * apimachinery 1.32 drops the character before the dash as well (it slices to len-2); that
 * quirk is kept so the same prefixes pass.
 */
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return `${name.slice(0, -2)}a`;
  return name;
}

/** Names that must be RFC 1123 subdomains: pods, configmaps, secrets, deployments, ... */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** Names that must be RFC 1123 labels: namespaces. */
export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** Names that must be RFC 1035 labels (starting with a letter): services. */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** Names that only need to be one URL path segment: the RBAC kinds. */
export const nameIsPathSegment: NameValidator = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);

const NAME_VALIDATORS: Readonly<Record<string, NameValidator>> = {
  Namespace: nameIsDNSLabel,
  Service: nameIsDNS1035Label,
  Role: nameIsPathSegment,
  RoleBinding: nameIsPathSegment,
  ClusterRole: nameIsPathSegment,
  ClusterRoleBinding: nameIsPathSegment,
};

/**
 * Returns the name rule kube-apiserver 1.32 applies to a kind: ValidateNamespaceName,
 * ValidateServiceName, ValidateRBACName, and the RFC 1123 subdomain rule for everything else.
 */
export function nameValidatorForKind(kind: string): NameValidator {
  return NAME_VALIDATORS[kind] ?? nameIsDNSSubdomain;
}

/** Facts about the object's resource that validateObjectMeta needs. */
export interface ObjectMetaOptions {
  /** Whether the resource lives in a namespace, so metadata.namespace is required. */
  readonly namespaced: boolean;
  /** The object's kind, which selects the name rule; see nameValidatorForKind. */
  readonly kind: string;
}

/**
 * Validates metadata as core's ValidateObjectMeta does on create: name (or generateName),
 * namespace, generation, labels, annotations and finalizers.
 * NOTE: ownerReferences and managedFields are not validated yet.
 *
 * A missing name is accepted when generateName is set, because the caller generates the name.
 * Call this after the namespace from the URL has been set on the object.
 *
 * kube-apiserver 1.32 skips metadata validation entirely for core/v1 Events (for backward
 * compatibility with old clients), so this returns no errors for kind `Event`.
 */
export function validateObjectMeta(object: StoredObject, options: ObjectMetaOptions): FieldError[] {
  if (options.kind === 'Event') return [];
  const metadata = object.metadata;
  const validateName = nameValidatorForKind(options.kind);
  const errors: FieldError[] = [];

  const generateName = stringField(metadata, 'generateName');
  if (generateName !== '') {
    for (const message of validateName(generateName, true)) {
      errors.push(invalid('metadata.generateName', generateName, message));
    }
  }
  const name = stringField(metadata, 'name');
  if (name === '') {
    if (generateName === '') {
      errors.push(required('metadata.name', 'name or generateName is required'));
    }
  } else {
    for (const message of validateName(name, false)) {
      errors.push(invalid('metadata.name', name, message));
    }
  }

  errors.push(...validateNamespaceField(stringField(metadata, 'namespace'), options.namespaced));

  const generation = numberField(metadata, 'generation');
  if (generation !== undefined && generation < 0) {
    errors.push(invalid('metadata.generation', generation, 'must be greater than or equal to 0'));
  }
  errors.push(...validateLabels(stringMapField(metadata, 'labels'), 'metadata.labels'));
  errors.push(
    ...validateAnnotations(stringMapField(metadata, 'annotations'), 'metadata.annotations'),
  );
  const finalizers = arrayField(metadata, 'finalizers');
  errors.push(...validateFinalizers(finalizers, 'metadata.finalizers'));
  // core's ValidateObjectMeta adds the kube finalizer rule after apimachinery's checks.
  for (const finalizer of finalizers) {
    if (typeof finalizer !== 'string') continue;
    errors.push(...validateKubeFinalizerName(finalizer, 'metadata.finalizers'));
  }
  return errors;
}

function validateNamespaceField(namespace: string, namespaced: boolean): FieldError[] {
  if (!namespaced) {
    return namespace === '' ? [] : [forbidden('metadata.namespace', 'not allowed on this type')];
  }
  if (namespace === '') return [required('metadata.namespace')];
  return isDNS1123Label(namespace).map((message) =>
    invalid('metadata.namespace', namespace, message),
  );
}

const ORPHAN_FINALIZER = 'orphan';
const FOREGROUND_FINALIZER = 'foregroundDeletion';

function validateFinalizers(finalizers: unknown[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const finalizer of finalizers) {
    const value = typeof finalizer === 'string' ? finalizer : '';
    for (const message of isQualifiedName(value)) errors.push(invalid(path, value, message));
  }
  if (finalizers.includes(ORPHAN_FINALIZER) && finalizers.includes(FOREGROUND_FINALIZER)) {
    const names = finalizers.filter(
      (finalizer): finalizer is string => typeof finalizer === 'string',
    );
    errors.push(
      invalid(
        path,
        goStringSlice(names),
        `finalizer ${ORPHAN_FINALIZER} and ${FOREGROUND_FINALIZER} cannot be both set`,
      ),
    );
  }
  return errors;
}
