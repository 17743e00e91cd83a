import { expect } from 'chai';
import {
  compareGroups,
  compareKubeAwareVersions,
  groupServedResources,
} from '../../../../../pkg/endpoints/discovery/order.js';
import { servedResourcesFrom } from '../../../../../pkg/endpoints/discovery/served.js';
import {
  SELF_SUBJECT_REVIEWS,
  TOKEN_REVIEWS,
} from '../../../../../pkg/endpoints/discovery/reviews.js';
import { DEFINITIONS, deployments } from './testdata/definitions.js';

describe('compareKubeAwareVersions', () => {
  it('orders GA, beta, alpha, then other strings', () => {
    const versions = [
      'v11alpha2',
      'foo10',
      'v10',
      'v2',
      'foo1',
      'v10beta3',
      'v1',
      'v12alpha1',
      'v3beta1',
      'v11beta2',
    ];
    expect(versions.sort(compareKubeAwareVersions)).to.deep.equal([
      'v10',
      'v2',
      'v1',
      'v11beta2',
      'v10beta3',
      'v3beta1',
      'v12alpha1',
      'v11alpha2',
      'foo1',
      'foo10',
    ]);
  });

  it('treats equal versions as equal', () => {
    expect(compareKubeAwareVersions('v1', 'v1')).to.equal(0);
  });
});

describe('compareGroups', () => {
  it('orders by kube-apiserver priority then name', () => {
    const groups = [
      'storage.k8s.io',
      'example.com',
      'authentication.k8s.io',
      'apiextensions.k8s.io',
      'apps',
      '',
      'admissionregistration.k8s.io',
      'authorization.k8s.io',
      'batch',
      'another.example.com',
    ];
    expect(groups.sort(compareGroups)).to.deep.equal([
      '',
      'apps',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'batch',
      'storage.k8s.io',
      'admissionregistration.k8s.io',
      'apiextensions.k8s.io',
      'another.example.com',
      'example.com',
    ]);
  });
});

describe('groupServedResources', () => {
  const served = servedResourcesFrom(
    [...DEFINITIONS, { ...deployments, version: 'v1beta2' }],
    [TOKEN_REVIEWS, SELF_SUBJECT_REVIEWS],
  );
  const groups = groupServedResources(served);

  it('puts the core group first', () => {
    expect(groups.map((group) => group.name)).to.deep.equal([
      '',
      'apps',
      'authentication.k8s.io',
      'batch',
    ]);
  });

  it('puts the preferred version first', () => {
    const apps = groups.find((group) => group.name === 'apps');
    expect(apps?.versions.map((gv) => gv.version)).to.deep.equal(['v1', 'v1beta2']);
  });

  it('sorts resources by name', () => {
    const core = groups.find((group) => group.name === '');
    expect(core?.versions[0]?.resources.map((resource) => resource.name)).to.deep.equal([
      'configmaps',
      'namespaces',
      'nodes',
      'pods',
      'serviceaccounts',
    ]);
    const authentication = groups.find((group) => group.name === 'authentication.k8s.io');
    expect(authentication?.versions[0]?.resources.map((resource) => resource.name)).to.deep.equal([
      'selfsubjectreviews',
      'tokenreviews',
    ]);
  });
});
