import { expect } from 'chai';
import {
  decodeKubernetesProtobuf,
  UnsupportedProtobufKindError,
} from '../../../../../pkg/runtime/protobuf/decode.js';
import { SUPPORTED_PROTOBUF_KINDS } from '../../../../../pkg/runtime/protobuf/schema.js';
import {
  body,
  bytes,
  bytesEntry,
  encode,
  entry,
  intOrInt,
  intOrString,
  msg,
  str,
  time,
  varint,
} from './wire.js';

/** 1700000000 seconds after the epoch. */
const T0 = 1700000000;
const T0_TEXT = '2023-11-14T22:13:20Z';

/** ObjectMeta with only a name, as kubectl writes it: the other strings present but empty. */
function meta(name: string, namespace = ''): ReturnType<typeof msg> {
  return msg(1, str(1, name), str(2, ''), str(3, namespace), str(4, ''), str(5, ''), str(6, ''));
}

function decode(apiVersion: string, kind: string, raw: Uint8Array): Record<string, unknown> {
  return decodeKubernetesProtobuf(body(apiVersion, kind, raw)).object;
}

describe('decodeKubernetesProtobuf ObjectMeta', () => {
  it('every field', () => {
    const metadata = msg(
      1,
      str(1, 'cfg'),
      str(2, 'cfg-'),
      str(3, 'ns1'),
      str(4, '/api/v1/namespaces/ns1/configmaps/cfg'),
      str(5, 'uid-1'),
      str(6, '42'),
      varint(7, 3),
      time(8, T0, 123456789),
      time(9, T0 + 600),
      varint(10, 30),
      entry(11, 'tier', 'web'),
      entry(11, 'app', 'demo'),
      entry(12, 'note', 'hi'),
      msg(
        13,
        str(5, 'apps/v1'),
        str(1, 'ReplicaSet'),
        str(3, 'rs'),
        str(4, 'uid-rs'),
        varint(6, true),
        varint(7, false),
      ),
      str(14, 'example.com/cleanup'),
      msg(
        17,
        str(1, 'kubectl-create'),
        str(2, 'Update'),
        str(3, 'v1'),
        time(4, T0),
        str(6, 'FieldsV1'),
        msg(7, bytes(1, Buffer.from('{"f:data":{".":{}}}'))),
        str(8, ''),
      ),
    );
    const object = decode('v1', 'ConfigMap', encode(metadata));
    expect(object.metadata).to.deep.equal({
      name: 'cfg',
      generateName: 'cfg-',
      namespace: 'ns1',
      selfLink: '/api/v1/namespaces/ns1/configmaps/cfg',
      uid: 'uid-1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: T0_TEXT,
      deletionTimestamp: '2023-11-14T22:23:20Z',
      deletionGracePeriodSeconds: 30,
      labels: { app: 'demo', tier: 'web' },
      annotations: { note: 'hi' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'rs',
          uid: 'uid-rs',
          controller: true,
          blockOwnerDeletion: false,
        },
      ],
      finalizers: ['example.com/cleanup'],
      managedFields: [
        {
          manager: 'kubectl-create',
          operation: 'Update',
          apiVersion: 'v1',
          time: T0_TEXT,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { '.': {} } },
        },
      ],
    });
  });

  it('labels sorted by key', () => {
    const metadata = msg(1, entry(11, 'b', '2'), entry(11, 'c', '3'), entry(11, 'a', '1'));
    const object = decode('v1', 'ConfigMap', encode(metadata));
    const labels = (object.metadata as { labels: Record<string, string> }).labels;
    expect(Object.keys(labels)).to.deep.equal(['a', 'b', 'c']);
  });

  it('zero values as Go writes them left out', () => {
    // gogo-protobuf writes every non-pointer field: empty strings, generation 0 and an empty
    // creationTimestamp for the zero time.
    const metadata = msg(
      1,
      str(1, 'cfg'),
      str(2, ''),
      str(3, ''),
      str(4, ''),
      str(5, ''),
      str(6, ''),
      varint(7, 0),
      msg(8),
    );
    const object = decode('v1', 'ConfigMap', encode(metadata));
    expect(object.metadata).to.deep.equal({ name: 'cfg' });
  });

  it('ownerReference fields without omitempty kept', () => {
    const metadata = msg(1, msg(13));
    const object = decode('v1', 'ConfigMap', encode(metadata));
    expect(object.metadata).to.deep.equal({
      ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }],
    });
  });
});

