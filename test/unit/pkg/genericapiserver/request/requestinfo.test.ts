import { expect } from 'chai';
import {
  decodeURLPath,
  InvalidPathEscapeError,
  RequestInfoError,
  resolveRequestInfo,
  type RequestInfo,
} from '../../../../../pkg/genericapiserver/request/requestinfo.js';

/** Builds a non-resource RequestInfo with every API field empty. */
function nonResource(path: string, verb: string): RequestInfo {
  return {
    isResourceRequest: false,
    path,
    verb,
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
}

/** Builds a resource RequestInfo in the core group, with every field left out empty. */
function resource(
  path: string,
  fields: Partial<RequestInfo> & Pick<RequestInfo, 'verb' | 'resource' | 'parts'>,
): RequestInfo {
  return {
    isResourceRequest: true,
    path,
    apiPrefix: 'api',
    apiGroup: '',
    apiVersion: 'v1',
    namespace: '',
    subresource: '',
    name: '',
    ...fields,
  };
}

describe('resolveRequestInfo', () => {
  const cases: { name: string; method: string; url: string; expect: RequestInfo }[] = [
    { name: 'legacy prefix alone', method: 'GET', url: '/api', expect: nonResource('/api', 'get') },
    {
      name: 'legacy version discovery',
      method: 'GET',
      url: '/api/v1',
      expect: nonResource('/api/v1', 'get'),
    },
    {
      name: 'group prefix alone',
      method: 'GET',
      url: '/apis',
      expect: nonResource('/apis', 'get'),
    },
    {
      name: 'group discovery',
      method: 'GET',
      url: '/apis/apps',
      expect: nonResource('/apis/apps', 'get'),
    },
    {
      name: 'group version discovery',
      method: 'GET',
      url: '/apis/apps/v1',
      expect: nonResource('/apis/apps/v1', 'get'),
    },
    { name: 'healthz GET', method: 'GET', url: '/healthz', expect: nonResource('/healthz', 'get') },
    {
      name: 'healthz HEAD keeps head',
      method: 'HEAD',
      url: '/healthz',
      expect: nonResource('/healthz', 'head'),
    },
    {
      name: 'non-resource POST',
      method: 'POST',
      url: '/version',
      expect: nonResource('/version', 'post'),
    },
    {
      name: 'unknown prefix',
      method: 'GET',
      url: '/foo/v1/pods',
      expect: nonResource('/foo/v1/pods', 'get'),
    },
    {
      name: 'namespace list',
      method: 'GET',
      url: '/api/v1/namespaces',
      expect: resource('/api/v1/namespaces', {
        verb: 'list',
        resource: 'namespaces',
        parts: ['namespaces'],
      }),
    },
    {
      name: 'namespace get',
      method: 'GET',
      url: '/api/v1/namespaces/foo',
      expect: resource('/api/v1/namespaces/foo', {
        verb: 'get',
        namespace: 'foo',
        resource: 'namespaces',
        name: 'foo',
        parts: ['namespaces', 'foo'],
      }),
    },
    {
      name: 'namespace status subresource',
      method: 'PUT',
      url: '/api/v1/namespaces/foo/status',
      expect: resource('/api/v1/namespaces/foo/status', {
        verb: 'update',
        namespace: 'foo',
        resource: 'namespaces',
        name: 'foo',
        subresource: 'status',
        parts: ['namespaces', 'foo', 'status'],
      }),
    },
    {
      name: 'namespace finalize subresource',
      method: 'PUT',
      url: '/api/v1/namespaces/foo/finalize',
      expect: resource('/api/v1/namespaces/foo/finalize', {
        verb: 'update',
        namespace: 'foo',
        resource: 'namespaces',
        name: 'foo',
        subresource: 'finalize',
        parts: ['namespaces', 'foo', 'finalize'],
      }),
    },
    {
      name: 'namespaced list',
      method: 'GET',
      url: '/api/v1/namespaces/foo/pods',
      expect: resource('/api/v1/namespaces/foo/pods', {
        verb: 'list',
        namespace: 'foo',
        resource: 'pods',
        parts: ['pods'],
      }),
    },
    {
      name: 'namespaced get',
      method: 'GET',
      url: '/api/v1/namespaces/foo/pods/bar',
      expect: resource('/api/v1/namespaces/foo/pods/bar', {
        verb: 'get',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        parts: ['pods', 'bar'],
      }),
    },
    {
      name: 'namespaced subresource',
      method: 'GET',
      url: '/api/v1/namespaces/foo/pods/bar/log',
      expect: resource('/api/v1/namespaces/foo/pods/bar/log', {
        verb: 'get',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        subresource: 'log',
        parts: ['pods', 'bar', 'log'],
      }),
    },
    {
      name: 'extra parts kept uninterpreted',
      method: 'POST',
      url: '/api/v1/namespaces/foo/pods/bar/exec/extra',
      expect: resource('/api/v1/namespaces/foo/pods/bar/exec/extra', {
        verb: 'create',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        subresource: 'exec',
        parts: ['pods', 'bar', 'exec', 'extra'],
      }),
    },
    {
      name: 'trailing slash ignored',
      method: 'GET',
      url: '/api/v1/pods/',
      expect: resource('/api/v1/pods/', { verb: 'list', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'named group patch',
      method: 'PATCH',
      url: '/apis/apps/v1/namespaces/foo/deployments/web',
      expect: resource('/apis/apps/v1/namespaces/foo/deployments/web', {
        verb: 'patch',
        apiPrefix: 'apis',
        apiGroup: 'apps',
        namespace: 'foo',
        resource: 'deployments',
        name: 'web',
        parts: ['deployments', 'web'],
      }),
    },
    {
      name: 'named group cluster-wide list',
      method: 'GET',
      url: '/apis/apps/v1/deployments',
      expect: resource('/apis/apps/v1/deployments', {
        verb: 'list',
        apiPrefix: 'apis',
        apiGroup: 'apps',
        resource: 'deployments',
        parts: ['deployments'],
      }),
    },
    {
      name: 'named group create',
      method: 'POST',
      url: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      expect: resource('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        verb: 'create',
        apiPrefix: 'apis',
        apiGroup: 'authentication.k8s.io',
        resource: 'selfsubjectreviews',
        parts: ['selfsubjectreviews'],
      }),
    },
    {
      name: 'watch query true',
      method: 'GET',
      url: '/api/v1/pods?watch=true',
      expect: resource('/api/v1/pods', { verb: 'watch', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'watch query 1',
      method: 'GET',
      url: '/api/v1/pods?watch=1',
      expect: resource('/api/v1/pods', { verb: 'watch', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'watch query false',
      method: 'GET',
      url: '/api/v1/pods?watch=false',
      expect: resource('/api/v1/pods', { verb: 'list', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'watch query 0',
      method: 'GET',
      url: '/api/v1/pods?watch=0',
      expect: resource('/api/v1/pods', { verb: 'list', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'watch query on named get',
      method: 'GET',
      url: '/api/v1/namespaces/foo/pods/bar?watch=true',
      expect: resource('/api/v1/namespaces/foo/pods/bar', {
        verb: 'get',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        parts: ['pods', 'bar'],
      }),
    },
    {
      name: 'watch path prefix',
      method: 'GET',
      url: '/api/v1/watch/pods',
      expect: resource('/api/v1/watch/pods', { verb: 'watch', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'watch path prefix namespaced name',
      method: 'GET',
      url: '/api/v1/watch/namespaces/foo/pods/bar',
      expect: resource('/api/v1/watch/namespaces/foo/pods/bar', {
        verb: 'watch',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        parts: ['pods', 'bar'],
      }),
    },
    {
      name: 'proxy path prefix has no subresource',
      method: 'GET',
      url: '/api/v1/proxy/namespaces/foo/pods/bar/some/path',
      expect: resource('/api/v1/proxy/namespaces/foo/pods/bar/some/path', {
        verb: 'proxy',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        parts: ['pods', 'bar', 'some', 'path'],
      }),
    },
    {
      name: 'DELETE collection',
      method: 'DELETE',
      url: '/api/v1/namespaces/foo/pods',
      expect: resource('/api/v1/namespaces/foo/pods', {
        verb: 'deletecollection',
        namespace: 'foo',
        resource: 'pods',
        parts: ['pods'],
      }),
    },
    {
      name: 'DELETE named',
      method: 'DELETE',
      url: '/api/v1/namespaces/foo/pods/bar',
      expect: resource('/api/v1/namespaces/foo/pods/bar', {
        verb: 'delete',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        parts: ['pods', 'bar'],
      }),
    },
    {
      name: 'unknown method has empty verb',
      method: 'OPTIONS',
      url: '/api/v1/pods',
      expect: resource('/api/v1/pods', { verb: '', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'fieldSelector name on list',
      method: 'GET',
      url: '/api/v1/namespaces/foo/pods?fieldSelector=metadata.name%3Dbar',
      expect: resource('/api/v1/namespaces/foo/pods', {
        verb: 'list',
        namespace: 'foo',
        resource: 'pods',
        name: 'bar',
        parts: ['pods'],
      }),
    },
    {
      name: 'fieldSelector double equals on watch',
      method: 'GET',
      url: '/api/v1/pods?watch=1&fieldSelector=metadata.name%3D%3Dbar',
      expect: resource('/api/v1/pods', {
        verb: 'watch',
        resource: 'pods',
        name: 'bar',
        parts: ['pods'],
      }),
    },
    {
      name: 'fieldSelector name among requirements',
      method: 'GET',
      url: '/api/v1/pods?fieldSelector=status.phase%3DRunning,metadata.name%3Dbar',
      expect: resource('/api/v1/pods', {
        verb: 'list',
        resource: 'pods',
        name: 'bar',
        parts: ['pods'],
      }),
    },
    {
      name: 'fieldSelector inequality gives no name',
      method: 'GET',
      url: '/api/v1/pods?fieldSelector=metadata.name!%3Dbar',
      expect: resource('/api/v1/pods', { verb: 'list', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'fieldSelector other field gives no name',
      method: 'GET',
      url: '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode1',
      expect: resource('/api/v1/pods', { verb: 'list', resource: 'pods', parts: ['pods'] }),
    },
    {
      name: 'fieldSelector ignored on delete collection',
      method: 'DELETE',
      url: '/api/v1/pods?fieldSelector=metadata.name%3Dbar',
      expect: resource('/api/v1/pods', {
        verb: 'deletecollection',
        resource: 'pods',
        parts: ['pods'],
      }),
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const [path = '', query = ''] = tc.url.split('?', 2);
      const info = resolveRequestInfo(path, new URLSearchParams(query), tc.method);
      expect(Object.keys(info), 'fields').to.have.members(Object.keys(tc.expect));
      for (const [field, expected] of Object.entries(tc.expect)) {
        expect(info[field as keyof RequestInfo], field).to.deep.equal(expected);
      }
    });
  }
});

describe('resolveRequestInfo query parsing', () => {
  const watchCases = [
    { name: 'watch=yes is a watch', query: 'watch=yes', expectVerb: 'watch' },
    { name: 'bare watch is a watch', query: 'watch', expectVerb: 'watch' },
    { name: 'watch=FALSE is a list', query: 'watch=FALSE', expectVerb: 'list' },
    { name: 'watch=0 is a list', query: 'watch=0', expectVerb: 'list' },
  ];
  for (const tc of watchCases) {
    it(tc.name, () => {
      const info = resolveRequestInfo('/api/v1/pods', new URLSearchParams(tc.query), 'GET');
      expect(info.verb).to.equal(tc.expectVerb);
    });
  }

  it('field selector name with slash ignored', () => {
    const query = new URLSearchParams('fieldSelector=metadata.name%3Da/b');
    expect(resolveRequestInfo('/api/v1/pods', query, 'GET').name).to.equal('');
  });

  it('watch prefix without resource throws', () => {
    expect(() => resolveRequestInfo('/api/v1/watch', new URLSearchParams(), 'GET')).to.throw(
      RequestInfoError,
      'unable to determine kind and namespace from url, /api/v1/watch',
    );
  });
});

describe('resolveRequestInfo percent decoding', () => {
  const cases: {
    name: string;
    method: string;
    rawPath: string;
    expect: Partial<RequestInfo>;
  }[] = [
    {
      name: 'escaped colon in cluster role name',
      method: 'GET',
      rawPath: '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Adiscovery',
      expect: {
        path: '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:discovery',
        verb: 'get',
        apiGroup: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
        name: 'system:discovery',
        parts: ['clusterroles', 'system:discovery'],
      },
    },
    {
      name: 'escaped letter in namespace',
      method: 'GET',
      rawPath: '/api/v1/namespaces/%64emo/pods',
      expect: { verb: 'list', namespace: 'demo', resource: 'pods', name: '' },
    },
    {
      name: 'escaped resource and subresource',
      method: 'PUT',
      rawPath: '/api/v1/namespaces/demo/%70ods/web/%73tatus',
      expect: { verb: 'update', resource: 'pods', name: 'web', subresource: 'status' },
    },
    {
      name: 'escaped slash splits segments',
      method: 'GET',
      rawPath: '/api/v1/namespaces/demo%2Fpods',
      expect: { verb: 'list', namespace: 'demo', resource: 'pods' },
    },
    {
      name: 'escaped special verb',
      method: 'GET',
      rawPath: '/api/v1/%77atch/namespaces/demo/pods',
      expect: { verb: 'watch', namespace: 'demo', resource: 'pods' },
    },
    {
      name: 'multi-byte UTF-8 name',
      method: 'GET',
      rawPath: '/api/v1/namespaces/demo/configmaps/caf%C3%A9',
      expect: { resource: 'configmaps', name: 'café' },
    },
    {
      name: 'plus sign kept',
      method: 'GET',
      rawPath: '/api/v1/namespaces/demo/configmaps/a+b',
      expect: { name: 'a+b' },
    },
    {
      name: 'escaped non-resource path',
      method: 'GET',
      rawPath: '/heal%74hz',
      expect: { isResourceRequest: false, path: '/healthz', verb: 'get' },
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const info = resolveRequestInfo(tc.rawPath, new URLSearchParams(), tc.method);
      for (const [field, expected] of Object.entries(tc.expect)) {
        expect(info[field as keyof RequestInfo], field).to.deep.equal(expected);
      }
    });
  }
});

describe('decodeURLPath', () => {
  const invalid = [
    { name: 'non-hex digits', rawPath: '/api/v1/namespaces/%ZZ/pods' },
    { name: 'one hex digit', rawPath: '/api/v1/namespaces/a%4/pods' },
    { name: 'percent at end', rawPath: '/api/v1/namespaces/demo%' },
  ];
  for (const tc of invalid) {
    it(`${tc.name} throws`, () => {
      expect(() => decodeURLPath(tc.rawPath)).to.throw(InvalidPathEscapeError);
    });
  }

  it('invalid UTF-8 becomes replacement character', () => {
    expect(decodeURLPath('/a%FFb')).to.equal('/a\uFFFDb');
  });

  it('escaped percent decoded once', () => {
    expect(decodeURLPath('/a%2541')).to.equal('/a%41');
  });
});
