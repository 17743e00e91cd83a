import { expect } from 'chai';
import { decodeKubernetesProtobuf } from '../../../../../pkg/runtime/protobuf/decode.js';
import {
  body,
  encode,
  entry,
  intOrInt,
  intOrString,
  msg,
  quantityEntry,
  str,
  time,
  varint,
  type WireField,
} from './wire.js';

const T0 = 1700000000;
const T0_TEXT = '2023-11-14T22:13:20Z';

/** Builds a container with every field the schema has, by core/v1 Container field number. */
function fullContainer(): WireField {
  return msg(
    2,
    str(1, 'app'),
    str(2, 'registry.example/app:1.0'),
    str(3, '/bin/app'),
    str(4, '--port=8080'),
    str(5, '/srv'),
    msg(6, str(1, 'http'), varint(2, 0), varint(3, 8080), str(4, 'TCP'), str(5, '')),
    msg(7, str(1, 'MODE'), str(2, 'prod')),
    msg(7, str(1, 'POD_NAME'), str(2, ''), msg(3, msg(1, str(1, 'v1'), str(2, 'metadata.name')))),
    msg(
      7,
      str(1, 'LIMIT'),
      msg(3, msg(2, str(1, ''), str(2, 'limits.memory'), msg(3, str(1, '1Mi')))),
    ),
    msg(7, str(1, 'LEVEL'), msg(3, msg(3, msg(1, str(1, 'settings')), str(2, 'level')))),
    msg(
      7,
      str(1, 'TOKEN'),
      msg(3, msg(4, msg(1, str(1, 'creds')), str(2, 'token'), varint(3, true))),
    ),
    msg(8, quantityEntry(1, 'memory', '128Mi'), quantityEntry(2, 'cpu', '250m')),
    msg(9, str(1, 'data'), varint(2, true), str(3, '/data'), str(4, ''), str(6, '')),
    msg(
      10,
      msg(1, msg(2, str(1, '/healthz'), intOrString(2, 'http'), str(3, ''), str(4, 'HTTP'))),
      varint(2, 5),
      varint(3, 1),
      varint(4, 10),
      varint(5, 1),
      varint(6, 3),
    ),
    msg(11, msg(1, msg(3, intOrInt(1, 8080), str(2, ''))), varint(2, 0)),
    msg(12, msg(2, msg(1, str(1, 'sh'), str(1, '-c'), str(1, 'sleep 5')))),
    str(13, '/dev/termination-log'),
    str(14, 'IfNotPresent'),
    msg(15, msg(1, str(2, 'ALL')), varint(2, false), varint(4, 1000), varint(5, true)),
    varint(16, false),
    varint(17, false),
    varint(18, false),
    msg(19, str(1, 'CFG_'), msg(2, msg(1, str(1, 'settings')))),
    str(20, 'File'),
    msg(22, msg(1, msg(4, varint(1, 9090), str(2, 'health')))),
    str(24, 'Always'),
  );
}

const fullContainerJSON = {
  name: 'app',
  image: 'registry.example/app:1.0',
  command: ['/bin/app'],
  args: ['--port=8080'],
  workingDir: '/srv',
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
  env: [
    { name: 'MODE', value: 'prod' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    {
      name: 'LIMIT',
      valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } },
    },
    { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } },
    {
      name: 'TOKEN',
      valueFrom: { secretKeyRef: { name: 'creds', key: 'token', optional: true } },
    },
  ],
  resources: { limits: { memory: '128Mi' }, requests: { cpu: '250m' } },
  restartPolicy: 'Always',
  volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
  livenessProbe: {
    httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
    initialDelaySeconds: 5,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  },
  readinessProbe: { tcpSocket: { port: 8080 } },
  startupProbe: { grpc: { port: 9090, service: 'health' } },
  lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'IfNotPresent',
  securityContext: {
    capabilities: { drop: ['ALL'] },
    privileged: false,
    runAsUser: 1000,
    runAsNonRoot: true,
  },
};

