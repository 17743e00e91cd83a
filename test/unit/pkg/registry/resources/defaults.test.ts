import { expect } from 'chai';
import type { ResourceDefinition } from '../../../../../pkg/registry/resource.js';
import {
  CLUSTER_ROLE_BINDINGS,
  DEPLOYMENTS,
  NAMESPACES,
  PODS,
  ROLE_BINDINGS,
  SECRETS,
  SERVICES,
} from '../../../../../pkg/registry/resources/index.js';
import { imageTag } from '../../../../../pkg/registry/resources/podspec.js';
import { parseQuantity, podQOSClass } from '../../../../../pkg/registry/resources/qos.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';

function prepared(definition: ResourceDefinition, object: StoredObject): StoredObject {
  if (definition.prepareForCreate === undefined)
    throw new Error(`${definition.plural} has no prepareForCreate`);
  const copy = structuredClone(object);
  definition.prepareForCreate(copy);
  return copy;
}

describe('prepareForCreate', () => {
  const cases: {
    name: string;
    definition: ResourceDefinition;
    input: StoredObject;
    expect: unknown;
  }[] = [
    {
      name: 'pod gets spec defaults and Pending status',
      definition: PODS,
      input: {
        metadata: { name: 'web', namespace: 'default' },
        spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] },
        status: { phase: 'Running', podIP: '10.0.0.1' },
      },
      expect: {
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              imagePullPolicy: 'Always',
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
          enableServiceLinks: true,
          serviceAccountName: 'default',
          serviceAccount: 'default',
        },
        status: { phase: 'Pending', qosClass: 'BestEffort' },
      },
    },
    {
      name: 'pod keeps set values and gets gated condition',
      definition: PODS,
      input: {
        metadata: { name: 'web' },
        spec: {
          restartPolicy: 'Never',
          dnsPolicy: 'Default',
          terminationGracePeriodSeconds: 5,
          securityContext: { runAsUser: 1000 },
          schedulerName: 'custom',
          enableServiceLinks: false,
          schedulingGates: [{ name: 'example.com/gate' }],
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          containers: [
            {
              name: 'app',
              image: 'app:1',
              imagePullPolicy: 'Never',
              resources: { limits: { cpu: '500m', memory: '128Mi' } },
            },
          ],
        },
      },
      expect: {
        metadata: { name: 'web' },
        spec: {
          restartPolicy: 'Never',
          dnsPolicy: 'Default',
          terminationGracePeriodSeconds: 5,
          securityContext: { runAsUser: 1000 },
          schedulerName: 'custom',
          enableServiceLinks: false,
          serviceAccountName: 'default',
          serviceAccount: 'default',
          schedulingGates: [{ name: 'example.com/gate' }],
          initContainers: [
            {
              name: 'init',
              image: 'busybox:1.36',
              imagePullPolicy: 'IfNotPresent',
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          containers: [
            {
              name: 'app',
              image: 'app:1',
              imagePullPolicy: 'Never',
              resources: {
                limits: { cpu: '500m', memory: '128Mi' },
                requests: { cpu: '500m', memory: '128Mi' },
              },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
        },
        status: {
          phase: 'Pending',
          qosClass: 'Burstable',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: null,
              reason: 'SchedulingGated',
              message: 'Scheduling is blocked due to non-empty scheduling gates',
            },
          ],
        },
      },
    },
    {
      name: 'namespace gets finalizer, label and Active',
      definition: NAMESPACES,
      input: { metadata: { name: 'team-a' } },
      expect: {
        metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
    },
    {
      name: 'namespace keeps other finalizers',
      definition: NAMESPACES,
      input: {
        metadata: { name: 'team-a', labels: { team: 'a', 'kubernetes.io/metadata.name': 'wrong' } },
        spec: { finalizers: ['example.com/cleanup'] },
        status: { phase: 'Terminating' },
      },
      expect: {
        metadata: {
          name: 'team-a',
          labels: { team: 'a', 'kubernetes.io/metadata.name': 'team-a' },
        },
        spec: { finalizers: ['example.com/cleanup', 'kubernetes'] },
        status: { phase: 'Active' },
      },
    },
    {
      name: 'namespace with generateName only',
      definition: NAMESPACES,
      input: { metadata: { generateName: 'tmp-' }, spec: { finalizers: ['kubernetes'] } },
      expect: {
        metadata: { generateName: 'tmp-' },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
    },
    {
      name: 'service gets ClusterIP and None',
      definition: SERVICES,
      input: {
        metadata: { name: 'web' },
        spec: {
          selector: { app: 'web' },
          ports: [{ port: 80 }, { port: 443, targetPort: 'https' }],
        },
        status: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } },
      },
      expect: {
        metadata: { name: 'web' },
        spec: {
          selector: { app: 'web' },
          ports: [
            { port: 80, protocol: 'TCP', targetPort: 80 },
            { port: 443, targetPort: 'https', protocol: 'TCP' },
          ],
          type: 'ClusterIP',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
        },
        status: { loadBalancer: {} },
      },
    },
    {
      name: 'load balancer service defaults',
      definition: SERVICES,
      input: {
        metadata: { name: 'lb' },
        spec: {
          type: 'LoadBalancer',
          clusterIP: '10.96.0.20',
          sessionAffinity: 'ClientIP',
          ports: [{ port: 53, protocol: 'UDP', targetPort: 0 }],
        },
      },
      expect: {
        metadata: { name: 'lb' },
        spec: {
          type: 'LoadBalancer',
          clusterIP: '10.96.0.20',
          clusterIPs: ['10.96.0.20'],
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
          ports: [{ port: 53, protocol: 'UDP', targetPort: 53 }],
          externalTrafficPolicy: 'Cluster',
          internalTrafficPolicy: 'Cluster',
          allocateLoadBalancerNodePorts: true,
        },
        status: { loadBalancer: {} },
      },
    },
    {
      name: 'external name service has no traffic policy',
      definition: SERVICES,
      input: {
        metadata: { name: 'db' },
        spec: { type: 'ExternalName', externalName: 'db.example.com' },
      },
      expect: {
        metadata: { name: 'db' },
        spec: { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' },
        status: { loadBalancer: {} },
      },
    },
    {
      name: 'deployment gets strategy and counters',
      definition: DEPLOYMENTS,
      input: {
        metadata: { name: 'web', generation: 7 },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
          },
        },
        status: { replicas: 3 },
      },
      expect: {
        metadata: { name: 'web', generation: 1 },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
          },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                {
                  name: 'nginx',
                  image: 'nginx:1.25',
                  imagePullPolicy: 'IfNotPresent',
                  resources: {},
                  terminationMessagePath: '/dev/termination-log',
                  terminationMessagePolicy: 'File',
                },
              ],
              restartPolicy: 'Always',
              terminationGracePeriodSeconds: 30,
              dnsPolicy: 'ClusterFirst',
              securityContext: {},
              schedulerName: 'default-scheduler',
            },
          },
        },
        status: {},
      },
    },
    {
      name: 'deployment keeps Recreate and zero replicas',
      definition: DEPLOYMENTS,
      input: {
        metadata: { name: 'web' },
        spec: {
          replicas: 0,
          revisionHistoryLimit: 0,
          strategy: { type: 'Recreate' },
          template: { spec: {} },
        },
      },
      expect: {
        metadata: { name: 'web', generation: 1 },
        spec: {
          replicas: 0,
          revisionHistoryLimit: 0,
          strategy: { type: 'Recreate' },
          template: {
            spec: {
              restartPolicy: 'Always',
              terminationGracePeriodSeconds: 30,
              dnsPolicy: 'ClusterFirst',
              securityContext: {},
              schedulerName: 'default-scheduler',
            },
          },
          progressDeadlineSeconds: 600,
        },
        status: {},
      },
    },
    {
      name: 'secret gets Opaque',
      definition: SECRETS,
      input: { metadata: { name: 's' }, data: { a: 'eA==' } },
      expect: { metadata: { name: 's' }, data: { a: 'eA==' }, type: 'Opaque' },
    },
    {
      name: 'secret merges stringData',
      definition: SECRETS,
      input: {
        metadata: { name: 's' },
        type: 'kubernetes.io/basic-auth',
        data: { username: 'eA==', password: 'eA==' },
        stringData: { password: 'hunter2', note: 'é' },
      },
      expect: {
        metadata: { name: 's' },
        type: 'kubernetes.io/basic-auth',
        data: { username: 'eA==', password: 'aHVudGVyMg==', note: 'w6k=' },
      },
    },
    {
      name: 'role binding gets api groups',
      definition: ROLE_BINDINGS,
      input: {
        metadata: { name: 'read' },
        roleRef: { kind: 'Role', name: 'reader' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', name: 'bot', namespace: 'default' },
        ],
      },
      expect: {
        metadata: { name: 'read' },
        roleRef: { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' },
        subjects: [
          { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'ServiceAccount', name: 'bot', namespace: 'default' },
        ],
      },
    },
    {
      name: 'cluster role binding keeps explicit group',
      definition: CLUSTER_ROLE_BINDINGS,
      input: {
        metadata: { name: 'admins' },
        roleRef: { apiGroup: 'example.com', kind: 'ClusterRole', name: 'admin' },
      },
      expect: {
        metadata: { name: 'admins' },
        roleRef: { apiGroup: 'example.com', kind: 'ClusterRole', name: 'admin' },
      },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(prepared(tc.definition, tc.input)).to.deep.equal(tc.expect);
    });
  }
});