const kindCases: {
  name: string;
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  expectFields: Record<string, unknown>;
}[] = [
  {
    name: 'Namespace with finalizers and status',
    apiVersion: 'v1',
    kind: 'Namespace',
    raw: encode(
      meta('demo'),
      msg(2, str(1, 'kubernetes')),
      msg(
        3,
        str(1, 'Terminating'),
        msg(2, str(1, 'NamespaceDeletionContentFailure'), str(2, 'False'), time(4, T0)),
      ),
    ),
    expectFields: {
      metadata: { name: 'demo' },
      spec: { finalizers: ['kubernetes'] },
      status: {
        phase: 'Terminating',
        conditions: [
          {
            type: 'NamespaceDeletionContentFailure',
            status: 'False',
            lastTransitionTime: T0_TEXT,
          },
        ],
      },
    },
  },
  {
    name: 'ConfigMap immutable false kept',
    apiVersion: 'v1',
    kind: 'ConfigMap',
    raw: encode(
      meta('cfg'),
      entry(2, 'a', ''),
      bytesEntry(3, 'bin', Uint8Array.from([0, 255])),
      varint(4, false),
    ),
    expectFields: {
      metadata: { name: 'cfg' },
      immutable: false,
      data: { a: '' },
      binaryData: { bin: 'AP8=' },
    },
  },
  {
    name: 'Secret with every field',
    apiVersion: 'v1',
    kind: 'Secret',
    raw: encode(
      meta('tls', 'ns1'),
      bytesEntry(2, 'tls.key', Buffer.from('secret-bytes')),
      str(3, 'kubernetes.io/tls'),
      entry(4, 'note', 'plain'),
      varint(5, true),
    ),
    expectFields: {
      metadata: { name: 'tls', namespace: 'ns1' },
      immutable: true,
      data: { 'tls.key': Buffer.from('secret-bytes').toString('base64') },
      stringData: { note: 'plain' },
      type: 'kubernetes.io/tls',
    },
  },
  {
    name: 'ServiceAccount with secrets and pull secrets',
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    raw: encode(
      meta('builder'),
      msg(2, str(1, 'Secret'), str(2, 'ns1'), str(3, 'token'), str(4, ''), str(5, 'v1')),
      msg(3, str(1, 'registry')),
      varint(4, false),
    ),
    expectFields: {
      metadata: { name: 'builder' },
      secrets: [{ kind: 'Secret', namespace: 'ns1', name: 'token', apiVersion: 'v1' }],
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: false,
    },
  },
  {
    name: 'Service with ports, affinity and status',
    apiVersion: 'v1',
    kind: 'Service',
    raw: encode(
      meta('web'),
      msg(
        2,
        msg(
          1,
          str(1, 'http'),
          str(2, 'TCP'),
          varint(3, 80),
          intOrString(4, 'web'),
          varint(5, 0),
          str(6, 'kubernetes.io/h2c'),
        ),
        msg(1, str(1, ''), str(2, 'UDP'), varint(3, 53), intOrInt(4, 5353), varint(5, 30053)),
        entry(2, 'app', 'web'),
        str(3, '10.0.0.10'),
        str(4, 'LoadBalancer'),
        str(5, '192.0.2.1'),
        str(7, 'ClientIP'),
        str(10, ''),
        str(11, 'Local'),
        varint(12, 31000),
        varint(13, false),
        msg(14, msg(1, varint(1, 10800))),
        str(17, 'SingleStack'),
        str(18, '10.0.0.10'),
        str(19, 'IPv4'),
        varint(20, true),
        str(22, 'Cluster'),
      ),
      msg(3, msg(1, msg(1, str(1, '192.0.2.9'), str(2, ''), msg(4, varint(1, 80), str(2, 'TCP'))))),
    ),
    expectFields: {
      metadata: { name: 'web' },
      spec: {
        ports: [
          {
            name: 'http',
            protocol: 'TCP',
            appProtocol: 'kubernetes.io/h2c',
            port: 80,
            targetPort: 'web',
          },
          { protocol: 'UDP', port: 53, targetPort: 5353, nodePort: 30053 },
        ],
        selector: { app: 'web' },
        clusterIP: '10.0.0.10',
        clusterIPs: ['10.0.0.10'],
        type: 'LoadBalancer',
        externalIPs: ['192.0.2.1'],
        sessionAffinity: 'ClientIP',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 31000,
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        allocateLoadBalancerNodePorts: true,
        internalTrafficPolicy: 'Cluster',
      },
      status: {
        loadBalancer: { ingress: [{ ip: '192.0.2.9', ports: [{ port: 80, protocol: 'TCP' }] }] },
      },
    },
  },
  {
    name: 'Role with every rule field',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    raw: encode(
      meta('editor', 'ns1'),
      msg(
        2,
        str(1, 'get'),
        str(1, 'update'),
        str(2, 'apps'),
        str(3, 'deployments'),
        str(3, 'deployments/scale'),
        str(4, 'web'),
      ),
    ),
    expectFields: {
      metadata: { name: 'editor', namespace: 'ns1' },
      rules: [
        {
          verbs: ['get', 'update'],
          apiGroups: ['apps'],
          resources: ['deployments', 'deployments/scale'],
          resourceNames: ['web'],
        },
      ],
    },
  },
  {
    name: 'ClusterRole with matchExpressions aggregation',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    raw: encode(
      meta('monitoring'),
      msg(2, str(1, 'get'), str(5, '/metrics')),
      msg(3, msg(1, msg(2, str(1, 'tier'), str(2, 'In'), str(3, 'a'), str(3, 'b')))),
    ),
    expectFields: {
      metadata: { name: 'monitoring' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }],
      aggregationRule: {
        clusterRoleSelectors: [
          { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        ],
      },
    },
  },
  {
    name: 'RoleBinding with empty roleRef',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    raw: encode(meta('rb'), msg(2, str(1, 'User'), str(2, ''), str(3, 'jane'), str(4, '')), msg(3)),
    expectFields: {
      metadata: { name: 'rb' },
      subjects: [{ kind: 'User', name: 'jane' }],
      roleRef: { apiGroup: '', kind: '', name: '' },
    },
  },
  {
    name: 'ClusterRoleBinding to a service account',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    raw: encode(
      meta('crb'),
      msg(2, str(1, 'ServiceAccount'), str(2, ''), str(3, 'sa'), str(4, 'ns1')),
      msg(3, str(1, 'rbac.authorization.k8s.io'), str(2, 'ClusterRole'), str(3, 'view')),
    ),
    expectFields: {
      metadata: { name: 'crb' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns1' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    },
  },
];

describe('decodeKubernetesProtobuf kinds', () => {
  for (const tc of kindCases) {
    it(tc.name, () => {
      const decoded = decodeKubernetesProtobuf(body(tc.apiVersion, tc.kind, tc.raw));
      expect(decoded.apiVersion, 'apiVersion').to.equal(tc.apiVersion);
      expect(decoded.kind, 'kind').to.equal(tc.kind);
      expect(decoded.object).to.deep.equal({
        kind: tc.kind,
        apiVersion: tc.apiVersion,
        ...tc.expectFields,
      });
    });
  }
});

describe('decodeKubernetesProtobuf envelope', () => {
  it('empty type takes the defaults', () => {
    const decoded = decodeKubernetesProtobuf(body('', '', encode(meta('cfg'))), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
    });
    expect(decoded.apiVersion).to.equal('v1');
    expect(decoded.kind).to.equal('ConfigMap');
    expect(decoded.object).to.deep.equal({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'cfg' },
    });
  });

  it('envelope type wins over defaults', () => {
    const decoded = decodeKubernetesProtobuf(body('v1', 'Secret', encode(meta('s'))), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
    });
    expect(decoded.kind).to.equal('Secret');
  });

  it('unknown field numbers skipped', () => {
    const raw = encode(
      varint(90, 7),
      msg(1, str(1, 'cfg'), str(91, 'future'), varint(92, 1)),
      str(93, 'future'),
      entry(2, 'a', 'b'),
    );
    expect(decode('v1', 'ConfigMap', raw)).to.deep.equal({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'cfg' },
      data: { a: 'b' },
    });
  });

  it('supported kinds listed', () => {
    expect(SUPPORTED_PROTOBUF_KINDS).to.deep.equal([
      'v1 Namespace',
      'v1 ConfigMap',
      'v1 Secret',
      'v1 ServiceAccount',
      'v1 Service',
      'v1 Pod',
      'apps/v1 Deployment',
      'rbac.authorization.k8s.io/v1 Role',
      'rbac.authorization.k8s.io/v1 ClusterRole',
      'rbac.authorization.k8s.io/v1 RoleBinding',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
      'authorization.k8s.io/v1 SubjectAccessReview',
      'authorization.k8s.io/v1 LocalSubjectAccessReview',
      'authorization.k8s.io/v1 SelfSubjectAccessReview',
      'authorization.k8s.io/v1 SelfSubjectRulesReview',
    ]);
  });
});

