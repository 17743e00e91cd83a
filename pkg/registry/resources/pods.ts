import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { validatePod } from '../validation/pod.js';
import {
  arrayField,
  booleanField,
  ensureObjectField,
  hasField,
  isObject,
  numberField,
  objectArrayField,
  objectField,
  stringField,
  type JSONObject,
} from '../validation/unstructured.js';
import { AGE_COLUMN, NAME_COLUMN, column, objectAge, objectName } from './columns.js';
import { parseTimestamp, translateTimestampSince } from './humanduration.js';
import { setPodDefaults } from './podspec.js';
import { podQOSClass } from './qos.js';

/** Status.reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

/** Counters gathered from container statuses for the Ready, Status and Restarts cells. */
interface PodSummary {
  reason: string;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  lastRestart: Date | undefined;
}

function conditionIsTrue(pod: StoredObject, type: string): boolean {
  return objectArrayField(objectField(pod, 'status'), 'conditions').some(
    (condition) =>
      stringField(condition, 'type') === type && stringField(condition, 'status') === 'True',
  );
}

/** Returns when a container last terminated before a restart, or undefined if it never did. */
function lastTerminatedAt(status: JSONObject): Date | undefined {
  const terminated = objectField(objectField(status, 'lastState'), 'terminated');
  return parseTimestamp(terminated?.finishedAt);
}

function later(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b > a ? b : a;
}

/** Describes a terminated container without a reason: `Signal:9` or `ExitCode:1`. */
function terminatedWithoutReason(terminated: JSONObject): string {
  const signal = numberField(terminated, 'signal') ?? 0;
  if (signal !== 0) return `Signal:${signal}`;
  return `ExitCode:${numberField(terminated, 'exitCode') ?? 0}`;
}

/**
 * Walks the init container statuses as printPod does. Returns the reason when the pod is
 * still initializing, and counts restarts and started sidecars (restartable init containers).
 */
