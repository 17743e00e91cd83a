import { expect } from 'chai';
import { applyStrategicMergePatch } from '../../../../../pkg/registry/patch/strategic_merge_patch.js';
import { catchStatusError, loadSchemaBeforeTests } from './status_error_helper.js';

loadSchemaBeforeTests();

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const NEW_MANIFEST =
  '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},"name":"nginx","namespace":"default"},"spec":{"containers":[{"args":["sleep","2000"],"env":[{"name":"BAR","value":"3"}],"image":"busybox:2","name":"a"}]}}\n';

/** The live pod before `kubectl apply`: labels app and tier, containers a (env FOO, BAR) and b. */
const livePod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'nginx',
    namespace: 'default',
    labels: { app: 'web', tier: 'fe' },
    annotations: { [LAST_APPLIED]: '{"old":true}\n' },
  },
  spec: {
    containers: [
      {
        name: 'a',
        image: 'busybox:1',
        args: ['sleep', '1000'],
        env: [
          { name: 'FOO', value: '1' },
          { name: 'BAR', value: '2' },
        ],
      },
      { name: 'b', image: 'busybox:1', args: ['sleep', '1000'] },
    ],
  },
};

/** The patch kubectl 1.32 sent for that apply (observed), with the annotation filled in. */
const kubectlApplyPatch = {
  metadata: { annotations: { [LAST_APPLIED]: NEW_MANIFEST }, labels: { tier: null } },
  spec: {
    '$setElementOrder/containers': [{ name: 'a' }],
    containers: [
      {
        '$setElementOrder/env': [{ name: 'BAR' }],
        args: ['sleep', '2000'],
        env: [
          { name: 'BAR', value: '3' },
          { $patch: 'delete', name: 'FOO' },
        ],
        image: 'busybox:2',
        name: 'a',
      },
      { $patch: 'delete', name: 'b' },
    ],
  },
};

interface MergeCase {
  name: string;
  model?: string;
  original: Record<string, unknown>;
  patch: unknown;
  expectResult: Record<string, unknown>;
}

const containers = (...names: string[]) => names.map((name) => ({ name, image: `${name}:1` }));

