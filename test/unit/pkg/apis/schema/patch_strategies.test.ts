import { expect } from 'chai';
import { modelSchema, type FieldType } from '../../../../../pkg/apis/schema/models.js';
import {
  mergeKeyOf,
  PATCH_TAGS,
  patchMetaAt,
  patchMetaOf,
} from '../../../../../pkg/apis/schema/patch_strategies.js';

before(function () {
  this.timeout(30_000);
  modelSchema('V1Pod');
});

describe('mergeKeyOf', () => {
  const cases: { name: string; model: string; path: string; expectKey: string | undefined }[] = [
    { name: 'pod containers', model: 'V1Pod', path: 'spec.containers', expectKey: 'name' },
    { name: 'init containers', model: 'V1Pod', path: 'spec.initContainers', expectKey: 'name' },
    {
      name: 'ephemeral containers',
      model: 'V1Pod',
      path: 'spec.ephemeralContainers',
      expectKey: 'name',
    },
    { name: 'volumes', model: 'V1Pod', path: 'spec.volumes', expectKey: 'name' },
    {
      name: 'image pull secrets',
      model: 'V1Pod',
      path: 'spec.imagePullSecrets',
      expectKey: 'name',
    },
    { name: 'container env', model: 'V1Pod', path: 'spec.containers[0].env', expectKey: 'name' },
    {
      name: 'container ports',
      model: 'V1Pod',
      path: 'spec.containers[2].ports',
      expectKey: 'containerPort',
    },
    {
      name: 'volume mounts',
      model: 'V1Pod',
      path: 'spec.containers.volumeMounts',
      expectKey: 'mountPath',
    },
    {
      name: 'volume devices',
      model: 'V1Pod',
      path: 'spec.initContainers.volumeDevices',
      expectKey: 'devicePath',
    },
    {
      name: 'ephemeral container ports',
      model: 'V1Pod',
      path: 'spec.ephemeralContainers.ports',
      expectKey: 'containerPort',
    },
    { name: 'host aliases', model: 'V1Pod', path: 'spec.hostAliases', expectKey: 'ip' },
    {
      name: 'topology spread',
      model: 'V1Pod',
      path: 'spec.topologySpreadConstraints',
      expectKey: 'topologyKey',
    },
    { name: 'resource claims', model: 'V1Pod', path: 'spec.resourceClaims', expectKey: 'name' },
    { name: 'scheduling gates', model: 'V1Pod', path: 'spec.schedulingGates', expectKey: 'name' },
    { name: 'pod conditions', model: 'V1Pod', path: 'status.conditions', expectKey: 'type' },
    { name: 'pod IPs', model: 'V1Pod', path: 'status.podIPs', expectKey: 'ip' },
    {
      name: 'owner references',
      model: 'V1Pod',
      path: 'metadata.ownerReferences',
      expectKey: 'uid',
    },
    {
      name: 'finalizers have none',
      model: 'V1Pod',
      path: 'metadata.finalizers',
      expectKey: undefined,
    },
    { name: 'service ports', model: 'V1Service', path: 'spec.ports', expectKey: 'port' },
    {
      name: 'service account secrets',
      model: 'V1ServiceAccount',
      path: 'secrets',
      expectKey: 'name',
    },
    {
      name: 'service account pull secrets',
      model: 'V1ServiceAccount',
      path: 'imagePullSecrets',
      expectKey: undefined,
    },
    {
      name: 'deployment template',
      model: 'V1Deployment',
      path: 'spec.template.spec.containers',
      expectKey: 'name',
    },
    {
      name: 'deployment conditions',
      model: 'V1Deployment',
      path: 'status.conditions',
      expectKey: 'type',
    },
    {
      name: 'namespace conditions',
      model: 'V1Namespace',
      path: 'status.conditions',
      expectKey: 'type',
    },
    {
      name: 'tolerations replaced',
      model: 'V1Pod',
      path: 'spec.tolerations',
      expectKey: undefined,
    },
    { name: 'role rules replaced', model: 'V1Role', path: 'rules', expectKey: undefined },
    { name: 'binding subjects', model: 'V1RoleBinding', path: 'subjects', expectKey: undefined },
    { name: 'unknown path', model: 'V1Pod', path: 'spec.bogus.containers', expectKey: undefined },
    { name: 'empty path', model: 'V1Pod', path: '', expectKey: undefined },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(mergeKeyOf(tc.model, tc.path)).to.equal(tc.expectKey);
    });
  }
});

describe('patchMetaOf', () => {
  it('finalizers merge as a set', () => {
    expect(patchMetaOf('V1ObjectMeta', 'finalizers')).to.deep.equal({
      patchStrategies: ['merge'],
      patchMergeKey: '',
    });
  });

  it('volumes merge and retain keys', () => {
    expect(patchMetaOf('V1PodSpec', 'volumes')).to.deep.equal({
      patchStrategies: ['merge', 'retainKeys'],
      patchMergeKey: 'name',
    });
  });

  it('deployment strategy retains keys', () => {
    expect(patchMetaAt('V1Deployment', 'spec.strategy')).to.deep.equal({
      patchStrategies: ['retainKeys'],
      patchMergeKey: '',
    });
  });

  it('untagged field', () => {
    expect(patchMetaOf('V1PodSpec', 'tolerations')).to.deep.equal({
      patchStrategies: [],
      patchMergeKey: '',
    });
  });
});

describe('PATCH_TAGS', () => {
  for (const [model, fields] of Object.entries(PATCH_TAGS)) {
    for (const [field, tags] of Object.entries(fields)) {
      it(`${model}.${field} matches client-node`, () => {
        const type = modelSchema(model)?.fields.get(field)?.type;
        expect(type, `${model} has no field ${field}`).to.not.equal(undefined);
        if (tags.patchStrategy.split(',').includes('merge')) {
          expect(type?.kind).to.equal('array');
        }
        if (tags.patchMergeKey !== undefined) {
          const items = (type as Extract<FieldType, { kind: 'array' }>).items;
          expect(items.kind).to.equal('model');
          const itemModel = (items as Extract<FieldType, { kind: 'model' }>).model;
          expect(modelSchema(itemModel)?.fields.has(tags.patchMergeKey)).to.equal(true);
        }
      });
    }
  }
});
