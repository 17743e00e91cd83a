import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import { invalid, key, required, tooLong } from './field.js';
import { isConfigMapKey } from './names.js';
import { objectField, stringField, stringMapField } from './unstructured.js';

/** Maximum total size of a ConfigMap's or Secret's data, in bytes: 1 MiB, as core.MaxSecretSize. */
export const MAX_DATA_SIZE_BYTES = 1024 * 1024;

/** Returns the length of a base64 value once decoded, which is the length Go checks. */
function decodedLength(value: string): number {
  return Buffer.from(value, 'base64').length;
}

/** Validates a ConfigMap beyond its metadata: key format, no key in both maps, total size. */
export function validateConfigMap(object: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const data = stringMapField(object, 'data');
  const binaryData = stringMapField(object, 'binaryData');
  let totalBytes = 0;
  for (const [name, value] of Object.entries(data)) {
    for (const message of isConfigMapKey(name))
      errors.push(invalid(key('data', name), name, message));
    if (Object.hasOwn(binaryData, name)) {
      errors.push(invalid(key('data', name), name, 'duplicate of key present in binaryData'));
    }
    totalBytes += Buffer.byteLength(value, 'utf8');
  }
  for (const [name, value] of Object.entries(binaryData)) {
    for (const message of isConfigMapKey(name)) {
      errors.push(invalid(key('binaryData', name), name, message));
    }
    totalBytes += decodedLength(value);
  }
  // kube-apiserver reports the size of the whole object under an empty field path.
  if (totalBytes > MAX_DATA_SIZE_BYTES) errors.push(tooLong('', MAX_DATA_SIZE_BYTES));
  return errors;
}

/** Data keys that each built-in Secret type requires, as ValidateSecret checks them. */
const REQUIRED_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/**
 * Validates a Secret beyond its metadata: key format, a total size of at most 1 MiB, and the
 * keys or annotation its type requires.
 * NOTE: the JSON content of dockercfg and dockerconfigjson secrets is not parsed, where
 * kube-apiserver rejects malformed JSON.
 */
export function validateSecret(object: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const data = stringMapField(object, 'data');
  let totalBytes = 0;
  for (const [name, value] of Object.entries(data)) {
    for (const message of isConfigMapKey(name))
      errors.push(invalid(key('data', name), name, message));
    totalBytes += decodedLength(value);
  }
  if (totalBytes > MAX_DATA_SIZE_BYTES) errors.push(tooLong('data', MAX_DATA_SIZE_BYTES));

  const type = stringField(object, 'type');
  if (type === 'kubernetes.io/service-account-token') {
    const annotation = 'kubernetes.io/service-account.name';
    const annotations = stringMapField(objectField(object, 'metadata'), 'annotations');
    if ((annotations[annotation] ?? '') === '') {
      errors.push(required(key('metadata.annotations', annotation)));
    }
  } else if (type === 'kubernetes.io/basic-auth') {
    // Either key may hold an empty value, but at least one of them must be present.
    if (!Object.hasOwn(data, 'username') && !Object.hasOwn(data, 'password')) {
      errors.push(required(key('data', 'username')), required(key('data', 'password')));
    }
  } else {
    for (const requiredKey of REQUIRED_SECRET_KEYS[type] ?? []) {
      if (!Object.hasOwn(data, requiredKey)) errors.push(required(key('data', requiredKey)));
    }
  }
  return errors;
}