const mergeCases: MergeCase[] = [
  {
    name: 'kubectl apply patch',
    original: livePod,
    patch: kubectlApplyPatch,
    expectResult: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'nginx',
        namespace: 'default',
        labels: { app: 'web' },
        annotations: { [LAST_APPLIED]: NEW_MANIFEST },
      },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'busybox:2',
            args: ['sleep', '2000'],
            env: [{ name: 'BAR', value: '3' }],
          },
        ],
      },
    },
  },
  {
    name: 'maps merge and null deletes',
    original: { metadata: { name: 'p', labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { b: null, c: '3', missing: null } } },
    expectResult: { metadata: { name: 'p', labels: { a: '1', c: '3' } } },
  },
  {
    name: 'map replace directive',
    original: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { $patch: 'replace', z: '26' } } },
    expectResult: { metadata: { labels: { z: '26' } } },
  },
  {
    name: 'map delete directive',
    original: { spec: { securityContext: { runAsUser: 1000 }, containers: [] } },
    patch: { spec: { securityContext: { $patch: 'delete' } } },
    expectResult: { spec: { securityContext: {}, containers: [] } },
  },
  {
    name: 'list replace directive',
    original: { spec: { containers: containers('a', 'b') } },
    patch: { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: 'c:2' }] } },
    expectResult: { spec: { containers: [{ name: 'c', image: 'c:2' }] } },
  },
  {
    name: 'list delete directive',
    original: { spec: { containers: containers('a', 'b', 'c') } },
    patch: { spec: { containers: [{ $patch: 'delete', name: 'b' }] } },
    expectResult: { spec: { containers: containers('a', 'c') } },
  },
  {
    name: 'merge by name keeps other fields',
    original: { spec: { containers: [{ name: 'a', image: 'a:1', tty: true }] } },
    patch: { spec: { containers: [{ name: 'a', image: 'a:2' }] } },
    expectResult: { spec: { containers: [{ name: 'a', image: 'a:2', tty: true }] } },
  },
  {
    name: 'new element without order goes first',
    original: { spec: { containers: containers('a', 'b') } },
    patch: { spec: { containers: containers('c') } },
    expectResult: { spec: { containers: containers('c', 'a', 'b') } },
  },
  {
    name: 'set element order reorders',
    original: { spec: { containers: containers('a', 'b', 'c') } },
    patch: {
      spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] },
    },
    expectResult: { spec: { containers: containers('c', 'a', 'b') } },
  },
  {
    name: 'set element order places a new element',
    original: { spec: { containers: containers('a', 'b') } },
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'c' }, { name: 'b' }],
        containers: containers('c'),
      },
    },
    expectResult: { spec: { containers: containers('a', 'c', 'b') } },
  },
  {
    name: 'set element order on an absent list',
    original: { spec: {} },
    patch: {
      spec: { '$setElementOrder/containers': [{ name: 'x' }], containers: containers('x') },
    },
    expectResult: { spec: { containers: containers('x') } },
  },
  {
    name: 'container ports merge by containerPort',
    original: {
      spec: {
        containers: [
          {
            name: 'a',
            ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }],
          },
        ],
      },
    },
    patch: {
      spec: {
        containers: [
          { name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 8080 }] },
        ],
      },
    },
    expectResult: {
      spec: {
        containers: [
          {
            name: 'a',
            ports: [
              { containerPort: 80, name: 'http', protocol: 'TCP' },
              { containerPort: 8080 },
              { containerPort: 443 },
            ],
          },
        ],
      },
    },
  },
  {
    name: 'merge key values compare by type',
    original: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] } },
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: '80', name: 'x' }] }] } },
    expectResult: {
      spec: {
        containers: [
          { name: 'a', ports: [{ containerPort: '80', name: 'x' }, { containerPort: 80 }] },
        ],
      },
    },
  },
  {
    name: 'service ports merge by port',
    model: 'V1Service',
    original: { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
    patch: {
      spec: {
        '$setElementOrder/ports': [{ port: 80 }, { port: 443 }],
        ports: [{ port: 80, targetPort: 9090 }],
      },
    },
    expectResult: { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } },
  },
  {
    name: 'finalizers merge as a set',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['c', 'a'] } },
    expectResult: { metadata: { finalizers: ['c', 'a', 'b'] } },
  },
  {
    name: 'delete from primitive list',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'z'] } },
    expectResult: { metadata: { finalizers: ['a', 'c'] } },
  },
  {
    name: 'kubectl finalizers patch',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: {
      metadata: {
        '$setElementOrder/finalizers': ['a', 'c'],
        '$deleteFromPrimitiveList/finalizers': ['b'],
        finalizers: ['c'],
      },
    },
    expectResult: { metadata: { finalizers: ['a', 'c'] } },
  },
  {
    name: 'delete from an absent list',
    original: { metadata: { name: 'p' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    expectResult: { metadata: { name: 'p' } },
  },
  {
    name: 'scalar lists are replaced',
    original: { spec: { containers: [{ name: 'a', args: ['x', 'y'], command: ['sh'] }] } },
    patch: { spec: { containers: [{ name: 'a', args: ['z'] }] } },
    expectResult: { spec: { containers: [{ name: 'a', args: ['z'], command: ['sh'] }] } },
  },
  {
    name: 'untagged lists of maps are replaced',
    original: { spec: { tolerations: [{ key: 'a' }, { key: 'b' }] } },
    patch: { spec: { tolerations: [{ key: 'c' }] } },
    expectResult: { spec: { tolerations: [{ key: 'c' }] } },
  },
  {
    name: 'retain keys on a deployment strategy',
    model: 'V1Deployment',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expectResult: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: 'retain keys in a volume',
    original: { spec: { volumes: [{ name: 'v', emptyDir: {} }] } },
    patch: {
      spec: {
        volumes: [{ $retainKeys: ['configMap', 'name'], name: 'v', configMap: { name: 'cm' } }],
      },
    },
    expectResult: { spec: { volumes: [{ name: 'v', configMap: { name: 'cm' } }] } },
  },
  {
    name: 'directives in an absent field',
    original: { spec: { containers: containers('a') } },
    patch: {
      spec: {
        initContainers: [
          { $patch: 'delete', name: 'x' },
          { name: 'y', image: 'y:1' },
        ],
        securityContext: { $patch: 'replace', runAsUser: 1 },
      },
    },
    expectResult: {
      spec: {
        containers: containers('a'),
        initContainers: [{ name: 'y', image: 'y:1' }],
        securityContext: { runAsUser: 1 },
      },
    },
  },
  {
    name: 'owner references merge by uid',
    original: { metadata: { ownerReferences: [{ uid: '1', name: 'a' }] } },
    patch: {
      metadata: {
        ownerReferences: [
          { uid: '2', name: 'b' },
          { uid: '1', controller: true },
        ],
      },
    },
    expectResult: {
      metadata: {
        ownerReferences: [
          { uid: '2', name: 'b' },
          { uid: '1', name: 'a', controller: true },
        ],
      },
    },
  },
  {
    name: 'unknown fields pass through',
    original: { spec: { containers: [] } },
    patch: { spec: { bogus: { a: 1 } } },
    expectResult: { spec: { containers: [], bogus: { a: 1 } } },
  },
  {
    name: 'changed JSON type replaces',
    original: { spec: { nodeSelector: { a: 'b' } } },
    patch: { spec: { nodeSelector: 'zone' } },
    expectResult: { spec: { nodeSelector: 'zone' } },
  },
  {
    name: 'configmap data merges',
    model: 'V1ConfigMap',
    original: { data: { a: '1', b: '2' } },
    patch: { data: { a: null, c: '3' } },
    expectResult: { data: { b: '2', c: '3' } },
  },
  {
    name: 'null patch changes nothing',
    original: { metadata: { name: 'p' } },
    patch: null,
    expectResult: { metadata: { name: 'p' } },
  },
];

describe('applyStrategicMergePatch', () => {
  for (const tc of mergeCases) {
    it(tc.name, () => {
      const before = structuredClone(tc.original);
      const result = applyStrategicMergePatch(
        tc.original,
        JSON.stringify(tc.patch),
        tc.model ?? 'V1Pod',
      );
      expect(result).to.deep.equal(tc.expectResult);
      expect(JSON.stringify(result)).to.not.include('"$');
      expect(tc.original, 'original changed').to.deep.equal(before);
    });
  }

  it('keeps the order kubectl sent', () => {
    const result = applyStrategicMergePatch(livePod, JSON.stringify(kubectlApplyPatch), 'V1Pod');
    expect(JSON.stringify(result)).to.equal(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'nginx',
          namespace: 'default',
          labels: { app: 'web' },
          annotations: { [LAST_APPLIED]: NEW_MANIFEST },
        },
        spec: {
          containers: [
            {
              name: 'a',
              image: 'busybox:2',
              args: ['sleep', '2000'],
              env: [{ name: 'BAR', value: '3' }],
            },
          ],
        },
      }),
    );
  });
});

