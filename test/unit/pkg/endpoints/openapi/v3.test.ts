import { expect } from 'chai';
import {
  SELF_SUBJECT_REVIEWS,
  LOCAL_SUBJECT_ACCESS_REVIEWS,
} from '../../../../../pkg/endpoints/discovery/reviews.js';
import { servedResourcesFrom } from '../../../../../pkg/endpoints/discovery/served.js';
import {
  openAPIV3GroupVersion,
  openAPIV3GroupVersionKey,
  openAPIV3Hash,
  openAPIV3Root,
  type OpenAPIV3Document,
  type OpenAPIV3Operation,
} from '../../../../../pkg/endpoints/openapi/v3.js';
import { DEFINITIONS } from '../discovery/testdata/definitions.js';

const served = servedResourcesFrom(DEFINITIONS, [
  SELF_SUBJECT_REVIEWS,
  LOCAL_SUBJECT_ACCESS_REVIEWS,
]);
const METHODS = ['delete', 'get', 'patch', 'post', 'put'] as const;

function documentFor(group: string, version: string): OpenAPIV3Document {
  const document = openAPIV3GroupVersion(served, group, version);
  if (document === undefined) throw new Error(`test setup: ${group}/${version} has no document`);
  return document;
}

function operationAt(
  document: OpenAPIV3Document,
  path: string,
  method: (typeof METHODS)[number],
): OpenAPIV3Operation {
  const operation = document.paths[path]?.[method];
  if (operation === undefined) throw new Error(`test setup: no ${method} on ${path}`);
  return operation;
}

function allOperations(document: OpenAPIV3Document): [string, string, OpenAPIV3Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation === undefined
        ? []
        : [[path, method, operation] as [string, string, OpenAPIV3Operation]];
    }),
  );
}

function parameterNames(operation: OpenAPIV3Operation): string[] {
  return (operation.parameters ?? []).map((parameter) => parameter.name);
}

const GROUP_VERSIONS = [
  { group: '', version: 'v1' },
  { group: 'apps', version: 'v1' },
  { group: 'authentication.k8s.io', version: 'v1' },
  { group: 'authorization.k8s.io', version: 'v1' },
  { group: 'batch', version: 'v1' },
];

describe('openAPIV3Root', () => {
  const root = openAPIV3Root(served);

  it('keys group versions without a leading slash', () => {
    expect(Object.keys(root.paths)).to.deep.equal([
      'api/v1',
      'apis/apps/v1',
      'apis/authentication.k8s.io/v1',
      'apis/authorization.k8s.io/v1',
      'apis/batch/v1',
    ]);
  });

  for (const gv of GROUP_VERSIONS) {
    const key = openAPIV3GroupVersionKey(gv.group, gv.version);
    it(`links ${key} with its content hash`, () => {
      const hash = openAPIV3Hash(documentFor(gv.group, gv.version));
      expect(hash).to.match(/^[0-9A-F]{128}$/);
      expect(root.paths[key]?.serverRelativeURL).to.equal(`/openapi/v3/${key}?hash=${hash}`);
    });
  }

  it('changes the hash when the document changes', () => {
    const before = root.paths['apis/apps/v1']?.serverRelativeURL;
    const after = openAPIV3Root(served, { info: { title: 'Kubernetes', version: 'v0.0.0' } });
    expect(after.paths['apis/apps/v1']?.serverRelativeURL).to.not.equal(before);
  });

  it('lists nothing when nothing is served', () => {
    expect(openAPIV3Root([])).to.deep.equal({ paths: {} });
  });
});