/** Returns the error that `run` throws; fails the test when it throws nothing. */
function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  expect.fail('expected an error, but none was thrown');
}

describe('decodeKubernetesProtobuf errors', () => {
  const unsupported: { name: string; body: Buffer; expectType: string }[] = [
    {
      name: 'StatefulSet',
      body: body('apps/v1', 'StatefulSet', encode(meta('db'))),
      expectType: 'apps/v1 StatefulSet',
    },
    {
      name: 'Deployment in wrong version',
      body: body('apps/v1beta1', 'Deployment', encode(meta('web'))),
      expectType: 'apps/v1beta1 Deployment',
    },
    {
      name: 'empty type without defaults',
      body: body('', '', encode(meta('x'))),
      expectType: 'an object without apiVersion and kind',
    },
  ];
  for (const tc of unsupported) {
    it(`${tc.name} unsupported`, () => {
      const err = thrownBy(() => decodeKubernetesProtobuf(tc.body));
      expect(err).to.be.instanceOf(UnsupportedProtobufKindError);
      expect(err.message).to.equal(
        `the protobuf encoding of ${tc.expectType} is not supported: send it as ` +
          'application/json or application/yaml instead. Kinds with protobuf support: ' +
          SUPPORTED_PROTOBUF_KINDS.join(', '),
      );
      expect((err as UnsupportedProtobufKindError).supportedKinds).to.equal(
        SUPPORTED_PROTOBUF_KINDS,
      );
    });
  }

  const invalid: { name: string; body: Buffer; expectMessage: RegExp }[] = [
    {
      name: 'JSON body',
      body: Buffer.from('{"kind":"ConfigMap"}'),
      expectMessage: /^provided data does not appear to be a protobuf message/,
    },
    {
      name: 'truncated envelope',
      body: Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x10, 0x01])]),
      expectMessage: /^invalid runtime\.Unknown envelope: index out of range/,
    },
    {
      name: 'truncated object',
      body: body('v1', 'ConfigMap', Uint8Array.from([0x0a, 0x20, 0x01])),
      expectMessage: /^invalid v1 ConfigMap bytes: index out of range/,
    },
    {
      name: 'invalid wire type',
      body: body('v1', 'ConfigMap', Uint8Array.from([0x0f, 0x01])),
      expectMessage: /^invalid v1 ConfigMap bytes: invalid wire type 7/,
    },
    {
      name: 'time after year 9999',
      body: body('v1', 'ConfigMap', encode(msg(1, time(8, 253402300800)))),
      expectMessage: /^metadata\.creationTimestamp: 253402300800 seconds is outside years/,
    },
  ];
  for (const tc of invalid) {
    it(`${tc.name} rejected`, () => {
      const err = thrownBy(() => decodeKubernetesProtobuf(tc.body));
      expect(err).to.not.be.instanceOf(UnsupportedProtobufKindError);
      expect(err.message).to.match(tc.expectMessage);
    });
  }
});