describe('setPodServiceAccount', () => {
  const cases: {
    name: string;
    annotations?: Record<string, string>;
    spec: Record<string, unknown>;
    expectName: string | undefined;
    expectDeprecated: string | undefined;
  }[] = [
    {
      name: 'empty spec gets default',
      spec: {},
      expectName: 'default',
      expectDeprecated: 'default',
    },
    {
      name: 'empty string gets default',
      spec: { serviceAccountName: '' },
      expectName: 'default',
      expectDeprecated: 'default',
    },
    {
      name: 'explicit name kept',
      spec: { serviceAccountName: 'builder' },
      expectName: 'builder',
      expectDeprecated: 'builder',
    },
    {
      name: 'deprecated field used',
      spec: { serviceAccount: 'legacy' },
      expectName: 'legacy',
      expectDeprecated: 'legacy',
    },
    {
      name: 'name wins over deprecated',
      spec: { serviceAccountName: 'builder', serviceAccount: 'legacy' },
      expectName: 'builder',
      expectDeprecated: 'builder',
    },
    {
      name: 'mirror pod left empty',
      annotations: { 'kubernetes.io/config.mirror': 'hash' },
      spec: {},
      expectName: undefined,
      expectDeprecated: undefined,
    },
    {
      name: 'mirror pod keeps deprecated',
      annotations: { 'kubernetes.io/config.mirror': 'hash' },
      spec: { serviceAccount: 'legacy' },
      expectName: 'legacy',
      expectDeprecated: 'legacy',
    },
    {
      name: 'non-string left for validation',
      spec: { serviceAccountName: 7 },
      expectName: 7 as unknown as string,
      expectDeprecated: undefined,
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const pod: StoredObject = {
        metadata: { name: 'web', annotations: tc.annotations },
        spec: { containers: [{ name: 'app', image: 'nginx' }], ...tc.spec },
      };
      const spec = prepared(PODS, pod).spec as Record<string, unknown>;
      expect(spec.serviceAccountName, 'serviceAccountName').to.equal(tc.expectName);
      expect(spec.serviceAccount, 'serviceAccount').to.equal(tc.expectDeprecated);
    });
  }
});

