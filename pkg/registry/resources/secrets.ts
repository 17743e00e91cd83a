import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { validateSecret } from '../validation/configmap.js';
import { objectField, stringField, stringMapField } from '../validation/unstructured.js';
import { AGE_COLUMN, NAME_COLUMN, column, keyCount, objectAge, objectName } from './columns.js';

/** The `kubectl get secrets` table. */
export const SECRET_PRINTER: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Type', 'Secret type, such as Opaque or kubernetes.io/tls.'),
    column('Data', 'Number of keys in data.'),
    AGE_COLUMN,
  ],
  cells: (secret: StoredObject, now: Date) => [
    objectName(secret),
    stringField(secret, 'type'),
    keyCount(secret, 'data'),
    objectAge(secret, now),
  ],
};

/**
 * Prepares a new secret: type Opaque by default, and stringData merged into data as base64,
 * its values winning, then dropped. kube-apiserver does the merge when it converts the
 * request, so stringData is never stored or returned.
 */
export function prepareSecretForCreate(secret: StoredObject): void {
  if (stringField(secret, 'type') === '') secret.type = 'Opaque';
  const stringData = stringMapField(secret, 'stringData');
  if (Object.keys(stringData).length > 0) {
    const data: Record<string, unknown> = { ...(objectField(secret, 'data') ?? {}) };
    for (const [key, value] of Object.entries(stringData)) {
      data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
    secret.data = data;
  }
  delete secret.stringData;
}

/** core/v1 secrets. */
export const SECRETS: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  categories: [],
  namespaced: true,
  subresources: [],
  printer: SECRET_PRINTER,
  fieldLabels: ['type'],
  modelName: 'V1Secret',
  prepareForCreate: prepareSecretForCreate,
  validate: validateSecret,
};