describe('applyStrategicMergePatch errors', () => {
  const pod = { spec: { containers: containers('a', 'b'), tolerations: [] } };
  const cases: { name: string; patch: string; expectCode: number; expectMessage: string }[] = [
    {
      name: 'merge directive in a list',
      patch: '{"spec":{"containers":[{"$patch":"merge"}]}}',
      expectCode: 400,
      expectMessage: 'merging lists cannot yet be specified in the patch',
    },
    {
      name: 'unknown map directive',
      patch: '{"metadata":{"labels":{"$patch":"bogus","a":"b"}}}',
      expectCode: 400,
      expectMessage: 'unknown patch type: bogus in map: map[$patch:bogus a:b]',
    },
    {
      name: 'unknown list directive',
      patch: '{"spec":{"containers":[{"$patch":"move","name":"a"}]}}',
      expectCode: 400,
      expectMessage: 'unknown patch type: move in map: map[$patch:move name:a]',
    },
    {
      name: 'element without merge key',
      patch: '{"spec":{"containers":[{"image":"x"}]}}',
      expectCode: 400,
      expectMessage: 'map: map[image:x] does not contain declared merge key: name',
    },
    {
      name: 'delete without merge key',
      patch: '{"spec":{"containers":[{"$patch":"delete"}]}}',
      expectCode: 400,
      expectMessage: 'map: map[$patch:delete] does not contain declared merge key: name',
    },
    {
      name: 'retain keys not a list',
      patch: '{"spec":{"$retainKeys":"containers"}}',
      expectCode: 400,
      expectMessage: 'invalid patch format of retainKeys',
    },
    {
      name: 'retain keys without a patched key',
      patch: '{"spec":{"$retainKeys":["containers"],"hostname":"h"}}',
      expectCode: 400,
      expectMessage: 'invalid patch format of retainKeys',
    },
    {
      name: 'patch list out of order',
      patch:
        '{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b"},{"name":"a"}]}}',
      expectCode: 400,
      expectMessage:
        "The order in patch list:\n[map[name:b] map[name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n",
    },
    {
      name: 'set element order without a field',
      patch: '{"spec":{"$setElementOrder":[]}}',
      expectCode: 400,
      expectMessage: 'invalid patch format of setElementOrder list',
    },
    {
      name: 'set element order not a list',
      patch: '{"spec":{"$setElementOrder/containers":"a"}}',
      expectCode: 400,
      expectMessage: 'expected a []interface {}, but received a string',
    },
    {
      name: 'delete list without a field',
      patch: '{"metadata":{"$deleteFromPrimitiveList":["a"]}}',
      expectCode: 400,
      expectMessage: 'invalid patch format of primitive list',
    },
    {
      name: 'mixed element types',
      patch: '{"metadata":{"finalizers":["a",1]}}',
      expectCode: 400,
      expectMessage: 'list element types are not identical: [[] [a 1]]',
    },
    {
      name: 'list of lists',
      patch: '{"metadata":{"finalizers":[["b"]]}}',
      expectCode: 422,
      expectMessage: 'the server rejected our request due to an error in our request',
    },
    {
      name: 'body is a list',
      patch: '[{"op":"add"}]',
      expectCode: 400,
      expectMessage: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const original = { ...pod, metadata: { finalizers: [] } };
      const error = catchStatusError(() => applyStrategicMergePatch(original, tc.patch, 'V1Pod'));
      expect(error.code).to.equal(tc.expectCode);
      expect(error.reason).to.equal(tc.expectCode === 400 ? 'BadRequest' : 'Invalid');
      expect(error.message).to.equal(tc.expectMessage);
    });
  }

  it('list of lists keeps the reason for the log', () => {
    const error = catchStatusError(() =>
      applyStrategicMergePatch(
        { metadata: { finalizers: [] } },
        '{"metadata":{"finalizers":[["b"]]}}',
        'V1Pod',
      ),
    );
    expect(error.status.details).to.deep.equal({});
    expect((error.cause as Error).message).to.equal('lists of lists are not supported');
  });

  it('body is not JSON', () => {
    const error = catchStatusError(() => applyStrategicMergePatch({}, '{"spec":', 'V1Pod'));
    expect(error.code).to.equal(400);
    expect(error.reason).to.equal('BadRequest');
  });
});
