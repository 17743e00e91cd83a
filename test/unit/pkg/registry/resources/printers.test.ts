import { expect } from 'chai';
import type { ResourceDefinition } from '../../../../../pkg/registry/resource.js';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  CONFIG_MAPS,
  DEPLOYMENTS,
  EVENTS,
  NAMESPACES,
  PODS,
  ROLE_BINDINGS,
  ROLES,
  SECRETS,
  SERVICE_ACCOUNTS,
  SERVICES,
} from '../../../../../pkg/registry/resources/index.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';

const NOW = new Date('2025-01-10T12:00:00Z');
/** Created 2d3h before NOW. */
const CREATED = '2025-01-08T09:00:00Z';

function object(name: string, fields: Record<string, unknown> = {}, metadata = {}): StoredObject {
  return { metadata: { name, creationTimestamp: CREATED, ...metadata }, ...fields };
}

/** Column name, type, format and priority, in order; descriptions are our own words. */
function columnShape(definition: ResourceDefinition): string[] {
  return definition.printer.columns.map(
    (column) => `${column.name}|${column.type}|${column.format}|${column.priority}`,
  );
}

describe('printer columns', () => {
  const cases = [
    {
      definition: PODS,
      expect: [
        'Name|string|name|0',
        'Ready|string||0',
        'Status|string||0',
        'Restarts|string||0',
        'Age|string||0',
        'IP|string||1',
        'Node|string||1',
        'Nominated Node|string||1',
        'Readiness Gates|string||1',
      ],
    },
    {
      definition: NAMESPACES,
      expect: ['Name|string|name|0', 'Status|string||0', 'Age|string||0'],
    },
    {
      definition: SERVICES,
      expect: [
        'Name|string|name|0',
        'Type|string||0',
        'Cluster-IP|string||0',
        'External-IP|string||0',
        'Port(s)|string||0',
        'Age|string||0',
        'Selector|string||1',
      ],
    },
    {
      definition: CONFIG_MAPS,
      expect: ['Name|string|name|0', 'Data|string||0', 'Age|string||0'],
    },
    {
      definition: SECRETS,
      expect: ['Name|string|name|0', 'Type|string||0', 'Data|string||0', 'Age|string||0'],
    },
    {
      definition: SERVICE_ACCOUNTS,
      expect: ['Name|string|name|0', 'Secrets|string||0', 'Age|string||0'],
    },
    {
      definition: EVENTS,
      expect: [
        'Last Seen|string||0',
        'Type|string||0',
        'Reason|string||0',
        'Object|string||0',
        'Subobject|string||1',
        'Source|string||1',
        'Message|string||0',
        'First Seen|string||1',
        'Count|string||1',
        'Name|string|name|1',
      ],
    },
    {
      definition: DEPLOYMENTS,
      expect: [
        'Name|string|name|0',
        'Ready|string||0',
        'Up-to-date|string||0',
        'Available|string||0',
        'Age|string||0',
        'Containers|string||1',
        'Images|string||1',
        'Selector|string||1',
      ],
    },
    { definition: ROLES, expect: ['Name|string|name|0', 'Created At|date||0'] },
    { definition: CLUSTER_ROLES, expect: ['Name|string|name|0', 'Created At|date||0'] },
    {
      definition: ROLE_BINDINGS,
      expect: [
        'Name|string|name|0',
        'Role|string||0',
        'Age|string||0',
        'Users|string||1',
        'Groups|string||1',
        'ServiceAccounts|string||1',
      ],
    },
    {
      definition: CLUSTER_ROLE_BINDINGS,
      expect: [
        'Name|string|name|0',
        'Role|string||0',
        'Age|string||0',
        'Users|string||1',
        'Groups|string||1',
        'ServiceAccounts|string||1',
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.definition.plural, () => {
      expect(columnShape(tc.definition)).to.deep.equal(tc.expect);
    });
  }
});

const running = { running: { startedAt: '2025-01-08T09:01:00Z' } };

describe('pod printer cells', () => {
  const cases: { name: string; pod: StoredObject; expect: unknown[] }[] = [
    {
      name: 'new pending pod',
      pod: object(
        'web',
        {
          spec: { containers: [{ name: 'a' }, { name: 'b' }] },
          status: { phase: 'Pending' },
        },
        { creationTimestamp: '2025-01-10T11:57:00Z' },
      ),
      expect: ['web', '0/2', 'Pending', '0', '3m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'running with restart and gate',
      pod: object('web', {
        spec: {
          nodeName: 'node-1',
          containers: [{ name: 'a' }, { name: 'b' }],
          readinessGates: [{ conditionType: 'example.com/ready' }, { conditionType: 'other' }],
        },
        status: {
          phase: 'Running',
          podIP: '10.0.0.5',
          podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }],
          nominatedNodeName: 'node-2',
          conditions: [{ type: 'example.com/ready', status: 'True' }],
          containerStatuses: [
            {
              name: 'a',
              ready: true,
              restartCount: 2,
              state: running,
              lastState: { terminated: { exitCode: 1, finishedAt: '2025-01-10T11:55:00Z' } },
            },
            { name: 'b', ready: true, restartCount: 1, state: running },
          ],
        },
      }),
      expect: [
        'web',
        '2/2',
        'Running',
        '3 (5m ago)',
        '2d3h',
        '10.0.0.5',
        'node-1',
        'node-2',
        '1/2',
      ],
    },
    {
      name: 'crash loop',
      pod: object('web', {
        spec: { containers: [{ name: 'a' }] },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'a',
              ready: false,
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
            },
          ],
        },
      }),
      expect: [
        'web',
        '0/1',
        'CrashLoopBackOff',
        '4',
        '2d3h',
        '<none>',
        '<none>',
        '<none>',
        '<none>',
      ],
    },
    {
      name: 'killed by signal',
      pod: object('web', {
        spec: { containers: [{ name: 'a' }] },
        status: {
          phase: 'Failed',
          containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } }],
        },
      }),
      expect: ['web', '0/1', 'Signal:9', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'exit code without reason',
      pod: object('web', {
        spec: { containers: [{ name: 'a' }] },
        status: {
          phase: 'Failed',
          containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }],
        },
      }),
      expect: ['web', '0/1', 'ExitCode:2', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'status reason wins over phase',
      pod: object('web', {
        spec: { containers: [{ name: 'a' }] },
        status: { phase: 'Failed', reason: 'Evicted' },
      }),
      expect: ['web', '0/1', 'Evicted', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container starting',
      pod: object('web', {
        spec: {
          initContainers: [{ name: 'init' }, { name: 'init2' }],
          containers: [{ name: 'a' }],
        },
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'init', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'init2', restartCount: 1, state: { waiting: { reason: 'PodInitializing' } } },
          ],
          containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }],
        },
      }),
      expect: ['web', '0/1', 'Init:1/2', '1', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container failed',
      pod: object('web', {
        spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'a' }] },
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'init', state: { terminated: { exitCode: 1, reason: 'Error' } } },
          ],
        },
      }),
      expect: ['web', '0/1', 'Init:Error', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container image pull',
      pod: object('web', {
        spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'a' }] },
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'ErrImagePull' } } }],
        },
      }),
      expect: [
        'web',
        '0/1',
        'Init:ErrImagePull',
        '0',
        '2d3h',
        '<none>',
        '<none>',
        '<none>',
        '<none>',
      ],
    },
    {
      name: 'sidecar counts as ready container',
      pod: object('web', {
        spec: {
          initContainers: [{ name: 'proxy', restartPolicy: 'Always' }],
          containers: [{ name: 'app' }],
        },
        status: {
          phase: 'Running',
          initContainerStatuses: [
            { name: 'proxy', started: true, ready: true, restartCount: 1, state: running },
          ],
          containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
        },
      }),
      expect: ['web', '2/2', 'Running', '1', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'completed container beside running one',
      pod: object('web', {
        spec: { containers: [{ name: 'job' }, { name: 'server' }] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            { name: 'job', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'server', ready: true, state: running },
          ],
        },
      }),
      expect: ['web', '1/2', 'NotReady', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'terminating',
      pod: object(
        'web',
        {
          spec: { containers: [{ name: 'a' }] },
          status: {
            phase: 'Running',
            containerStatuses: [{ name: 'a', ready: true, state: running }],
          },
        },
        { deletionTimestamp: '2025-01-10T11:59:00Z' },
      ),
      expect: ['web', '1/1', 'Terminating', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'deleted on lost node',
      pod: object(
        'web',
        { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', reason: 'NodeLost' } },
        { deletionTimestamp: '2025-01-10T11:59:00Z' },
      ),
      expect: ['web', '0/1', 'Unknown', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'succeeded pod being deleted',
      pod: object(
        'web',
        {
          spec: { containers: [{ name: 'a' }] },
          status: {
            phase: 'Succeeded',
            containerStatuses: [
              { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            ],
          },
        },
        { deletionTimestamp: '2025-01-10T11:59:00Z' },
      ),
      expect: ['web', '0/1', 'Completed', '0', '2d3h', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'scheduling gated',
      pod: object('web', {
        spec: { containers: [{ name: 'a' }], schedulingGates: [{ name: 'example.com/gate' }] },
        status: {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
        },
      }),
      expect: [
        'web',
        '0/1',
        'SchedulingGated',
        '0',
        '2d3h',
        '<none>',
        '<none>',
        '<none>',
        '<none>',
      ],
    },
    {
      name: 'no creation timestamp',
      pod: { metadata: { name: 'web' }, spec: { containers: [{ name: 'a' }] } },
      expect: ['web', '0/1', '', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(PODS.printer.cells(tc.pod, NOW)).to.deep.equal(tc.expect);
    });
  }
});

describe('service printer cells', () => {
  const cases: { name: string; service: StoredObject; expect: unknown[] }[] = [
    {
      name: 'cluster ip',
      service: object('kube-dns', {
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP' },
            { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          ],
          selector: { 'k8s-app': 'kube-dns', tier: 'dns' },
        },
      }),
      expect: [
        'kube-dns',
        'ClusterIP',
        '10.96.0.10',
        '<none>',
        '53/UDP,53/TCP',
        '2d3h',
        'k8s-app=kube-dns,tier=dns',
      ],
    },
    {
      name: 'node port with external ip',
      service: object('web', {
        spec: {
          type: 'NodePort',
          clusterIPs: ['10.96.1.1'],
          externalIPs: ['1.2.3.4', '1.2.3.5'],
          ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
        },
      }),
      expect: ['web', 'NodePort', '10.96.1.1', '1.2.3.4,1.2.3.5', '80:30080/TCP', '2d3h', '<none>'],
    },
    {
      name: 'load balancer pending',
      service: object('lb', {
        spec: { type: 'LoadBalancer', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] },
        status: { loadBalancer: {} },
      }),
      expect: ['lb', 'LoadBalancer', '<none>', '<pending>', '443:31443/TCP', '2d3h', '<none>'],
    },
    {
      name: 'load balancer with ingress',
      service: object('lb', {
        spec: { type: 'LoadBalancer', externalIPs: ['9.9.9.9'] },
        status: {
          loadBalancer: {
            ingress: [{ hostname: 'lb.example.com' }, { ip: '5.6.7.8' }, { ip: '5.6.7.8' }],
          },
        },
      }),
      expect: [
        'lb',
        'LoadBalancer',
        '<none>',
        '5.6.7.8,lb.example.com,9.9.9.9',
        '<none>',
        '2d3h',
        '<none>',
      ],
    },
    {
      name: 'external name',
      service: object('db', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }),
      expect: ['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '2d3h', '<none>'],
    },
    {
      name: 'headless',
      service: object('db', {
        spec: {
          type: 'ClusterIP',
          clusterIP: 'None',
          clusterIPs: ['None'],
          ports: [{ port: 5432, protocol: 'TCP' }],
        },
      }),
      expect: ['db', 'ClusterIP', 'None', '<none>', '5432/TCP', '2d3h', '<none>'],
    },
    {
      name: 'unknown type',
      service: object('odd', { spec: { type: 'Other' } }),
      expect: ['odd', 'Other', '<none>', '<unknown>', '<none>', '2d3h', '<none>'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(SERVICES.printer.cells(tc.service, NOW)).to.deep.equal(tc.expect);
    });
  }
});

describe('event printer cells', () => {
  const cases: { name: string; event: StoredObject; expect: unknown[] }[] = [
    {
      name: 'legacy event',
      event: object('web.17a', {
        type: 'Normal',
        reason: 'Pulled',
        message: '  Successfully pulled image "nginx"\n',
        count: 3,
        firstTimestamp: '2025-01-10T11:00:00Z',
        lastTimestamp: '2025-01-10T11:58:00Z',
        source: { component: 'kubelet', host: 'node-1' },
        involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
      }),
      expect: [
        '2m',
        'Normal',
        'Pulled',
        'pod/web',
        'spec.containers{app}',
        'kubelet, node-1',
        'Successfully pulled image "nginx"',
        '60m',
        3,
        'web.17a',
      ],
    },
    {
      name: 'series event',
      event: object('web.17b', {
        type: 'Warning',
        reason: 'FailedScheduling',
        message: '0/1 nodes are available',
        eventTime: '2025-01-10T11:50:00.000000Z',
        series: { count: 4, lastObservedTime: '2025-01-10T11:59:30.000000Z' },
        reportingComponent: 'default-scheduler',
        involvedObject: { kind: 'Pod', name: 'web' },
      }),
      expect: [
        '30s',
        'Warning',
        'FailedScheduling',
        'pod/web',
        '',
        'default-scheduler',
        '0/1 nodes are available',
        '10m',
        4,
        'web.17b',
      ],
    },
    {
      name: 'single new style event',
      event: object('node.1', {
        type: 'Normal',
        reason: 'Starting',
        eventTime: '2025-01-10T11:59:00.000000Z',
        reportingComponent: 'kubelet',
        reportingInstance: 'node-1',
        involvedObject: { kind: 'Node' },
      }),
      expect: ['60s', 'Normal', 'Starting', 'node', '', 'kubelet, node-1', '', '60s', 1, 'node.1'],
    },
    {
      name: 'no times at all',
      event: object('x', { involvedObject: { kind: 'Pod', name: 'web' } }),
      expect: ['<unknown>', '', '', 'pod/web', '', '', '', '<unknown>', 1, 'x'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(EVENTS.printer.cells(tc.event, NOW)).to.deep.equal(tc.expect);
    });
  }
});

describe('deployment printer cells', () => {
  const cases: { name: string; deployment: StoredObject; expect: unknown[] }[] = [
    {
      name: 'rolled out',
      deployment: object('web', {
        spec: {
          replicas: 3,
          selector: {
            matchLabels: { app: 'web' },
            matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'api'] }],
          },
          template: {
            spec: {
              containers: [
                { name: 'nginx', image: 'nginx:1.25' },
                { name: 'sidecar', image: 'busybox' },
              ],
            },
          },
        },
        status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      }),
      expect: [
        'web',
        '2/3',
        3,
        2,
        '2d3h',
        'nginx,sidecar',
        'nginx:1.25,busybox',
        'app=web,tier in (api,frontend)',
      ],
    },
    {
      name: 'new with empty status',
      deployment: object('web', {
        spec: {
          replicas: 1,
          selector: {
            matchExpressions: [
              { key: 'gone', operator: 'DoesNotExist' },
              { key: 'app', operator: 'Exists' },
              { key: 'env', operator: 'NotIn', values: ['prod'] },
            ],
          },
          template: { spec: { containers: [{ name: 'app', image: 'app:1' }] } },
        },
        status: {},
      }),
      expect: ['web', '0/1', 0, 0, '2d3h', 'app', 'app:1', 'app,env notin (prod),!gone'],
    },
    {
      name: 'invalid selector',
      deployment: object('web', {
        spec: { selector: { matchExpressions: [{ key: 'app', operator: 'Near' }] } },
      }),
      expect: ['web', '0/0', 0, 0, '2d3h', '', '', '<invalid>'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(DEPLOYMENTS.printer.cells(tc.deployment, NOW)).to.deep.equal(tc.expect);
    });
  }
});

