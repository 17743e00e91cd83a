import { expect } from 'chai';
import type { FieldError } from '../../../../../pkg/registry/resource.js';
import {
  validateConfigMap,
  validateSecret,
} from '../../../../../pkg/registry/validation/configmap.js';
import { validateDeployment } from '../../../../../pkg/registry/validation/deployment.js';
import { validateEvent } from '../../../../../pkg/registry/validation/event.js';
import { fieldErrorString } from '../../../../../pkg/registry/validation/field.js';
import { validateNamespace } from '../../../../../pkg/registry/validation/namespace.js';
import { validatePod } from '../../../../../pkg/registry/validation/pod.js';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from '../../../../../pkg/registry/validation/rbac.js';
import { validateService } from '../../../../../pkg/registry/validation/service.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';

const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const CONFIG_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const RANGE = 'must be between 1 and 65535, inclusive';

interface Case {
  name: string;
  validate: (object: StoredObject) => FieldError[];
  object: Record<string, unknown>;
  expect: string[];
}

function run(cases: Case[]): void {
  for (const tc of cases) {
    it(tc.name, () => {
      const object = { metadata: { name: 'x', namespace: 'default' }, ...tc.object };
      expect(tc.validate(object).map(fieldErrorString)).to.deep.equal(tc.expect);
    });
  }
}

describe('validatePod', () => {
  run([
    {
      name: 'valid',
      validate: validatePod,
      object: {
        spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
      expect: [],
    },
    {
      name: 'no spec',
      validate: validatePod,
      object: {},
      expect: ['spec.containers: Required value'],
    },
    {
      name: 'empty containers',
      validate: validatePod,
      object: { spec: { containers: [] } },
      expect: ['spec.containers: Required value'],
    },
    {
      name: 'container without name and image',
      validate: validatePod,
      object: { spec: { containers: [{}] } },
      expect: [
        'spec.containers[0].name: Required value',
        'spec.containers[0].image: Required value',
      ],
    },
    {
      name: 'bad and duplicate names',
      validate: validatePod,
      object: {
        spec: {
          initContainers: [{ name: 'app', image: 'busybox' }],
          containers: [
            { name: 'App', image: 'nginx' },
            { name: 'app', image: 'nginx' },
            { name: 'app', image: 'nginx' },
          ],
        },
      },
      expect: [
        `spec.containers[0].name: Invalid value: "App": ${LABEL_MESSAGE}`,
        'spec.containers[2].name: Duplicate value: "app"',
        'spec.initContainers[0].name: Duplicate value: "app"',
      ],
    },
    {
      name: 'bad ports',
      validate: validatePod,
      object: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx',
              ports: [
                { containerPort: 0 },
                { name: 'web', containerPort: 70000, hostPort: -1, protocol: 'HTTP' },
                { name: 'web', containerPort: 81 },
              ],
            },
          ],
        },
      },
      expect: [
        'spec.containers[0].ports[0].containerPort: Required value',
        `spec.containers[0].ports[1].containerPort: Invalid value: 70000: ${RANGE}`,
        `spec.containers[0].ports[1].hostPort: Invalid value: -1: ${RANGE}`,
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[2].name: Duplicate value: "web"',
      ],
    },
    {
      name: 'bad restart policy',
      validate: validatePod,
      object: { spec: { restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'b' }] } },
      expect: [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ],
    },
  ]);
});

describe('validateConfigMap and validateSecret', () => {
  run([
    {
      name: 'configmap ok',
      validate: validateConfigMap,
      object: { data: { 'app.properties': 'a=b' }, binaryData: { blob: 'AAEC' } },
      expect: [],
    },
    {
      name: 'configmap bad keys',
      validate: validateConfigMap,
      object: { data: { 'a b': '1', same: '2' }, binaryData: { same: 'AA==', '..x': 'AA==' } },
      expect: [
        `data[a b]: Invalid value: "a b": ${CONFIG_KEY_MESSAGE}`,
        'data[same]: Invalid value: "same": duplicate of key present in binaryData',
        'binaryData[..x]: Invalid value: "..x": must not start with \'..\'',
      ],
    },
    {
      name: 'configmap over 1 MiB',
      validate: validateConfigMap,
      object: { data: { a: 'x'.repeat(1024 * 1024), b: 'y' } },
      expect: [': Too long: may not be more than 1048576 bytes'],
    },
    {
      name: 'secret over 1 MiB decoded',
      validate: validateSecret,
      object: { data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } },
      expect: ['data: Too long: may not be more than 1048576 bytes'],
    },
    {
      name: 'secret bad key',
      validate: validateSecret,
      object: { type: 'Opaque', data: { 'a/b': 'AA==' } },
      expect: [`data[a/b]: Invalid value: "a/b": ${CONFIG_KEY_MESSAGE}`],
    },
    {
      name: 'tls secret needs both keys',
      validate: validateSecret,
      object: { type: 'kubernetes.io/tls', data: {} },
      expect: ['data[tls.crt]: Required value', 'data[tls.key]: Required value'],
    },
    {
      name: 'basic auth needs a key',
      validate: validateSecret,
      object: { type: 'kubernetes.io/basic-auth' },
      expect: ['data[username]: Required value', 'data[password]: Required value'],
    },
    {
      name: 'basic auth with password only',
      validate: validateSecret,
      object: { type: 'kubernetes.io/basic-auth', data: { password: '' } },
      expect: [],
    },
    {
      name: 'ssh and docker secrets',
      validate: validateSecret,
      object: { type: 'kubernetes.io/ssh-auth', data: {} },
      expect: ['data[ssh-privatekey]: Required value'],
    },
    {
      name: 'dockerconfigjson secret',
      validate: validateSecret,
      object: { type: 'kubernetes.io/dockerconfigjson' },
      expect: ['data[.dockerconfigjson]: Required value'],
    },
    {
      name: 'service account token secret',
      validate: validateSecret,
      object: { type: 'kubernetes.io/service-account-token' },
      expect: ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    },
  ]);
});

