import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { arrayField } from '../validation/unstructured.js';
import { AGE_COLUMN, NAME_COLUMN, column, objectAge, objectName } from './columns.js';

/** The `kubectl get serviceaccounts` table. */
export const SERVICE_ACCOUNT_PRINTER: TablePrinter = {
  columns: [NAME_COLUMN, column('Secrets', 'Number of secrets the account lists.'), AGE_COLUMN],
  cells: (account: StoredObject, now: Date) => [
    objectName(account),
    arrayField(account, 'secrets').length,
    objectAge(account, now),
  ],
};

/**
 * core/v1 serviceaccounts.
 * NOTE: the `token` subresource (TokenRequest, used by `kubectl create token`) is not listed
 * here, so the handler that serves it must also add it to this list.
 */
export const SERVICE_ACCOUNTS: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  categories: [],
  namespaced: true,
  subresources: ['token'],
  printer: SERVICE_ACCOUNT_PRINTER,
  modelName: 'V1ServiceAccount',
};
