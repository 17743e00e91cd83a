import { expect } from 'chai';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  type GroupVersionResources,
} from '../../../../../pkg/endpoints/discovery/legacy.js';
import { SELF_SUBJECT_REVIEWS } from '../../../../../pkg/endpoints/discovery/reviews.js';
import { servedResourcesFrom } from '../../../../../pkg/endpoints/discovery/served.js';
import { DEFINITIONS, deployments, pods, serviceAccounts } from './testdata/definitions.js';

const served = servedResourcesFrom(
  [...DEFINITIONS, { ...deployments, version: 'v1beta2' }],
  [SELF_SUBJECT_REVIEWS],
);

describe('apiVersions', () => {
  const cases = [
    {
      name: 'core version listed',
      served,
      serverAddress: undefined,
      expectJSON:
        '{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":""}]}',
    },
    {
      name: 'no core resources, no versions',
      served: servedResourcesFrom([deployments]),
      serverAddress: undefined,
      expectJSON:
        '{"kind":"APIVersions","versions":[],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":""}]}',
    },
    {
      name: 'server address passed through',
      served,
      serverAddress: '127.0.0.1:6443',
      expectJSON:
        '{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(JSON.stringify(apiVersions(tc.served, tc.serverAddress))).to.equal(tc.expectJSON);
    });
  }
});

describe('apiGroupList', () => {
  it('lists named groups by priority', () => {
    expect(JSON.stringify(apiGroupList(served))).to.equal(
      '{"kind":"APIGroupList","apiVersion":"v1","groups":[' +
        '{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"},{"groupVersion":"apps/v1beta2","version":"v1beta2"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},' +
        '{"name":"authentication.k8s.io","versions":[{"groupVersion":"authentication.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"authentication.k8s.io/v1","version":"v1"}},' +
        '{"name":"batch","versions":[{"groupVersion":"batch/v1","version":"v1"}],"preferredVersion":{"groupVersion":"batch/v1","version":"v1"}}' +
        ']}',
    );
  });

  it('lists no groups when only core is served', () => {
    expect(JSON.stringify(apiGroupList(servedResourcesFrom([pods])))).to.equal(
      '{"kind":"APIGroupList","apiVersion":"v1","groups":[]}',
    );
  });
});

describe('apiGroupDocument', () => {
  const cases: { name: string; group: string; expectJSON: string | undefined }[] = [
    {
      name: 'served group',
      group: 'apps',
      expectJSON:
        '{"kind":"APIGroup","apiVersion":"v1","name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"},{"groupVersion":"apps/v1beta2","version":"v1beta2"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}',
    },
    { name: 'unknown group', group: 'policy', expectJSON: undefined },
    { name: 'core group is not named', group: '', expectJSON: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const document = apiGroupDocument(served, tc.group);
      expect(document === undefined ? undefined : JSON.stringify(document)).to.equal(tc.expectJSON);
    });
  }
});

describe('apiResourceList', () => {
  it('lists core resources without apiVersion', () => {
    const list = apiResourceList(servedResourcesFrom([serviceAccounts, pods]), '', 'v1');
    expect(JSON.stringify(list)).to.equal(
      '{"kind":"APIResourceList","groupVersion":"v1","resources":[' +
        '{"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["po"],"categories":["all"],"storageVersionHash":"xPOwRZ+Yhw8="},' +
        '{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]},' +
        '{"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["create","get"]},' +
        '{"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},' +
        '{"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]},' +
        '{"name":"serviceaccounts","singularName":"serviceaccount","namespaced":true,"kind":"ServiceAccount","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["sa"],"storageVersionHash":"pbx9ZvyFpBE="},' +
        '{"name":"serviceaccounts/token","singularName":"","namespaced":true,"group":"authentication.k8s.io","version":"v1","kind":"TokenRequest","verbs":["create"]}' +
        ']}',
    );
  });

  it('lists a named group version with apiVersion', () => {
    const list = apiResourceList(served, 'apps', 'v1');
    expect(JSON.stringify(list)).to.equal(
      '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[' +
        '{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["deploy"],"categories":["all"],"storageVersionHash":"8aSe+NMegvE="},' +
        '{"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]},' +
        '{"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment","verbs":["get","patch","update"]}' +
        ']}',
    );
  });

  it('lists a resource without storage', () => {
    const list = apiResourceList(served, 'authentication.k8s.io', 'v1');
    expect(JSON.stringify(list)).to.equal(
      '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"authentication.k8s.io/v1","resources":[' +
        '{"name":"selfsubjectreviews","singularName":"selfsubjectreview","namespaced":false,"kind":"SelfSubjectReview","verbs":["create"]}' +
        ']}',
    );
  });

  it('keeps subresources of cluster-scoped resources cluster-scoped', () => {
    const list = apiResourceList(served, '', 'v1');
    const finalize = list?.resources.find((resource) => resource.name === 'namespaces/finalize');
    expect(finalize?.namespaced).to.equal(false);
    expect(finalize?.verbs).to.deep.equal(['update']);
  });

  const missingCases = [
    { name: 'unknown version', group: 'apps', version: 'v2' },
    { name: 'unknown group', group: 'policy', version: 'v1' },
    { name: 'core version not served', group: '', version: 'v2' },
  ];
  for (const tc of missingCases) {
    it(`returns undefined for ${tc.name}`, () => {
      expect(apiResourceList(served, tc.group, tc.version)).to.equal(undefined);
    });
  }
});

describe('deprecated GroupVersionResources input', () => {
  const legacyInput: GroupVersionResources[] = [
    { group: '', version: 'v1', resources: [] },
    {
      group: 'authentication.k8s.io',
      version: 'v1',
      resources: [
        {
          name: 'selfsubjectreviews',
          singularName: 'selfsubjectreview',
          namespaced: false,
          kind: 'SelfSubjectReview',
          verbs: ['create'],
        },
      ],
    },
  ];

  it('leaves out a core version without resources', () => {
    expect(apiVersions(legacyInput).versions).to.deep.equal([]);
    expect(apiResourceList(legacyInput, '', 'v1')).to.equal(undefined);
  });

  it('lists the named group', () => {
    expect(apiGroupList(legacyInput).groups.map((group) => group.name)).to.deep.equal([
      'authentication.k8s.io',
    ]);
    expect(apiGroupDocument(legacyInput, 'authentication.k8s.io')?.preferredVersion).to.deep.equal({
      groupVersion: 'authentication.k8s.io/v1',
      version: 'v1',
    });
  });

  it('lists the resources', () => {
    expect(JSON.stringify(apiResourceList(legacyInput, 'authentication.k8s.io', 'v1'))).to.equal(
      '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"authentication.k8s.io/v1","resources":[' +
        '{"name":"selfsubjectreviews","singularName":"selfsubjectreview","namespaced":false,"kind":"SelfSubjectReview","verbs":["create"]}' +
        ']}',
    );
  });
});