/** Builds a PodSpec (field 2 of Pod and PodTemplateSpec) with volumes and pod-level settings. */
function podSpec(fieldNumber: number): WireField {
  return msg(
    fieldNumber,
    msg(1, str(1, 'scratch'), msg(2, msg(2, str(1, 'Memory'), msg(2, str(1, '64Mi'))))),
    msg(
      1,
      str(1, 'settings'),
      msg(
        2,
        msg(
          19,
          msg(1, str(1, 'app-config')),
          msg(2, str(1, 'app.yaml'), str(2, 'config/app.yaml'), varint(3, 0o400)),
          varint(3, 0o644),
        ),
      ),
    ),
    msg(1, str(1, 'creds'), msg(2, msg(6, str(1, 'creds'), varint(4, false)))),
    msg(1, str(1, 'host'), msg(2, msg(1, str(1, '/var/log'), str(2, 'Directory')))),
    msg(1, str(1, 'claim'), msg(2, msg(10, str(1, 'data'), varint(2, false)))),
    fullContainer(),
    str(3, 'Always'),
    varint(4, 30),
    str(6, 'ClusterFirst'),
    entry(7, 'disk', 'ssd'),
    str(8, 'app-sa'),
    str(9, ''),
    str(10, ''),
    varint(11, false),
    varint(12, false),
    varint(13, false),
    msg(14, varint(2, 1000), varint(4, 2000), varint(5, 3000)),
    msg(15, str(1, 'registry')),
    str(16, ''),
    str(17, ''),
    str(19, 'default-scheduler'),
    msg(20, str(1, 'init'), str(2, 'busybox'), msg(8)),
    msg(22, str(1, 'dedicated'), str(2, 'Equal'), str(3, 'app'), str(4, 'NoSchedule')),
    varint(30, true),
  );
}

const podSpecJSON = {
  volumes: [
    { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    {
      name: 'settings',
      configMap: {
        name: 'app-config',
        items: [{ key: 'app.yaml', path: 'config/app.yaml', mode: 0o400 }],
        defaultMode: 0o644,
      },
    },
    { name: 'creds', secret: { secretName: 'creds', optional: false } },
    { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
    { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
  ],
  initContainers: [{ name: 'init', image: 'busybox', resources: {} }],
  containers: [fullContainerJSON],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { disk: 'ssd' },
  serviceAccountName: 'app-sa',
  securityContext: { runAsUser: 1000, supplementalGroups: [2000], fsGroup: 3000 },
  imagePullSecrets: [{ name: 'registry' }],
  schedulerName: 'default-scheduler',
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'app', effect: 'NoSchedule' }],
  enableServiceLinks: true,
};

describe('decodeKubernetesProtobuf Pod', () => {
  it('full spec and status', () => {
    const raw = encode(
      msg(1, str(1, 'web-0'), str(3, 'ns1')),
      podSpec(2),
      msg(
        3,
        str(1, 'Running'),
        str(5, '10.1.0.1'),
        str(6, '10.2.0.7'),
        time(7, T0),
        str(9, 'Burstable'),
      ),
    );
    const object = decodeKubernetesProtobuf(body('v1', 'Pod', raw)).object;
    expect(object).to.deep.equal({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web-0', namespace: 'ns1' },
      spec: podSpecJSON,
      status: {
        phase: 'Running',
        hostIP: '10.1.0.1',
        podIP: '10.2.0.7',
        startTime: T0_TEXT,
        qosClass: 'Burstable',
      },
    });
  });

  it('container without name keeps name', () => {
    const raw = encode(msg(2, msg(2, str(2, 'nginx'))));
    const object = decodeKubernetesProtobuf(body('v1', 'Pod', raw)).object;
    expect(object.spec).to.deep.equal({ containers: [{ name: '', image: 'nginx' }] });
  });
});

describe('decodeKubernetesProtobuf Deployment', () => {
  it('every spec and status field', () => {
    const raw = encode(
      msg(1, str(1, 'web'), entry(11, 'app', 'web')),
      msg(
        2,
        varint(1, 0),
        msg(2, entry(1, 'app', 'web'), msg(2, str(1, 'tier'), str(2, 'Exists'))),
        msg(3, msg(1, entry(11, 'app', 'web')), podSpec(2)),
        msg(4, str(1, 'RollingUpdate'), msg(2, intOrInt(1, 0), intOrString(2, '25%'))),
        varint(5, 10),
        varint(6, 0),
        varint(7, true),
        varint(9, 600),
      ),
      msg(
        3,
        varint(1, 4),
        varint(2, 3),
        varint(3, 2),
        varint(4, 1),
        varint(5, 2),
        msg(
          6,
          str(1, 'Available'),
          str(2, 'False'),
          str(4, 'MinimumReplicasUnavailable'),
          str(5, 'Deployment does not have minimum availability.'),
          time(6, T0),
          time(7, T0),
        ),
        varint(7, 1),
        varint(8, 0),
      ),
    );
    const object = decodeKubernetesProtobuf(body('apps/v1', 'Deployment', raw)).object;
    expect(object).to.deep.equal({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'Exists' }],
        },
        template: { metadata: { labels: { app: 'web' } }, spec: podSpecJSON },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        minReadySeconds: 10,
        revisionHistoryLimit: 0,
        paused: true,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 4,
        replicas: 3,
        updatedReplicas: 2,
        readyReplicas: 1,
        availableReplicas: 1,
        unavailableReplicas: 2,
        conditions: [
          {
            type: 'Available',
            status: 'False',
            lastUpdateTime: T0_TEXT,
            lastTransitionTime: T0_TEXT,
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
        ],
        collisionCount: 0,
      },
    });
  });
});
