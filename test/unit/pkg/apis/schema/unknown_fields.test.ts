import { expect } from 'chai';
import { modelSchema } from '../../../../../pkg/apis/schema/models.js';
import {
  findUnknownFields,
  pruneUnknownFields,
} from '../../../../../pkg/apis/schema/unknown_fields.js';

// The first lookup loads @kubernetes/client-node, which takes about a second.
before(function () {
  this.timeout(30_000);
  modelSchema('V1Pod');
});

interface UnknownFieldCase {
  name: string;
  model: string;
  object: unknown;
  expectUnknown: string[];
  expectPruned: unknown;
}

const cases: UnknownFieldCase[] = [
  {
    name: 'spec field on a pod',
    model: 'V1Pod',
    object: { apiVersion: 'v1', kind: 'Pod', spec: { bogus: 1, containers: [] } },
    expectUnknown: ['spec.bogus'],
    expectPruned: { apiVersion: 'v1', kind: 'Pod', spec: { containers: [] } },
  },
  {
    name: 'field in a list element',
    model: 'V1Pod',
    object: { spec: { containers: [{ name: 'a', image: 'x', bogus: true }] } },
    expectUnknown: ['spec.containers[0].bogus'],
    expectPruned: { spec: { containers: [{ name: 'a', image: 'x' }] } },
  },
  {
    name: 'field in metadata',
    model: 'V1Pod',
    object: { metadata: { name: 'web', colour: 'red' } },
    expectUnknown: ['metadata.colour'],
    expectPruned: { metadata: { name: 'web' } },
  },
  {
    name: 'top-level field',
    model: 'V1ConfigMap',
    object: { apiVersion: 'v1', kind: 'ConfigMap', spec: {} },
    expectUnknown: ['spec'],
    expectPruned: { apiVersion: 'v1', kind: 'ConfigMap' },
  },
  {
    name: 'labels and annotations are open',
    model: 'V1Pod',
    object: { metadata: { labels: { 'app.kubernetes.io/name': 'x' }, annotations: { any: 'y' } } },
    expectUnknown: [],
    expectPruned: {
      metadata: { labels: { 'app.kubernetes.io/name': 'x' }, annotations: { any: 'y' } },
    },
  },
  {
    name: 'configmap data is open',
    model: 'V1ConfigMap',
    object: { data: { 'app.properties': 'a=b', other: 'c' }, binaryData: { blob: 'AAE=' } },
    expectUnknown: [],
    expectPruned: { data: { 'app.properties': 'a=b', other: 'c' }, binaryData: { blob: 'AAE=' } },
  },
  {
    name: 'fields typed any are open',
    model: 'V1Pod',
    object: { metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }] } },
    expectUnknown: [],
    expectPruned: {
      metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }] },
    },
  },
  {
    name: 'deployment pod template',
    model: 'V1Deployment',
    object: {
      spec: {
        template: { spec: { containers: [{ name: 'a' }, { name: 'b', foo: 1 }] } },
        strategy: { type: 'Recreate', bar: 2 },
      },
    },
    expectUnknown: ['spec.template.spec.containers[1].foo', 'spec.strategy.bar'],
    expectPruned: {
      spec: {
        template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } },
        strategy: { type: 'Recreate' },
      },
    },
  },
  {
    name: 'status and rbac kinds',
    model: 'V1ClusterRole',
    object: { rules: [{ verbs: ['get'], resources: ['pods'], scope: 'all' }], status: {} },
    expectUnknown: ['rules[0].scope', 'status'],
    expectPruned: { rules: [{ verbs: ['get'], resources: ['pods'] }] },
  },
  {
    name: 'wrong JSON types are skipped',
    model: 'V1Pod',
    object: { spec: 'not an object', metadata: { labels: ['a'] } },
    expectUnknown: [],
    expectPruned: { spec: 'not an object', metadata: { labels: ['a'] } },
  },
  {
    name: 'core v1 event',
    model: 'CoreV1Event',
    object: { involvedObject: { kind: 'Pod', nickname: 'x' }, reason: 'Started' },
    expectUnknown: ['involvedObject.nickname'],
    expectPruned: { involvedObject: { kind: 'Pod' }, reason: 'Started' },
  },
];

describe('findUnknownFields', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      expect(findUnknownFields(tc.model, tc.object)).to.deep.equal(tc.expectUnknown);
    });
  }

  it('rejects an unknown model', () => {
    expect(() => findUnknownFields('V1Bogus', {})).to.throw(TypeError, 'V1Bogus');
  });
});

describe('pruneUnknownFields', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      expect(pruneUnknownFields(tc.model, tc.object)).to.deep.equal(tc.expectPruned);
    });
  }

  it('leaves the input unchanged', () => {
    const object = { spec: { bogus: 1, containers: [{ name: 'a', foo: 2 }] } };
    pruneUnknownFields('V1Pod', object);
    expect(object).to.deep.equal({ spec: { bogus: 1, containers: [{ name: 'a', foo: 2 }] } });
  });

  it('keeps a __proto__ data key as data', () => {
    const object = JSON.parse('{"data":{"__proto__":"x","a":"b"}}') as unknown;
    const pruned = pruneUnknownFields('V1ConfigMap', object) as { data: Record<string, unknown> };
    expect(Object.keys(pruned.data)).to.deep.equal(['__proto__', 'a']);
    expect(Object.getPrototypeOf(pruned.data)).to.equal(Object.prototype);
  });
});