describe('openAPIV3GroupVersion', () => {
  const core = documentFor('', 'v1');

  it('is an OpenAPI 3.0 document', () => {
    expect(core.openapi).to.equal('3.0.0');
    expect(core.info).to.deep.equal({ title: 'Kubernetes', version: 'v1.32.4' });
    expect(core.components).to.equal(undefined);
  });

  it('proves field validation for Pod', () => {
    const patch = operationAt(core, '/api/v1/namespaces/{namespace}/pods/{name}', 'patch');
    expect(patch['x-kubernetes-group-version-kind']).to.deep.equal({
      group: '',
      version: 'v1',
      kind: 'Pod',
    });
    expect(patch['x-kubernetes-action']).to.equal('patch');
    expect(patch.parameters).to.deep.include({
      description:
        'How to treat unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict.',
      in: 'query',
      name: 'fieldValidation',
      schema: { type: 'string' },
    });
    expect(patch).to.not.have.property('requestBody');
  });

  // kubectl stops at the first PATCH operation with the object's kind that it finds. Subresources
  // such as status share the kind, so each of them needs fieldValidation too.
  for (const gv of GROUP_VERSIONS) {
    const key = openAPIV3GroupVersionKey(gv.group, gv.version);
    it(`gives every patch action fieldValidation in ${key}`, () => {
      const patches = allOperations(documentFor(gv.group, gv.version)).filter(
        ([, method, operation]) =>
          method === 'patch' && operation['x-kubernetes-action'] === 'patch',
      );
      for (const [path, , operation] of patches) {
        expect(parameterNames(operation), path).to.include('fieldValidation');
      }
    });
  }

  it('puts no request body on any operation', () => {
    for (const gv of GROUP_VERSIONS) {
      for (const [path, method, operation] of allOperations(documentFor(gv.group, gv.version))) {
        expect(operation, `${method} ${path}`).to.not.have.property('requestBody');
      }
    }
  });

  it('keeps connect patches apart from object kinds', () => {
    const proxy = operationAt(core, '/api/v1/nodes/{name}/proxy', 'patch');
    expect(proxy['x-kubernetes-action']).to.equal('connect');
    expect(proxy.operationId).to.equal('connectCoreV1PatchNodeProxy');
    expect(proxy['x-kubernetes-group-version-kind'].kind).to.equal('NodeProxyOptions');
  });

  it('marks every operation with an action and a kind', () => {
    for (const gv of GROUP_VERSIONS) {
      for (const [path, method, operation] of allOperations(documentFor(gv.group, gv.version))) {
        expect(operation['x-kubernetes-action'], `${method} ${path}`).to.be.a('string');
        expect(operation['x-kubernetes-group-version-kind'].kind, `${method} ${path}`).to.not.equal(
          '',
        );
      }
    }
  });

  it('gives every operation a unique ID', () => {
    const ids = GROUP_VERSIONS.flatMap((gv) =>
      allOperations(documentFor(gv.group, gv.version)).map(
        ([, , operation]) => operation.operationId,
      ),
    );
    expect(new Set(ids).size).to.equal(ids.length);
  });

  const operationCases = [
    {
      name: 'pod list',
      path: '/api/v1/namespaces/{namespace}/pods',
      method: 'get' as const,
      expectId: 'listCoreV1NamespacedPod',
      expectAction: 'list',
      expectParameters: [
        'allowWatchBookmarks',
        'continue',
        'fieldSelector',
        'labelSelector',
        'limit',
        'resourceVersion',
        'resourceVersionMatch',
        'sendInitialEvents',
        'timeoutSeconds',
        'watch',
      ],
    },
    {
      name: 'pod create',
      path: '/api/v1/namespaces/{namespace}/pods',
      method: 'post' as const,
      expectId: 'createCoreV1NamespacedPod',
      expectAction: 'post',
      expectParameters: ['dryRun', 'fieldManager', 'fieldValidation'],
    },
    {
      name: 'pod delete collection',
      path: '/api/v1/namespaces/{namespace}/pods',
      method: 'delete' as const,
      expectId: 'deleteCoreV1CollectionNamespacedPod',
      expectAction: 'deletecollection',
      expectParameters: [
        'continue',
        'dryRun',
        'fieldSelector',
        'gracePeriodSeconds',
        'ignoreStoreReadErrorWithClusterBreakingPotential',
        'labelSelector',
        'limit',
        'orphanDependents',
        'propagationPolicy',
        'resourceVersion',
        'resourceVersionMatch',
        'sendInitialEvents',
        'timeoutSeconds',
      ],
    },
    {
      name: 'pod read',
      path: '/api/v1/namespaces/{namespace}/pods/{name}',
      method: 'get' as const,
      expectId: 'readCoreV1NamespacedPod',
      expectAction: 'get',
      expectParameters: [],
    },
    {
      name: 'pod replace',
      path: '/api/v1/namespaces/{namespace}/pods/{name}',
      method: 'put' as const,
      expectId: 'replaceCoreV1NamespacedPod',
      expectAction: 'put',
      expectParameters: ['dryRun', 'fieldManager', 'fieldValidation'],
    },
    {
      name: 'pod patch',
      path: '/api/v1/namespaces/{namespace}/pods/{name}',
      method: 'patch' as const,
      expectId: 'patchCoreV1NamespacedPod',
      expectAction: 'patch',
      expectParameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
    },
    {
      name: 'pod delete',
      path: '/api/v1/namespaces/{namespace}/pods/{name}',
      method: 'delete' as const,
      expectId: 'deleteCoreV1NamespacedPod',
      expectAction: 'delete',
      expectParameters: [
        'dryRun',
        'gracePeriodSeconds',
        'ignoreStoreReadErrorWithClusterBreakingPotential',
        'orphanDependents',
        'propagationPolicy',
      ],
    },
    {
      name: 'pods across namespaces',
      path: '/api/v1/pods',
      method: 'get' as const,
      expectId: 'listCoreV1PodForAllNamespaces',
      expectAction: 'list',
      expectParameters: undefined,
    },
    {
      name: 'pod watch list',
      path: '/api/v1/watch/namespaces/{namespace}/pods',
      method: 'get' as const,
      expectId: 'watchCoreV1NamespacedPodList',
      expectAction: 'watchlist',
      expectParameters: undefined,
    },
    {
      name: 'pod watch',
      path: '/api/v1/watch/namespaces/{namespace}/pods/{name}',
      method: 'get' as const,
      expectId: 'watchCoreV1NamespacedPod',
      expectAction: 'watch',
      expectParameters: undefined,
    },
    {
      name: 'pod watch across namespaces',
      path: '/api/v1/watch/pods',
      method: 'get' as const,
      expectId: 'watchCoreV1PodListForAllNamespaces',
      expectAction: 'watchlist',
      expectParameters: undefined,
    },
    {
      name: 'pod status patch',
      path: '/api/v1/namespaces/{namespace}/pods/{name}/status',
      method: 'patch' as const,
      expectId: 'patchCoreV1NamespacedPodStatus',
      expectAction: 'patch',
      expectParameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
    },
    {
      name: 'pod exec',
      path: '/api/v1/namespaces/{namespace}/pods/{name}/exec',
      method: 'post' as const,
      expectId: 'connectCoreV1PostNamespacedPodExec',
      expectAction: 'connect',
      expectParameters: [],
    },
    {
      name: 'namespace read',
      path: '/api/v1/namespaces/{name}',
      method: 'get' as const,
      expectId: 'readCoreV1Namespace',
      expectAction: 'get',
      expectParameters: [],
    },
    {
      name: 'service account token',
      path: '/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token',
      method: 'post' as const,
      expectId: 'createCoreV1NamespacedServiceAccountToken',
      expectAction: 'post',
      expectParameters: ['dryRun', 'fieldManager', 'fieldValidation'],
    },
  ];
  for (const tc of operationCases) {
    it(`operation: ${tc.name}`, () => {
      const operation = operationAt(core, tc.path, tc.method);
      expect(operation.operationId).to.equal(tc.expectId);
      expect(operation['x-kubernetes-action']).to.equal(tc.expectAction);
      expect(operation.tags).to.deep.equal(['core_v1']);
      if (tc.expectParameters !== undefined) {
        expect(parameterNames(operation)).to.deep.equal(tc.expectParameters);
      }
    });
  }

  const pathParameterCases = [
    { path: '/api/v1/namespaces/{namespace}/pods', expectNames: ['namespace', 'pretty'] },
    {
      path: '/api/v1/namespaces/{namespace}/pods/{name}',
      expectNames: ['name', 'namespace', 'pretty'],
    },
    { path: '/api/v1/namespaces/{name}', expectNames: ['name', 'pretty'] },
    { path: '/api/v1/namespaces/{namespace}/pods/{name}/exec', expectNames: ['name', 'namespace'] },
  ];
  for (const tc of pathParameterCases) {
    it(`path parameters of ${tc.path}`, () => {
      const parameters = core.paths[tc.path]?.parameters ?? [];
      expect(parameters.map((parameter) => parameter.name)).to.deep.equal(tc.expectNames);
      for (const parameter of parameters.filter((candidate) => candidate.in === 'path')) {
        expect(parameter.required).to.equal(true);
      }
    });
  }

  it('gives namespaces no collection delete', () => {
    expect(Object.keys(core.paths['/api/v1/namespaces'] ?? {})).to.deep.equal([
      'get',
      'parameters',
      'post',
    ]);
  });

  it('gives the collection list, create and delete', () => {
    expect(Object.keys(core.paths['/api/v1/namespaces/{namespace}/pods'] ?? {})).to.deep.equal([
      'delete',
      'get',
      'parameters',
      'post',
    ]);
  });

  it('gives the object read, replace, patch and delete', () => {
    expect(
      Object.keys(core.paths['/api/v1/namespaces/{namespace}/pods/{name}'] ?? {}),
    ).to.deep.equal(['delete', 'get', 'parameters', 'patch', 'put']);
  });

  it('documents response codes by action', () => {
    const collection = core.paths['/api/v1/namespaces/{namespace}/pods'];
    expect(Object.keys(collection?.post?.responses ?? {})).to.deep.equal([
      '200',
      '201',
      '202',
      '401',
    ]);
    expect(collection?.get?.responses['200']).to.deep.equal({ description: 'OK' });
    expect(collection?.get?.responses['401']).to.deep.equal({ description: 'Unauthorized' });
  });

  it('names the subresource kind on scale', () => {
    const apps = documentFor('apps', 'v1');
    const patch = operationAt(
      apps,
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale',
      'patch',
    );
    expect(patch.operationId).to.equal('patchAppsV1NamespacedDeploymentScale');
    expect(patch.tags).to.deep.equal(['apps_v1']);
    expect(patch['x-kubernetes-group-version-kind']).to.deep.equal({
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
  });

  it('serves review resources as create only', () => {
    const authentication = documentFor('authentication.k8s.io', 'v1');
    expect(Object.keys(authentication.paths)).to.deep.equal([
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    ]);
    const post = operationAt(
      authentication,
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      'post',
    );
    expect(post.operationId).to.equal('createAuthenticationV1SelfSubjectReview');
    expect(post['x-kubernetes-group-version-kind']).to.deep.equal({
      group: 'authentication.k8s.io',
      kind: 'SelfSubjectReview',
      version: 'v1',
    });
  });

  it('puts namespaced reviews under a namespace', () => {
    const authorization = documentFor('authorization.k8s.io', 'v1');
    expect(Object.keys(authorization.paths)).to.deep.equal([
      '/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews',
    ]);
  });

  it('passes security schemes through', () => {
    const bearer = {
      type: 'apiKey',
      name: 'authorization',
      in: 'header',
      description: 'Bearer token',
    };
    const document = openAPIV3GroupVersion(served, 'apps', 'v1', {
      securitySchemes: { BearerToken: bearer },
    });
    expect(document?.components).to.deep.equal({ securitySchemes: { BearerToken: bearer } });
  });

  it('returns undefined for a group version not served', () => {
    expect(openAPIV3GroupVersion(served, 'apps', 'v2')).to.equal(undefined);
  });
});
