import { randomInt, randomUUID } from 'node:crypto';
import type { StoredObject } from '../../storage/interfaces.js';

/** Characters of generated name suffixes: no vowels (no words) and no look-alike characters. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
/** kube-apiserver trims generateName so the generated name stays within 63 characters. */
const MAX_GENERATED_NAME_LENGTH = 63;

/** Appends kube-apiserver's 5-character random suffix to a generateName prefix. */
export function generateName(prefix: string): string {
  const base = prefix.slice(0, MAX_GENERATED_NAME_LENGTH - SUFFIX_LENGTH);
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++)
    suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return base + suffix;
}

/** Formats a time as metav1.Time does: RFC 3339 in UTC with second precision. */
export function formatTimestamp(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Returns an object's metadata as a record, creating it when missing. */
export function metadataOf(object: StoredObject): Record<string, unknown> {
  return object.metadata;
}

/** Returns a string field of the metadata, or ''. */
export function metadataString(object: StoredObject, field: string): string {
  const value = object.metadata[field];
  return typeof value === 'string' ? value : '';
}

/** Returns the resourceVersion of a stored object, or ''. */
export function resourceVersionOf(object: StoredObject): string {
  return metadataString(object, 'resourceVersion');
}

/** Returns the labels of an object, or an empty record. */
export function labelsOf(object: StoredObject): Record<string, string> {
  const labels = object.metadata.labels;
  return typeof labels === 'object' && labels !== null ? (labels as Record<string, string>) : {};
}

/** Fields of ObjectMeta that only the server sets; values sent by clients are replaced. */
const SERVER_SET_FIELDS = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
  'managedFields',
];

/**
 * Sets the metadata kube-apiserver sets on create: the name from generateName, the namespace
 * from the URL (cleared for cluster-scoped kinds), a new uid and the creation time. Kinds that
 * track a generation (deployments) set it in their prepareForCreate.
 */
export function fillCreateMetadata(object: StoredObject, namespace: string, now: Date): void {
  const metadata = object.metadata;
  for (const field of SERVER_SET_FIELDS) delete metadata[field];
  if (metadataString(object, 'name') === '' && metadataString(object, 'generateName') !== '') {
    metadata.name = generateName(metadataString(object, 'generateName'));
  }
  if (namespace === '') delete metadata.namespace;
  else metadata.namespace = namespace;
  metadata.uid = randomUUID();
  metadata.creationTimestamp = formatTimestamp(now);
}

/**
 * Carries the server-set metadata of the stored object over to its replacement, and bumps the
 * generation when the spec changed, as kube-apiserver's update strategies do.
 */
export function carryUpdateMetadata(updated: StoredObject, current: StoredObject): void {
  const metadata = updated.metadata;
  for (const field of ['uid', 'creationTimestamp', 'namespace', 'name']) {
    if (current.metadata[field] === undefined) delete metadata[field];
    else metadata[field] = current.metadata[field];
  }
  delete metadata.managedFields;
  const generation = current.metadata.generation;
  if (typeof generation === 'number') {
    const specChanged = JSON.stringify(updated.spec) !== JSON.stringify(current.spec);
    metadata.generation = specChanged ? generation + 1 : generation;
  } else {
    delete metadata.generation;
  }
}
