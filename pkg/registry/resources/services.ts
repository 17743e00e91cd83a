import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { formatLabels } from '../validation/labels.js';
import { validateService } from '../validation/service.js';
import {
  ensureObjectField,
  hasField,
  numberField,
  objectArrayField,
  objectField,
  stringArrayField,
  stringField,
  stringMapField,
  type JSONObject,
} from '../validation/unstructured.js';
import { AGE_COLUMN, NAME_COLUMN, column, objectAge, objectName } from './columns.js';

/**
 * Lists the load balancer's ingress points (IP, else hostname), sorted and without repeats.
 * kube-apiserver builds tables as for `-o wide`, so the list is never shortened.
 */
function loadBalancerIngress(service: StoredObject): string[] {
  const ingress = objectArrayField(
    objectField(objectField(service, 'status'), 'loadBalancer'),
    'ingress',
  );
  const points = new Set<string>();
  for (const point of ingress) {
    const ip = stringField(point, 'ip');
    const hostname = stringField(point, 'hostname');
    if (ip !== '') points.add(ip);
    else if (hostname !== '') points.add(hostname);
  }
  return [...points].sort();
}

/** Computes the External-IP cell as printService's getServiceExternalIP does. */
export function serviceExternalIP(service: StoredObject): string {
  const spec = objectField(service, 'spec');
  const externalIPs = stringArrayField(spec, 'externalIPs');
  switch (stringField(spec, 'type')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const points = loadBalancerIngress(service);
      if (externalIPs.length > 0) return [...points, ...externalIPs].join(',');
      return points.length > 0 ? points.join(',') : '<pending>';
    }
    case 'ExternalName':
      return stringField(spec, 'externalName');
    default:
      return '<unknown>';
  }
}

/** Formats the ports as `80/TCP` or, with a node port, `80:30080/TCP`, joined by commas. */
export function servicePorts(service: StoredObject): string {
  const ports = objectArrayField(objectField(service, 'spec'), 'ports').map((port) => {
    const protocol = stringField(port, 'protocol');
    const nodePort = numberField(port, 'nodePort') ?? 0;
    const number = numberField(port, 'port') ?? 0;
    return nodePort > 0 ? `${number}:${nodePort}/${protocol}` : `${number}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(',') : '<none>';
}

function clusterIP(service: StoredObject): string {
  const spec = objectField(service, 'spec');
  const first = stringArrayField(spec, 'clusterIPs')[0] ?? stringField(spec, 'clusterIP');
  return first === '' ? '<none>' : first;
}

/** The `kubectl get services` table. */
export const SERVICE_PRINTER: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'Type',
      'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.',
    ),
    column('Cluster-IP', 'Virtual IP address of the service inside the cluster.'),
    column('External-IP', 'Addresses the service is reachable on from outside the cluster.'),
    column('Port(s)', 'Service ports with their node ports and protocols.'),
    AGE_COLUMN,
    column('Selector', 'Labels of the pods that receive the traffic.', { priority: 1 }),
  ],
  cells: (service: StoredObject, now: Date) => [
    objectName(service),
    stringField(objectField(service, 'spec'), 'type'),
    clusterIP(service),
    serviceExternalIP(service),
    servicePorts(service),
    objectAge(service, now),
    formatLabels(stringMapField(objectField(service, 'spec'), 'selector')),
  ],
};

function setDefault(target: JSONObject, key: string, value: unknown): void {
  if (!hasField(target, key) || target[key] === '') target[key] = value;
}

function setPortDefaults(port: JSONObject): void {
  setDefault(port, 'protocol', 'TCP');
  // A missing, zero or empty targetPort means "the same as port".
  if (!hasField(port, 'targetPort') || port.targetPort === 0 || port.targetPort === '') {
    port.targetPort = port.port;
  }
}

/**
 * Fills defaults and a fresh status as SetDefaults_Service and the service strategy do: type
 * ClusterIP, sessionAffinity None, port protocols and target ports, traffic policies, and
 * clusterIPs derived from clusterIP.
 * NOTE: no cluster IP is allocated, so Cluster-IP shows `<none>` unless the client set one.
 */
export function prepareServiceForCreate(service: StoredObject): void {
  const spec = ensureObjectField(service, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  const type = stringField(spec, 'type');
  if (
    stringField(spec, 'sessionAffinity') === 'ClientIP' &&
    !hasField(spec, 'sessionAffinityConfig')
  ) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  for (const port of objectArrayField(spec, 'ports')) setPortDefaults(port);
  if (type === 'NodePort' || type === 'LoadBalancer')
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (type !== 'ExternalName') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  const ip = stringField(spec, 'clusterIP');
  if (ip !== '' && stringArrayField(spec, 'clusterIPs').length === 0) spec.clusterIPs = [ip];
  service.status = { loadBalancer: {} };
}

/** core/v1 services. Their proxy subresource is not served. */
export const SERVICES: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  subresources: ['status'],
  printer: SERVICE_PRINTER,
  modelName: 'V1Service',
  prepareForCreate: prepareServiceForCreate,
  validate: validateService,
};
