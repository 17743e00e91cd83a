import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { validateConfigMap } from '../validation/configmap.js';
import { AGE_COLUMN, NAME_COLUMN, column, keyCount, objectAge, objectName } from './columns.js';

/** The `kubectl get configmaps` table; Data counts the keys of data and binaryData. */
export const CONFIG_MAP_PRINTER: TablePrinter = {
  columns: [NAME_COLUMN, column('Data', 'Number of keys in data and binaryData.'), AGE_COLUMN],
  cells: (configMap: StoredObject, now: Date) => [
    objectName(configMap),
    keyCount(configMap, 'data') + keyCount(configMap, 'binaryData'),
    objectAge(configMap, now),
  ],
};

/** core/v1 configmaps. */
export const CONFIG_MAPS: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  categories: [],
  namespaced: true,
  subresources: [],
  printer: CONFIG_MAP_PRINTER,
  modelName: 'V1ConfigMap',
  validate: validateConfigMap,
};
