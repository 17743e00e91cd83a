import { expect } from 'chai';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  type GroupVersionResources,
} from '../../../../../pkg/endpoints/discovery/legacy.js';

const selfSubjectReviews = {
  name: 'selfsubjectreviews',
  singularName: 'selfsubjectreview',
  namespaced: false,
  kind: 'SelfSubjectReview',
  verbs: ['create'],
};

const deployments = {
  name: 'deployments',
  singularName: 'deployment',
  namespaced: true,
  kind: 'Deployment',
  verbs: ['get', 'list'],
  shortNames: ['deploy'],
};

const served: GroupVersionResources[] = [
  { group: '', version: 'v1', resources: [] },
  { group: 'authentication.k8s.io', version: 'v1', resources: [selfSubjectReviews] },
  { group: 'apps', version: 'v1', resources: [deployments] },
  { group: 'apps', version: 'v1beta1', resources: [deployments] },
];

describe('apiVersions', () => {
  const cases: { name: string; served: GroupVersionResources[]; expectJSON: string }[] = [
    {
      name: 'empty core version left out',
      served,
      expectJSON:
        '{"kind":"APIVersions","versions":[],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":""}]}',
    },
    {
      name: 'core version with resources listed',
      served: [{ group: '', version: 'v1', resources: [deployments] }],
      expectJSON:
        '{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":""}]}',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(JSON.stringify(apiVersions(tc.served))).to.equal(tc.expectJSON);
    });
  }
});

describe('apiGroupList', () => {
  it('lists named groups in order', () => {
    expect(JSON.stringify(apiGroupList(served))).to.equal(
      '{"kind":"APIGroupList","apiVersion":"v1","groups":[' +
        '{"name":"authentication.k8s.io","versions":[{"groupVersion":"authentication.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"authentication.k8s.io/v1","version":"v1"}},' +
        '{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"},{"groupVersion":"apps/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}' +
        ']}',
    );
  });
});

describe('apiGroupDocument', () => {
  const cases: { name: string; group: string; expectJSON: string | undefined }[] = [
    {
      name: 'served group',
      group: 'apps',
      expectJSON:
        '{"kind":"APIGroup","apiVersion":"v1","name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"},{"groupVersion":"apps/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}',
    },
    { name: 'unknown group', group: 'batch', expectJSON: undefined },
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
  const cases: { name: string; group: string; version: string; expectJSON: string | undefined }[] =
    [
      {
        name: 'named group version',
        group: 'authentication.k8s.io',
        version: 'v1',
        expectJSON:
          '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"authentication.k8s.io/v1","resources":[{"name":"selfsubjectreviews","singularName":"selfsubjectreview","namespaced":false,"kind":"SelfSubjectReview","verbs":["create"]}]}',
      },
      {
        name: 'short names kept',
        group: 'apps',
        version: 'v1beta1',
        expectJSON:
          '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1beta1","resources":[{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get","list"],"shortNames":["deploy"]}]}',
      },
      { name: 'empty core version missing', group: '', version: 'v1', expectJSON: undefined },
      { name: 'unknown version missing', group: 'apps', version: 'v2', expectJSON: undefined },
    ];
  for (const tc of cases) {
    it(tc.name, () => {
      const document = apiResourceList(served, tc.group, tc.version);
      expect(document === undefined ? undefined : JSON.stringify(document)).to.equal(tc.expectJSON);
    });
  }

  it('core group version has bare version', () => {
    const document = apiResourceList(
      [{ group: '', version: 'v1', resources: [deployments] }],
      '',
      'v1',
    ) as { groupVersion: string };
    expect(document.groupVersion).to.equal('v1');
  });
});
