import type { ResourceDefinition } from '../../../../../../pkg/registry/resource.js';

const noPrinter = { columns: [], cells: (): unknown[] => [] };

function definition(
  fields: Pick<ResourceDefinition, 'group' | 'version' | 'kind' | 'plural' | 'namespaced'> &
    Partial<ResourceDefinition>,
): ResourceDefinition {
  return {
    listKind: `${fields.kind}List`,
    singular: fields.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    subresources: [],
    printer: noPrinter,
    modelName: `V1${fields.kind}`,
    ...fields,
  };
}

export const pods = definition({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'log', 'eviction', 'exec'],
});

export const namespaces = definition({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
  shortNames: ['ns'],
  subresources: ['status', 'finalize'],
});

export const serviceAccounts = definition({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  namespaced: true,
  shortNames: ['sa'],
  subresources: ['token'],
});

export const configMaps = definition({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
  shortNames: ['cm'],
});

export const nodes = definition({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['proxy', 'status'],
});

export const deployments = definition({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
});

export const cronJobs = definition({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
});

/** The storage-backed resources most tests serve. */
export const DEFINITIONS: readonly ResourceDefinition[] = [
  pods,
  namespaces,
  serviceAccounts,
  configMaps,
  nodes,
  deployments,
  cronJobs,
];