describe('imageTag', () => {
  const cases = [
    { image: 'nginx', expect: 'latest' },
    { image: 'nginx:1.25', expect: '1.25' },
    { image: 'nginx:latest', expect: 'latest' },
    { image: 'registry.local:5000/team/nginx', expect: 'latest' },
    { image: 'registry.local:5000/team/nginx:2', expect: '2' },
    { image: 'nginx@sha256:0123abcd', expect: '' },
  ];
  for (const tc of cases) {
    it(tc.image, () => {
      expect(imageTag(tc.image)).to.equal(tc.expect);
    });
  }
});

describe('parseQuantity', () => {
  const cases = [
    { text: '1', expect: 1_000_000_000n },
    { text: '100m', expect: 100_000_000n },
    { text: '0.5', expect: 500_000_000n },
    { text: '.5', expect: 500_000_000n },
    { text: '1Ki', expect: 1024n * 1_000_000_000n },
    { text: '128Mi', expect: 128n * 1024n * 1024n * 1_000_000_000n },
    { text: '1G', expect: 1_000_000_000n * 1_000_000_000n },
    { text: '1e3', expect: 1000n * 1_000_000_000n },
    { text: '2E-3', expect: 2_000_000n },
    { text: '5n', expect: 5n },
    { text: '-1', expect: -1_000_000_000n },
    { text: '1.5x', expect: undefined },
    { text: 'one', expect: undefined },
  ];
  for (const tc of cases) {
    it(tc.text, () => {
      expect(parseQuantity(tc.text)).to.equal(tc.expect);
    });
  }
});

describe('podQOSClass', () => {
  const container = (resources: unknown) => ({ name: 'c', image: 'i', resources });
  const cases = [
    { name: 'no resources', spec: { containers: [{ name: 'c' }] }, expect: 'BestEffort' },
    {
      name: 'only other resources',
      spec: { containers: [container({ limits: { 'nvidia.com/gpu': '1' } })] },
      expect: 'BestEffort',
    },
    {
      name: 'zero requests',
      spec: { containers: [container({ requests: { cpu: '0' } })] },
      expect: 'BestEffort',
    },
    {
      name: 'requests only',
      spec: { containers: [container({ requests: { cpu: '100m' } })] },
      expect: 'Burstable',
    },
    {
      name: 'equal requests and limits in other notation',
      spec: {
        containers: [
          container({
            requests: { cpu: 0.5, memory: '1Gi' },
            limits: { cpu: '500m', memory: '1024Mi' },
          }),
        ],
      },
      expect: 'Guaranteed',
    },
    {
      name: 'requests below limits',
      spec: {
        containers: [
          container({
            requests: { cpu: '100m', memory: '1Gi' },
            limits: { cpu: '1', memory: '1Gi' },
          }),
        ],
      },
      expect: 'Burstable',
    },
    {
      name: 'one container without limits',
      spec: {
        containers: [
          container({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }),
          container({}),
        ],
      },
      expect: 'Burstable',
    },
    {
      name: 'init container counts',
      spec: {
        initContainers: [container({ requests: { cpu: '1' } })],
        containers: [
          container({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }),
        ],
      },
      expect: 'Burstable',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(podQOSClass(tc.spec)).to.equal(tc.expect);
    });
  }
});
