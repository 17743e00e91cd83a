import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type {
  Attributes,
  AuthorizationResult,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import { createSelfSubjectAccessReview } from '../../../../../../pkg/endpoints/handlers/authorization/selfsubjectaccessreview.js';
import { silentLogger } from '../../../../helpers/koa_context.js';
import { GROUP_VERSION, postReview, RecordingAuthorizer, REQUEST_USER } from './review_server.js';

const PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

// Tests run from dist/, so the fixtures are found from the source tree's root.
const TESTDATA = new URL('../../../../../../../test/testdata/protobuf/', import.meta.url);

function review(spec: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: GROUP_VERSION,
    kind: 'SelfSubjectAccessReview',
    spec,
    ...extra,
  });
}

const ALLOW: AuthorizationResult = { decision: 'allow', reason: '' };

/** Builds the attributes of a resource request by REQUEST_USER, with `fields` overriding. */
function resourceAttributes(fields: Partial<Attributes>): Attributes {
  return {
    user: REQUEST_USER,
    verb: '',
    isResourceRequest: true,
    path: '',
    namespace: '',
    apiGroup: '',
    apiVersion: '*',
    resource: '',
    subresource: '',
    name: '',
    ...fields,
  };
}

describe('createSelfSubjectAccessReview', () => {
  const cases: {
    name: string;
    spec: unknown;
    result: AuthorizationResult | Error;
    expectSpec: Record<string, unknown>;
    expectStatus: Record<string, unknown>;
    expectAttributes: Attributes;
  }[] = [
    {
      name: 'resource request allowed',
      spec: { resourceAttributes: { namespace: 'demo', verb: 'list', resource: 'pods' } },
      result: ALLOW,
      expectSpec: { resourceAttributes: { namespace: 'demo', verb: 'list', resource: 'pods' } },
      expectStatus: { allowed: true },
      expectAttributes: resourceAttributes({ namespace: 'demo', verb: 'list', resource: 'pods' }),
    },
    {
      name: 'resource request denied',
      spec: { resourceAttributes: { verb: 'delete', resource: 'nodes', name: 'n1' } },
      result: { decision: 'deny', reason: 'nodes are off limits' },
      expectSpec: { resourceAttributes: { verb: 'delete', resource: 'nodes', name: 'n1' } },
      expectStatus: { allowed: false, denied: true, reason: 'nodes are off limits' },
      expectAttributes: resourceAttributes({ verb: 'delete', resource: 'nodes', name: 'n1' }),
    },
    {
      name: 'no opinion is not allowed',
      spec: { resourceAttributes: { verb: 'get', resource: 'secrets' } },
      result: { decision: 'noOpinion', reason: 'Everything is forbidden.' },
      expectSpec: { resourceAttributes: { verb: 'get', resource: 'secrets' } },
      expectStatus: { allowed: false, reason: 'Everything is forbidden.' },
      expectAttributes: resourceAttributes({ verb: 'get', resource: 'secrets' }),
    },
    {
      name: 'authorizer error in evaluationError',
      spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
      result: new Error('webhook unreachable'),
      expectSpec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
      expectStatus: { allowed: false, evaluationError: 'webhook unreachable' },
      expectAttributes: resourceAttributes({ verb: 'get', resource: 'pods' }),
    },
    {
      name: 'every attribute passed on',
      spec: {
        resourceAttributes: {
          name: 'web',
          subresource: 'scale',
          resource: 'deployments',
          version: 'v1',
          group: 'apps',
          verb: 'update',
          namespace: 'demo',
        },
      },
      result: ALLOW,
      expectSpec: {
        resourceAttributes: {
          namespace: 'demo',
          verb: 'update',
          group: 'apps',
          version: 'v1',
          resource: 'deployments',
          subresource: 'scale',
          name: 'web',
        },
      },
      expectStatus: { allowed: true },
      expectAttributes: resourceAttributes({
        namespace: 'demo',
        verb: 'update',
        apiGroup: 'apps',
        apiVersion: 'v1',
        resource: 'deployments',
        subresource: 'scale',
        name: 'web',
      }),
    },
    {
      name: 'empty fields left out',
      spec: { resourceAttributes: { namespace: '', verb: 'get', group: '', resource: 'pods' } },
      result: ALLOW,
      expectSpec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
      expectStatus: { allowed: true },
      expectAttributes: resourceAttributes({ verb: 'get', resource: 'pods' }),
    },
    {
      name: 'non-resource request',
      spec: { nonResourceAttributes: { verb: 'get', path: '/healthz' } },
      result: ALLOW,
      expectSpec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } },
      expectStatus: { allowed: true },
      expectAttributes: {
        ...resourceAttributes({ verb: 'get', path: '/healthz', isResourceRequest: false }),
        apiVersion: '',
      },
    },
    {
      name: 'selectors echoed',
      spec: {
        resourceAttributes: {
          verb: 'list',
          resource: 'pods',
          labelSelector: { rawSelector: 'app=web' },
          fieldSelector: {
            requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }],
          },
        },
      },
      result: ALLOW,
      expectSpec: {
        resourceAttributes: {
          verb: 'list',
          resource: 'pods',
          fieldSelector: {
            requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }],
          },
          labelSelector: { rawSelector: 'app=web' },
        },
      },
      expectStatus: { allowed: true },
      expectAttributes: resourceAttributes({ verb: 'list', resource: 'pods' }),
    },
    {
      name: 'unparsable selector noted',
      spec: {
        resourceAttributes: {
          verb: 'list',
          resource: 'pods',
          fieldSelector: { rawSelector: 'spec.nodeName' },
        },
      },
      result: new Error('webhook unreachable'),
      expectSpec: {
        resourceAttributes: {
          verb: 'list',
          resource: 'pods',
          fieldSelector: { rawSelector: 'spec.nodeName' },
        },
      },
      expectStatus: {
        allowed: false,
        evaluationError:
          'webhook unreachable; spec.resourceAttributes.fieldSelector ignored due to parse error',
      },
      expectAttributes: resourceAttributes({ verb: 'list', resource: 'pods' }),
    },
  ];

  for (const { name, spec, result, expectSpec, expectStatus, expectAttributes } of cases) {
    it(name, async () => {
      const authorizer = new RecordingAuthorizer(result);
      const handler = createSelfSubjectAccessReview(authorizer, silentLogger());

      const response = await postReview(handler, { path: PATH, body: review(spec) });

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.equal({
        kind: 'SelfSubjectAccessReview',
        apiVersion: GROUP_VERSION,
        metadata: { creationTimestamp: null },
        spec: expectSpec,
        status: expectStatus,
      });
      expect(authorizer.checked).to.deep.equal([expectAttributes]);
    });
  }

  it('protobuf body from kubectl', async () => {
    const authorizer = new RecordingAuthorizer(ALLOW);
    const handler = createSelfSubjectAccessReview(authorizer, silentLogger());
    const body = readFileSync(new URL('selfsubjectaccessreview_list_pods.bin', TESTDATA));

    const response = await postReview(handler, {
      path: PATH,
      body,
      contentType: 'application/vnd.kubernetes.protobuf',
    });

    expect(response.status).to.equal(201);
    expect(response.body.spec).to.deep.equal({
      resourceAttributes: { namespace: 'demo', verb: 'list', resource: 'pods' },
    });
    expect(response.body.status).to.deep.equal({ allowed: true });
    expect(authorizer.checked).to.deep.equal([
      resourceAttributes({ namespace: 'demo', verb: 'list', resource: 'pods' }),
    ]);
  });

  it('system metadata fields tolerated', async () => {
    const authorizer = new RecordingAuthorizer(ALLOW);
    const handler = createSelfSubjectAccessReview(authorizer, silentLogger());
    const metadata = {
      uid: 'u-1',
      creationTimestamp: '2024-01-02T03:04:05Z',
      selfLink: '/x',
      namespace: 'ignored-for-cluster-scope',
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    };
    const body = review({ resourceAttributes: { verb: 'get', resource: 'pods' } }, { metadata });

    const response = await postReview(handler, { path: PATH, body });

    expect(response.status).to.equal(201);
    expect(response.body.metadata).to.deep.equal({ creationTimestamp: null });
  });

  const invalidCases: {
    name: string;
    body: string;
    expectMessage: string;
    expectCauses: Record<string, string>[];
  }[] = [
    {
      name: 'no attributes',
      body: review({}),
      expectMessage:
        '.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      expectCauses: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
          field: 'spec.resourceAttributes',
        },
      ],
    },
    {
      name: 'both kinds of attributes',
      body: review({
        resourceAttributes: { verb: 'get', resource: 'pods' },
        nonResourceAttributes: { path: '/healthz', verb: 'get' },
      }),
      expectMessage:
        '.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: cannot be specified in combination with resourceAttributes',
      expectCauses: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: cannot be specified in combination with resourceAttributes',
          field: 'spec.nonResourceAttributes',
        },
      ],
    },
    {
      name: 'metadata with a name',
      body: review(
        { resourceAttributes: { verb: 'get' } },
        { metadata: { name: 'x', labels: { a: 'b' } } },
      ),
      expectMessage:
        '.authorization.k8s.io "" is invalid: metadata: Invalid value: v1.ObjectMeta{Name:"x", GenerateName:"", Namespace:"", SelfLink:"", UID:"", ResourceVersion:"", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string{"a":"b"}, Annotations:map[string]string(nil), OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}: must be empty',
      expectCauses: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: v1.ObjectMeta{Name:"x", GenerateName:"", Namespace:"", SelfLink:"", UID:"", ResourceVersion:"", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string{"a":"b"}, Annotations:map[string]string(nil), OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}: must be empty',
          field: 'metadata',
        },
      ],
    },
    {
      name: 'field selector without content',
      body: review({ resourceAttributes: { verb: 'list', fieldSelector: {} } }),
      expectMessage:
        '.authorization.k8s.io "" is invalid: spec.resourceAttributes.fieldSelector.requirements: Required value: when spec.resourceAttributes.fieldSelector is specified, requirements or rawSelector is required',
      expectCauses: [
        {
          reason: 'FieldValueRequired',
          message:
            'Required value: when spec.resourceAttributes.fieldSelector is specified, requirements or rawSelector is required',
          field: 'spec.resourceAttributes.fieldSelector.requirements',
        },
      ],
    },
  ];

  for (const { name, body, expectMessage, expectCauses } of invalidCases) {
    it(`invalid: ${name}`, async () => {
      const authorizer = new RecordingAuthorizer(ALLOW);
      const handler = createSelfSubjectAccessReview(authorizer, silentLogger());

      const response = await postReview(handler, { path: PATH, body });

      expect(response.status).to.equal(422);
      expect(response.body.reason).to.equal('Invalid');
      expect(response.body.message).to.equal(expectMessage);
      expect(response.body.details).to.deep.equal({
        group: 'authorization.k8s.io',
        causes: expectCauses,
      });
      expect(authorizer.checked).to.have.length(0);
    });
  }
});