function summarizeInitContainers(pod: StoredObject, summary: PodSummary): boolean {
  const spec = objectField(pod, 'spec');
  const initContainers = objectArrayField(spec, 'initContainers');
  const sidecars = new Set(
    initContainers
      .filter((container) => stringField(container, 'restartPolicy') === 'Always')
      .map((container) => stringField(container, 'name')),
  );
  summary.totalContainers += sidecars.size;
  let sidecarRestarts = 0;
  let sidecarLastRestart: Date | undefined;
  let initializing = false;
  const statuses = objectArrayField(objectField(pod, 'status'), 'initContainerStatuses');
  for (const [position, status] of statuses.entries()) {
    const restartCount = numberField(status, 'restartCount') ?? 0;
    summary.restarts += restartCount;
    summary.lastRestart = later(summary.lastRestart, lastTerminatedAt(status));
    const isSidecar = sidecars.has(stringField(status, 'name'));
    if (isSidecar) {
      sidecarRestarts += restartCount;
      sidecarLastRestart = later(sidecarLastRestart, lastTerminatedAt(status));
    }
    const state = objectField(status, 'state');
    const terminated = objectField(state, 'terminated');
    const waitingReason = stringField(objectField(state, 'waiting'), 'reason');
    if (terminated !== undefined && (numberField(terminated, 'exitCode') ?? 0) === 0) continue;
    if (isSidecar && booleanField(status, 'started') === true) {
      if (booleanField(status, 'ready') === true) summary.readyContainers++;
      continue;
    }
    if (terminated !== undefined) {
      const reason = stringField(terminated, 'reason');
      summary.reason = `Init:${reason === '' ? terminatedWithoutReason(terminated) : reason}`;
    } else if (waitingReason !== '' && waitingReason !== 'PodInitializing') {
      summary.reason = `Init:${waitingReason}`;
    } else {
      summary.reason = `Init:${position}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing || conditionIsTrue(pod, 'Initialized')) {
    // Restarts of finished init containers no longer count once the pod has initialized.
    summary.restarts = sidecarRestarts;
    summary.lastRestart = sidecarLastRestart;
    return false;
  }
  return true;
}

/** Walks the container statuses, last first, as printPod does. */
function summarizeContainers(pod: StoredObject, summary: PodSummary): void {
  let hasRunning = false;
  const statuses = objectArrayField(objectField(pod, 'status'), 'containerStatuses');
  for (const status of [...statuses].reverse()) {
    summary.restarts += numberField(status, 'restartCount') ?? 0;
    summary.lastRestart = later(summary.lastRestart, lastTerminatedAt(status));
    const state = objectField(status, 'state');
    const waitingReason = stringField(objectField(state, 'waiting'), 'reason');
    const terminated = objectField(state, 'terminated');
    if (waitingReason !== '') {
      summary.reason = waitingReason;
    } else if (terminated !== undefined) {
      const reason = stringField(terminated, 'reason');
      summary.reason = reason !== '' ? reason : terminatedWithoutReason(terminated);
    } else if (booleanField(status, 'ready') === true && isObject(state?.running)) {
      hasRunning = true;
      summary.readyContainers++;
    }
  }
  // A pod whose last container completed but another still runs is shown as running.
  if (summary.reason === 'Completed' && hasRunning) {
    summary.reason = conditionIsTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }
}

/**
 * Computes the Ready, Status and Restarts cells as kube-apiserver 1.32's printPod does,
 * including sidecar containers, scheduling gates and terminating pods.
 */
export function summarizePod(pod: StoredObject): PodSummary {
  const status = objectField(pod, 'status');
  const phase = stringField(status, 'phase');
  const statusReason = stringField(status, 'reason');
  const summary: PodSummary = {
    reason: statusReason !== '' ? statusReason : phase,
    readyContainers: 0,
    totalContainers: arrayField(objectField(pod, 'spec'), 'containers').length,
    restarts: 0,
    lastRestart: undefined,
  };
  const gated = objectArrayField(status, 'conditions').some(
    (condition) =>
      stringField(condition, 'type') === 'PodScheduled' &&
      stringField(condition, 'reason') === 'SchedulingGated',
  );
  if (gated) summary.reason = 'SchedulingGated';

  if (!summarizeInitContainers(pod, summary)) summarizeContainers(pod, summary);

  const deleting =
    pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  if (deleting && statusReason === NODE_UNREACHABLE_REASON) {
    summary.reason = 'Unknown';
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    summary.reason = 'Terminating';
  }
  return summary;
}

function readinessGates(pod: StoredObject): string {
  const gates = objectArrayField(objectField(pod, 'spec'), 'readinessGates');
  if (gates.length === 0) return '<none>';
  const satisfied = gates.filter((gate) =>
    conditionIsTrue(pod, stringField(gate, 'conditionType')),
  );
  return `${satisfied.length}/${gates.length}`;
}

function podIP(pod: StoredObject): string {
  const status = objectField(pod, 'status');
  const first = objectArrayField(status, 'podIPs')[0];
  const ip = first !== undefined ? stringField(first, 'ip') : stringField(status, 'podIP');
  return ip === '' ? '<none>' : ip;
}

function orNone(value: string): string {
  return value === '' ? '<none>' : value;
}

/** Cells of a pod row, wide columns included, as kube-apiserver always sends them. */
function podCells(pod: StoredObject, now: Date): unknown[] {
  const summary = summarizePod(pod);
  let restarts = String(summary.restarts);
  if (summary.lastRestart !== undefined) {
    restarts += ` (${translateTimestampSince(summary.lastRestart.toISOString(), now)} ago)`;
  }
  return [
    objectName(pod),
    `${summary.readyContainers}/${summary.totalContainers}`,
    summary.reason,
    restarts,
    objectAge(pod, now),
    podIP(pod),
    orNone(stringField(objectField(pod, 'spec'), 'nodeName')),
    orNone(stringField(objectField(pod, 'status'), 'nominatedNodeName')),
    readinessGates(pod),
  ];
}

/** The `kubectl get pods` table. */
export const POD_PRINTER: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'Ready containers out of all containers, sidecars included.'),
    column('Status', 'Phase of the pod, or the reason of the container that explains it.'),
    column('Restarts', 'Container restarts, and how long ago the last one was.'),
    AGE_COLUMN,
    column('IP', 'First IP address assigned to the pod.', { priority: 1 }),
    column('Node', 'Node the pod is bound to (spec.nodeName).', { priority: 1 }),
    column('Nominated Node', 'Node nominated for the pod after preemption.', { priority: 1 }),
    column('Readiness Gates', 'Readiness gates whose condition is True, out of all gates.', {
      priority: 1,
    }),
  ],
  cells: podCells,
};

/** Annotation the kubelet puts on the API copy of a static pod. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * Sets spec.serviceAccountName as kube-apiserver 1.32 does on create. Conversion from v1 reads
 * the deprecated spec.serviceAccount when serviceAccountName is empty, then the ServiceAccount
 * admission plugin fills in `default`, except on mirror pods. The response mirrors the name
 * into spec.serviceAccount, as conversion back to v1 does.
 */
export function setPodServiceAccount(pod: StoredObject): void {
  const spec = ensureObjectField(pod, 'spec');
  const fields = [spec.serviceAccountName, spec.serviceAccount];
  // A value of the wrong type is left for validation to reject.
  if (fields.some((value) => value !== undefined && value !== null && typeof value !== 'string')) {
    return;
  }
  let name = stringField(spec, 'serviceAccountName');
  if (name === '') name = stringField(spec, 'serviceAccount');
  const annotations = objectField(objectField(pod, 'metadata'), 'annotations');
  if (name === '' && !hasField(annotations, MIRROR_POD_ANNOTATION)) name = 'default';
  if (name === '') {
    delete spec.serviceAccountName;
    delete spec.serviceAccount;
    return;
  }
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
}

/**
 * Fills defaults and a fresh status as the pod strategy's PrepareForCreate does: phase
 * Pending, the computed QoS class, and a PodScheduled=False condition when scheduling gates
 * hold the pod back. Any status sent by the client is discarded.
 */
export function preparePodForCreate(pod: StoredObject): void {
  setPodDefaults(pod);
  setPodServiceAccount(pod);
  const spec = objectField(pod, 'spec');
  const status: JSONObject = { phase: 'Pending', qosClass: podQOSClass(spec) };
  if (arrayField(spec, 'schedulingGates').length > 0) {
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: null,
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  }
  pod.status = status;
}

/** core/v1 pods. Their log, exec and other connect subresources are not served. */
export const PODS: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  subresources: ['status'],
  printer: POD_PRINTER,
  fieldLabels: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  modelName: 'V1Pod',
  prepareForCreate: preparePodForCreate,
  validate: validatePod,
};