describe('simple printer cells', () => {
  const cases: {
    name: string;
    definition: ResourceDefinition;
    object: StoredObject;
    expect: unknown[];
  }[] = [
    {
      name: 'namespace',
      definition: NAMESPACES,
      object: object('default', { status: { phase: 'Active' } }),
      expect: ['default', 'Active', '2d3h'],
    },
    {
      name: 'terminating namespace',
      definition: NAMESPACES,
      object: object('old', { status: { phase: 'Terminating' } }),
      expect: ['old', 'Terminating', '2d3h'],
    },
    {
      name: 'configmap counts both maps',
      definition: CONFIG_MAPS,
      object: object('settings', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }),
      expect: ['settings', 3, '2d3h'],
    },
    {
      name: 'empty configmap',
      definition: CONFIG_MAPS,
      object: object('empty'),
      expect: ['empty', 0, '2d3h'],
    },
    {
      name: 'secret',
      definition: SECRETS,
      object: object('tls', {
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': 'AA==', 'tls.key': 'AA==' },
      }),
      expect: ['tls', 'kubernetes.io/tls', 2, '2d3h'],
    },
    {
      name: 'service account',
      definition: SERVICE_ACCOUNTS,
      object: object('builder', { secrets: [{ name: 'builder-token' }] }),
      expect: ['builder', 1, '2d3h'],
    },
    {
      name: 'service account without secrets',
      definition: SERVICE_ACCOUNTS,
      object: object('default'),
      expect: ['default', 0, '2d3h'],
    },
    {
      name: 'role',
      definition: ROLES,
      object: object('reader', {}, { creationTimestamp: '2025-01-08T09:00:00.000Z' }),
      expect: ['reader', '2025-01-08T09:00:00Z'],
    },
    {
      name: 'cluster role without timestamp',
      definition: CLUSTER_ROLES,
      object: { metadata: { name: 'admin' } },
      expect: ['admin', '0001-01-01T00:00:00Z'],
    },
    {
      name: 'role binding',
      definition: ROLE_BINDINGS,
      object: object('read', {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', name: 'builder', namespace: 'default' },
          { kind: 'ServiceAccount', name: 'bot' },
          { kind: 'User', name: 'bob' },
        ],
      }),
      expect: ['read', 'Role/reader', '2d3h', 'alice, bob', 'devs', 'default:builder, bot'],
    },
    {
      name: 'cluster role binding without subjects',
      definition: CLUSTER_ROLE_BINDINGS,
      object: object('admins', { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } }),
      expect: ['admins', 'ClusterRole/cluster-admin', '2d3h', '', '', ''],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const cells = tc.definition.printer.cells(tc.object, NOW);
      expect(cells).to.deep.equal(tc.expect);
      expect(cells).to.have.length(tc.definition.printer.columns.length);
    });
  }
});