const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

describe('validateDeployment', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'a', image: 'b' }] },
  };
  run([
    {
      name: 'valid',
      validate: validateDeployment,
      object: {
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template,
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
          },
          progressDeadlineSeconds: 600,
        },
      },
      expect: [],
    },
    {
      name: 'missing selector',
      validate: validateDeployment,
      object: { spec: { template } },
      expect: [
        'spec.selector: Required value',
        `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ${SELECTOR_MISMATCH}`,
      ],
    },
    {
      name: 'selector not matching',
      validate: validateDeployment,
      object: {
        spec: {
          selector: {
            matchLabels: { app: 'api' },
            matchExpressions: [{ key: 'tier', operator: 'Exists' }],
          },
          template: { metadata: { labels: { tier: 'x', app: 'web' } }, spec: template.spec },
        },
      },
      expect: [
        `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "tier":"x"}: ${SELECTOR_MISMATCH}`,
      ],
    },
    {
      name: 'template without labels',
      validate: validateDeployment,
      object: {
        spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: template.spec } },
      },
      expect: [
        `spec.template.metadata.labels: Invalid value: map[string]string(nil): ${SELECTOR_MISMATCH}`,
      ],
    },
    {
      name: 'empty selector',
      validate: validateDeployment,
      object: { spec: { selector: {}, template } },
      expect: [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      ],
    },
    {
      name: 'bad selector operator',
      validate: validateDeployment,
      object: {
        spec: {
          selector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] },
          template,
        },
      },
      expect: [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"x"}}}}: invalid label selector',
      ],
    },
    {
      name: 'In without values',
      validate: validateDeployment,
      object: {
        spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, template },
      },
      expect: [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: invalid label selector',
      ],
    },
    {
      name: 'template pod spec and restart policy',
      validate: validateDeployment,
      object: {
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web', bad: '-' } },
            spec: { restartPolicy: 'Never', activeDeadlineSeconds: 5, containers: [{ name: 'a' }] },
          },
        },
      },
      expect: [
        `spec.template.labels: Invalid value: "-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        'spec.template.spec.containers[0].image: Required value',
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
      ],
    },
    {
      name: 'strategy and counters',
      validate: validateDeployment,
      object: {
        spec: {
          replicas: -1,
          selector: { matchLabels: { app: 'web' } },
          template,
          strategy: { type: 'Recreate', rollingUpdate: {} },
          minReadySeconds: 10,
          revisionHistoryLimit: -2,
          progressDeadlineSeconds: 10,
        },
      },
      expect: [
        'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
        'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
        'spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
      ],
    },
    {
      name: 'unknown strategy type',
      validate: validateDeployment,
      object: {
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template,
          strategy: { type: 'BlueGreen' },
        },
      },
      expect: [
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
      ],
    },
  ]);
});

describe('validateService', () => {
  run([
    {
      name: 'valid',
      validate: validateService,
      object: {
        spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] },
      },
      expect: [],
    },
    {
      name: 'no ports',
      validate: validateService,
      object: { spec: { type: 'ClusterIP' } },
      expect: ['spec.ports: Required value'],
    },
    {
      name: 'headless without ports',
      validate: validateService,
      object: { spec: { clusterIP: 'None' } },
      expect: [],
    },
    {
      name: 'bad ports',
      validate: validateService,
      object: {
        spec: {
          ports: [
            { port: 0, protocol: 'HTTP', targetPort: 70000 },
            { name: 'Web', port: 80, targetPort: 'web--x' },
            { name: 'dup', port: 81 },
            { name: 'dup', port: 82 },
          ],
        },
      },
      expect: [
        'spec.ports[0].name: Required value',
        `spec.ports[0].port: Invalid value: 0: ${RANGE}`,
        'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        `spec.ports[0].targetPort: Invalid value: 70000: ${RANGE}`,
        `spec.ports[1].name: Invalid value: "Web": ${LABEL_MESSAGE}`,
        'spec.ports[1].targetPort: Invalid value: "web--x": must not contain consecutive hyphens',
        'spec.ports[3].name: Duplicate value: "dup"',
      ],
    },
    {
      name: 'external name required',
      validate: validateService,
      object: { spec: { type: 'ExternalName', clusterIPs: ['10.0.0.1'] } },
      expect: [
        'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
        'spec.externalName: Required value',
      ],
    },
    {
      name: 'external name with trailing dot',
      validate: validateService,
      object: { spec: { type: 'ExternalName', externalName: 'db.example.com.' } },
      expect: [],
    },
    {
      name: 'bad type, affinity and selector',
      validate: validateService,
      object: {
        spec: {
          type: 'Public',
          sessionAffinity: 'Sticky',
          selector: { app: '-' },
          ports: [{ port: 80 }],
        },
      },
      expect: [
        `spec.selector: Invalid value: "-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
        'spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    },
  ]);
});

