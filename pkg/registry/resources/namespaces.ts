import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { validateNamespace } from '../validation/namespace.js';
import {
  ensureObjectField,
  objectField,
  stringArrayField,
  stringField,
} from '../validation/unstructured.js';
import { AGE_COLUMN, NAME_COLUMN, column, objectAge, objectName } from './columns.js';

/** The finalizer that makes the namespace controller empty a namespace before it goes. */
export const KUBERNETES_FINALIZER = 'kubernetes';

/** The label kube-apiserver puts on every namespace, holding the namespace's own name. */
export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The `kubectl get namespaces` table. */
export const NAMESPACE_PRINTER: TablePrinter = {
  columns: [NAME_COLUMN, column('Status', 'Lifecycle phase: Active or Terminating.'), AGE_COLUMN],
  cells: (namespace: StoredObject, now: Date) => [
    objectName(namespace),
    stringField(objectField(namespace, 'status'), 'phase'),
    objectAge(namespace, now),
  ],
};

/**
 * Prepares a new namespace as the namespace strategy and defaulting do: status Active, the
 * `kubernetes` finalizer appended to spec.finalizers, and the metadata.name label. The label
 * needs the final name, so call this after a generateName has been resolved.
 */
export function prepareNamespaceForCreate(namespace: StoredObject): void {
  namespace.status = { phase: 'Active' };
  const spec = ensureObjectField(namespace, 'spec');
  const finalizers = stringArrayField(spec, 'finalizers');
  if (!finalizers.includes(KUBERNETES_FINALIZER)) finalizers.push(KUBERNETES_FINALIZER);
  spec.finalizers = finalizers;
  const name = stringField(namespace.metadata, 'name');
  if (name !== '') {
    const labels = ensureObjectField(namespace.metadata, 'labels');
    labels[METADATA_NAME_LABEL] = name;
  }
}

/** core/v1 namespaces, which are cluster-scoped. */
export const NAMESPACES: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  subresources: ['status', 'finalize'],
  printer: NAMESPACE_PRINTER,
  fieldLabels: ['status.phase'],
  modelName: 'V1Namespace',
  prepareForCreate: prepareNamespaceForCreate,
  validate: validateNamespace,
};
