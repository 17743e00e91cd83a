import { expect } from 'chai';
import {
  LOCAL_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
  SUBJECT_ACCESS_REVIEWS,
  TOKEN_REVIEWS,
} from '../../../../../pkg/endpoints/discovery/reviews.js';
import {
  STORAGE_VERBS,
  servedResourcesFrom,
  storageVersionHash,
  type ServedResource,
} from '../../../../../pkg/endpoints/discovery/served.js';
import { DEFINITIONS, deployments, pods } from './testdata/definitions.js';

function find(served: readonly ServedResource[], group: string, name: string): ServedResource {
  const resource = served.find((candidate) => candidate.group === group && candidate.name === name);
  if (resource === undefined) throw new Error(`test setup: ${group}/${name} is not served`);
  return resource;
}

describe('servedResourcesFrom', () => {
  const served = servedResourcesFrom(DEFINITIONS);

  const verbCases = [
    {
      name: 'pods get every storage verb',
      group: '',
      resource: 'pods',
      expectVerbs: STORAGE_VERBS,
    },
    {
      name: 'namespaces lack deletecollection',
      group: '',
      resource: 'namespaces',
      expectVerbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
    {
      name: 'deployments get every storage verb',
      group: 'apps',
      resource: 'deployments',
      expectVerbs: STORAGE_VERBS,
    },
  ];
  for (const tc of verbCases) {
    it(tc.name, () => {
      expect(find(served, tc.group, tc.resource).verbs).to.deep.equal(tc.expectVerbs);
    });
  }

  it('copies names and scope from the definition', () => {
    const resource = find(served, 'apps', 'deployments');
    expect(resource.version).to.equal('v1');
    expect(resource.kind).to.equal('Deployment');
    expect(resource.singularName).to.equal('deployment');
    expect(resource.namespaced).to.equal(true);
    expect(resource.shortNames).to.deep.equal(['deploy']);
    expect(resource.categories).to.deep.equal(['all']);
  });

  const subresourceCases = [
    {
      name: 'status returns the parent kind',
      group: '',
      resource: 'pods',
      subresource: 'status',
      expectKind: { group: '', version: 'v1', kind: 'Pod' },
      expectVerbs: ['get', 'patch', 'update'],
    },
    {
      name: 'scale returns autoscaling/v1 Scale',
      group: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      expectKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      expectVerbs: ['get', 'patch', 'update'],
    },
    {
      name: 'token returns TokenRequest',
      group: '',
      resource: 'serviceaccounts',
      subresource: 'token',
      expectKind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
      expectVerbs: ['create'],
    },
    {
      name: 'eviction returns policy/v1 Eviction',
      group: '',
      resource: 'pods',
      subresource: 'eviction',
      expectKind: { group: 'policy', version: 'v1', kind: 'Eviction' },
      expectVerbs: ['create'],
    },
    {
      name: 'log is read only',
      group: '',
      resource: 'pods',
      subresource: 'log',
      expectKind: { group: '', version: 'v1', kind: 'Pod' },
      expectVerbs: ['get'],
    },
    {
      name: 'exec returns PodExecOptions',
      group: '',
      resource: 'pods',
      subresource: 'exec',
      expectKind: { group: '', version: 'v1', kind: 'PodExecOptions' },
      expectVerbs: ['create', 'get'],
    },
    {
      name: 'proxy is named after the parent',
      group: '',
      resource: 'nodes',
      subresource: 'proxy',
      expectKind: { group: '', version: 'v1', kind: 'NodeProxyOptions' },
      expectVerbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    {
      name: 'finalize is update only',
      group: '',
      resource: 'namespaces',
      subresource: 'finalize',
      expectKind: { group: '', version: 'v1', kind: 'Namespace' },
      expectVerbs: ['update'],
    },
  ];
  for (const tc of subresourceCases) {
    it(`subresource: ${tc.name}`, () => {
      const subresource = find(served, tc.group, tc.resource).subresources.find(
        (candidate) => candidate.name === tc.subresource,
      );
      expect(subresource?.kind).to.deep.equal(tc.expectKind);
      expect(subresource?.verbs).to.deep.equal(tc.expectVerbs);
    });
  }

  it('rejects an unknown subresource', () => {
    const broken = { ...pods, subresources: ['status', 'bogus'] };
    expect(() => servedResourcesFrom([broken])).to.throw(
      'discovery: resource pods has unknown subresource "bogus"; known subresources are approval,',
    );
  });

  it('rejects a resource declared twice', () => {
    expect(() => servedResourcesFrom([deployments, deployments])).to.throw(
      'discovery: resource apps/v1/deployments is declared twice',
    );
  });

  it('rejects an added resource that a definition has', () => {
    const clash = { ...SELF_SUBJECT_REVIEWS, group: '', name: 'pods' };
    expect(() => servedResourcesFrom([pods], [clash])).to.throw(
      'discovery: resource v1/pods is declared twice',
    );
  });

  it('appends resources without storage', () => {
    const withReviews = servedResourcesFrom([pods], [SELF_SUBJECT_REVIEWS]);
    expect(withReviews.map((resource) => resource.name)).to.deep.equal([
      'pods',
      'selfsubjectreviews',
    ]);
  });

  it('gives storage-backed resources a hash', () => {
    expect(find(served, '', 'pods').storageVersionHash).to.equal('xPOwRZ+Yhw8=');
  });
});

describe('storageVersionHash', () => {
  // Values that kube-apiserver 1.31 sent in /api/v1 and /apis/apps/v1.
  const cases = [
    {
      name: 'core Pod',
      gvk: { group: '', version: 'v1', kind: 'Pod' },
      expectHash: 'xPOwRZ+Yhw8=',
    },
    {
      name: 'core Namespace',
      gvk: { group: '', version: 'v1', kind: 'Namespace' },
      expectHash: 'Q3oi5N2YM8M=',
    },
    {
      name: 'core ServiceAccount',
      gvk: { group: '', version: 'v1', kind: 'ServiceAccount' },
      expectHash: 'pbx9ZvyFpBE=',
    },
    {
      name: 'apps Deployment',
      gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
      expectHash: '8aSe+NMegvE=',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(storageVersionHash(tc.gvk)).to.equal(tc.expectHash);
    });
  }
});

describe('review resources', () => {
  const cases = [
    {
      name: 'selfsubjectreviews',
      resource: SELF_SUBJECT_REVIEWS,
      group: 'authentication.k8s.io',
      kind: 'SelfSubjectReview',
      namespaced: false,
    },
    {
      name: 'tokenreviews',
      resource: TOKEN_REVIEWS,
      group: 'authentication.k8s.io',
      kind: 'TokenReview',
      namespaced: false,
    },
    {
      name: 'selfsubjectaccessreviews',
      resource: SELF_SUBJECT_ACCESS_REVIEWS,
      group: 'authorization.k8s.io',
      kind: 'SelfSubjectAccessReview',
      namespaced: false,
    },
    {
      name: 'selfsubjectrulesreviews',
      resource: SELF_SUBJECT_RULES_REVIEWS,
      group: 'authorization.k8s.io',
      kind: 'SelfSubjectRulesReview',
      namespaced: false,
    },
    {
      name: 'subjectaccessreviews',
      resource: SUBJECT_ACCESS_REVIEWS,
      group: 'authorization.k8s.io',
      kind: 'SubjectAccessReview',
      namespaced: false,
    },
    {
      name: 'localsubjectaccessreviews',
      resource: LOCAL_SUBJECT_ACCESS_REVIEWS,
      group: 'authorization.k8s.io',
      kind: 'LocalSubjectAccessReview',
      namespaced: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(tc.resource.name).to.equal(tc.name);
      expect(tc.resource.singularName).to.equal(tc.name.slice(0, -1));
      expect(tc.resource.group).to.equal(tc.group);
      expect(tc.resource.version).to.equal('v1');
      expect(tc.resource.kind).to.equal(tc.kind);
      expect(tc.resource.namespaced).to.equal(tc.namespaced);
      expect(tc.resource.verbs).to.deep.equal(['create']);
      expect(tc.resource.storageVersionHash).to.equal(undefined);
    });
  }
});