describe('RBAC validation', () => {
  run([
    {
      name: 'valid role',
      validate: validateRole,
      object: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      expect: [],
    },
    {
      name: 'role rule without verbs',
      validate: validateRole,
      object: { rules: [{}] },
      expect: [
        'rules[0].verbs: Required value: verbs must contain at least one value',
        'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
        'rules[0].resources: Required value: resource rules must supply at least one resource',
      ],
    },
    {
      name: 'role with non-resource URLs',
      validate: validateRole,
      object: { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] }] },
      expect: [
        'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
        'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
      ],
    },
    {
      name: 'cluster role with non-resource URLs',
      validate: validateClusterRole,
      object: { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] },
      expect: [],
    },
    {
      name: 'cluster role with empty aggregation rule',
      validate: validateClusterRole,
      object: { aggregationRule: {} },
      expect: [
        'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
      ],
    },
    {
      name: 'valid role binding',
      validate: validateRoleBinding,
      object: {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'ServiceAccount', name: 'bot' },
        ],
      },
      expect: [],
    },
    {
      name: 'bad role binding',
      validate: validateRoleBinding,
      object: {
        roleRef: { apiGroup: 'example.com', kind: 'Thing', name: 'a/b' },
        subjects: [
          { kind: 'Robot', name: 'r2' },
          { kind: 'ServiceAccount', name: 'Bot', apiGroup: 'v1' },
          { kind: 'Group', apiGroup: '' },
        ],
      },
      expect: [
        'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
        'roleRef.kind: Unsupported value: "Thing": supported values: "Role", "ClusterRole"',
        'roleRef.name: Invalid value: "a/b": may not contain \'/\'',
        'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
        "subjects[1].name: Invalid value: \"Bot\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        'subjects[1].apiGroup: Unsupported value: "v1": supported values: ""',
        'subjects[2].name: Required value',
        'subjects[2].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
      ],
    },
    {
      name: 'cluster role binding needs ClusterRole and SA namespace',
      validate: validateClusterRoleBinding,
      object: {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
      },
      expect: [
        'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
        'subjects[0].namespace: Required value',
      ],
    },
    {
      name: 'role binding without role name',
      validate: validateRoleBinding,
      object: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role' } },
      expect: ['roleRef.name: Required value'],
    },
  ]);
});

describe('validateNamespace and validateEvent', () => {
  run([
    {
      name: 'namespace finalizers',
      validate: validateNamespace,
      object: { spec: { finalizers: ['kubernetes', 'example.com/x', 'cleanup'] } },
      expect: [
        'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
      ],
    },
    {
      name: 'legacy event in matching namespace',
      validate: validateEvent,
      object: { involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' } },
      expect: [],
    },
    {
      name: 'legacy event in other namespace',
      validate: validateEvent,
      object: { involvedObject: { kind: 'Pod', name: 'web', namespace: 'prod' } },
      expect: ['involvedObject.namespace: Invalid value: "prod": does not match event.namespace'],
    },
    {
      name: 'legacy event about cluster object in default',
      validate: validateEvent,
      object: { involvedObject: { kind: 'Node', name: 'node-1' } },
      expect: [],
    },
    {
      name: 'series event without reporting fields',
      validate: validateEvent,
      object: {
        eventTime: '2025-01-10T11:00:00.000000Z',
        involvedObject: { kind: 'Pod', namespace: 'default' },
      },
      expect: [
        'reportingComponent: Required value',
        'reportingComponent: Invalid value: "": name part must be non-empty',
        `reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        'reportingInstance: Required value',
        'action: Required value',
        'reason: Required value',
      ],
    },
    {
      name: 'series event with long reason',
      validate: validateEvent,
      object: {
        eventTime: '2025-01-10T11:00:00.000000Z',
        involvedObject: { kind: 'Pod', namespace: 'default' },
        reportingComponent: 'example.com/controller',
        reportingInstance: 'controller-1',
        action: 'Sync',
        reason: 'x'.repeat(129),
      },
      expect: ['reason: Invalid value: "": can have at most 128 characters'],
    },
  ]);
});
