import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { validateDeployment } from '../validation/deployment.js';
import { parseLabelSelector, selectorString } from '../validation/labels.js';
import {
  ensureObjectField,
  hasField,
  numberField,
  objectArrayField,
  objectField,
  stringField,
} from '../validation/unstructured.js';
import { AGE_COLUMN, NAME_COLUMN, column, objectAge, objectName } from './columns.js';
import { setPodSpecDefaults } from './podspec.js';

function statusCount(deployment: StoredObject, key: string): number {
  return numberField(objectField(deployment, 'status'), key) ?? 0;
}

/** The `kubectl get deployments` table. */
export const DEPLOYMENT_PRINTER: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'Ready replicas out of desired replicas.'),
    column('Up-to-date', 'Replicas running the latest pod template.'),
    column('Available', 'Replicas available to serve for at least minReadySeconds.'),
    AGE_COLUMN,
    column('Containers', 'Names of the containers in the pod template.', { priority: 1 }),
    column('Images', 'Images of the containers in the pod template.', { priority: 1 }),
    column('Selector', 'Label selector of the pods the deployment manages.', { priority: 1 }),
  ],
  cells: (deployment: StoredObject, now: Date) => {
    const spec = objectField(deployment, 'spec');
    const containers = objectArrayField(
      objectField(objectField(spec, 'template'), 'spec'),
      'containers',
    );
    const selector = parseLabelSelector(objectField(spec, 'selector'));
    return [
      objectName(deployment),
      `${statusCount(deployment, 'readyReplicas')}/${numberField(spec, 'replicas') ?? 0}`,
      statusCount(deployment, 'updatedReplicas'),
      statusCount(deployment, 'availableReplicas'),
      objectAge(deployment, now),
      containers.map((container) => stringField(container, 'name')).join(','),
      containers.map((container) => stringField(container, 'image')).join(','),
      selector === undefined ? '<invalid>' : selectorString(selector),
    ];
  },
};

/**
 * Fills defaults and a fresh status as SetDefaults_Deployment and the deployment strategy do:
 * replicas 1, a RollingUpdate strategy with 25% surge and unavailability, revisionHistoryLimit
 * 10, progressDeadlineSeconds 600, pod template defaults, generation 1 and an empty status.
 */
export function prepareDeploymentForCreate(deployment: StoredObject): void {
  const spec = ensureObjectField(deployment, 'spec');
  if (!hasField(spec, 'replicas')) spec.replicas = 1;
  const strategy = ensureObjectField(spec, 'strategy');
  if (stringField(strategy, 'type') === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureObjectField(strategy, 'rollingUpdate');
    if (!hasField(rollingUpdate, 'maxUnavailable')) rollingUpdate.maxUnavailable = '25%';
    if (!hasField(rollingUpdate, 'maxSurge')) rollingUpdate.maxSurge = '25%';
  }
  if (!hasField(spec, 'revisionHistoryLimit')) spec.revisionHistoryLimit = 10;
  if (!hasField(spec, 'progressDeadlineSeconds')) spec.progressDeadlineSeconds = 600;
  const template = ensureObjectField(spec, 'template');
  setPodSpecDefaults(ensureObjectField(template, 'spec'));
  deployment.metadata.generation = 1;
  deployment.status = {};
}

/** apps/v1 deployments. */
export const DEPLOYMENTS: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  subresources: ['status', 'scale'],
  printer: DEPLOYMENT_PRINTER,
  modelName: 'V1Deployment',
  prepareForCreate: prepareDeploymentForCreate,
  validate: validateDeployment,
};
