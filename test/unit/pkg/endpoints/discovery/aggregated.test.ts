import { expect } from 'chai';
import {
  AGGREGATED_DISCOVERY_V2_CONTENT_TYPE,
  aggregatedDiscovery,
  aggregatedDiscoveryContentType,
  aggregatedDiscoveryHeaders,
} from '../../../../../pkg/endpoints/discovery/aggregated.js';
import { SELF_SUBJECT_REVIEWS } from '../../../../../pkg/endpoints/discovery/reviews.js';
import { servedResourcesFrom } from '../../../../../pkg/endpoints/discovery/served.js';
import { DEFINITIONS, deployments, namespaces, pods } from './testdata/definitions.js';

describe('aggregatedDiscovery', () => {
  it('builds /api from the core group', () => {
    const document = aggregatedDiscovery(
      servedResourcesFrom([pods, namespaces, deployments]),
      'api',
    );
    expect(JSON.stringify(document)).to.equal(
      '{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[' +
        '{"metadata":{"creationTimestamp":null},"versions":[{"version":"v1","resources":[' +
        '{"resource":"namespaces","responseKind":{"group":"","version":"","kind":"Namespace"},"scope":"Cluster","singularResource":"namespace",' +
        '"verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"],' +
        '"subresources":[{"subresource":"finalize","responseKind":{"group":"","version":"","kind":"Namespace"},"verbs":["update"]},' +
        '{"subresource":"status","responseKind":{"group":"","version":"","kind":"Namespace"},"verbs":["get","patch","update"]}]},' +
        '{"resource":"pods","responseKind":{"group":"","version":"","kind":"Pod"},"scope":"Namespaced","singularResource":"pod",' +
        '"verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["po"],"categories":["all"],' +
        '"subresources":[{"subresource":"eviction","responseKind":{"group":"policy","version":"v1","kind":"Eviction"},"verbs":["create"]},' +
        '{"subresource":"exec","responseKind":{"group":"","version":"","kind":"PodExecOptions"},"verbs":["create","get"]},' +
        '{"subresource":"log","responseKind":{"group":"","version":"","kind":"Pod"},"verbs":["get"]},' +
        '{"subresource":"status","responseKind":{"group":"","version":"","kind":"Pod"},"verbs":["get","patch","update"]}]}' +
        '],"freshness":"Current"}]}]}',
    );
  });

  it('builds /apis from named groups by priority', () => {
    const served = servedResourcesFrom(
      [...DEFINITIONS, { ...deployments, version: 'v1beta2' }],
      [SELF_SUBJECT_REVIEWS],
    );
    const document = aggregatedDiscovery(served, 'apis');
    expect(document.items.map((item) => item.metadata.name)).to.deep.equal([
      'apps',
      'authentication.k8s.io',
      'batch',
    ]);
    expect(document.items[0]?.versions.map((version) => version.version)).to.deep.equal([
      'v1',
      'v1beta2',
    ]);
    expect(document.items[1]?.versions[0]?.resources).to.deep.equal([
      {
        resource: 'selfsubjectreviews',
        responseKind: { group: '', version: '', kind: 'SelfSubjectReview' },
        scope: 'Cluster',
        singularResource: 'selfsubjectreview',
        verbs: ['create'],
      },
    ]);
  });

  it('names another group version in a subresource kind', () => {
    const document = aggregatedDiscovery(servedResourcesFrom([deployments]), 'apis');
    const resource = document.items[0]?.versions[0]?.resources[0];
    expect(resource?.subresources).to.deep.equal([
      {
        subresource: 'scale',
        responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
        verbs: ['get', 'patch', 'update'],
      },
      {
        subresource: 'status',
        responseKind: { group: '', version: '', kind: 'Deployment' },
        verbs: ['get', 'patch', 'update'],
      },
    ]);
  });

  it('gives every version freshness Current', () => {
    const document = aggregatedDiscovery(servedResourcesFrom(DEFINITIONS), 'apis');
    const freshness = document.items.flatMap((item) => item.versions.map((v) => v.freshness));
    expect(freshness).to.deep.equal(['Current', 'Current']);
  });

  it('labels v2beta1 documents', () => {
    const document = aggregatedDiscovery(servedResourcesFrom([pods]), 'api', 'v2beta1');
    expect(document.apiVersion).to.equal('apidiscovery.k8s.io/v2beta1');
  });

  it('lists no items when nothing is served', () => {
    expect(JSON.stringify(aggregatedDiscovery([], 'apis'))).to.equal(
      '{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[]}',
    );
  });
});

describe('aggregatedDiscoveryContentType', () => {
  const cases = [
    {
      name: 'v2',
      version: 'v2' as const,
      expectType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    },
    {
      name: 'v2beta1',
      version: 'v2beta1' as const,
      expectType: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(aggregatedDiscoveryContentType(tc.version)).to.equal(tc.expectType);
    });
  }
});

describe('aggregatedDiscoveryHeaders', () => {
  it('sends the content type, a quoted ETag and cache headers', () => {
    const headers = aggregatedDiscoveryHeaders('{}', 'v2');
    expect(headers['Content-Type']).to.equal(AGGREGATED_DISCOVERY_V2_CONTENT_TYPE);
    expect(headers.ETag).to.match(/^"[0-9A-F]{128}"$/);
    expect(headers.Vary).to.equal('Accept');
    expect(headers['Cache-Control']).to.equal('public');
  });

  it('changes the ETag with the body', () => {
    const first = aggregatedDiscoveryHeaders('{"items":[]}', 'v2').ETag;
    const second = aggregatedDiscoveryHeaders('{"items":[{}]}', 'v2').ETag;
    expect(first).to.not.equal(second);
  });
});
