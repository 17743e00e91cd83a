import { expect } from 'chai';
import type { AuthorizationResult } from '../../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo } from '../../../../../../pkg/auth/user/user.js';
import { createLocalSubjectAccessReview } from '../../../../../../pkg/endpoints/handlers/authorization/localsubjectaccessreview.js';
import { silentLogger } from '../../../../helpers/koa_context.js';
import { GROUP_VERSION, postReview, RecordingAuthorizer } from './review_server.js';

const PATH = '/apis/authorization.k8s.io/v1/namespaces/demo/localsubjectaccessreviews';

function review(spec: unknown, metadata?: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: GROUP_VERSION,
    kind: 'LocalSubjectAccessReview',
    ...(metadata === undefined ? {} : { metadata }),
    spec,
  });
}

const ALLOW: AuthorizationResult = { decision: 'allow', reason: '' };

describe('createLocalSubjectAccessReview', () => {
  const allowedCases: { name: string; metadata?: Record<string, unknown> }[] = [
    { name: 'namespace from URL' },
    { name: 'namespace in metadata', metadata: { namespace: 'demo' } },
  ];

  for (const { name, metadata } of allowedCases) {
    it(`allowed with ${name}`, async () => {
      const authorizer = new RecordingAuthorizer(ALLOW);
      const handler = createLocalSubjectAccessReview(authorizer, silentLogger());
      const spec = {
        user: 'bob',
        resourceAttributes: { namespace: 'demo', verb: 'get', resource: 'pods' },
      };

      const response = await postReview(handler, { path: PATH, body: review(spec, metadata) });

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.equal({
        kind: 'LocalSubjectAccessReview',
        apiVersion: GROUP_VERSION,
        metadata: { namespace: 'demo', creationTimestamp: null },
        spec: {
          resourceAttributes: { namespace: 'demo', verb: 'get', resource: 'pods' },
          user: 'bob',
        },
        status: { allowed: true },
      });
      expect(authorizer.checked).to.have.length(1);
      expect(authorizer.checked[0]?.user).to.deep.equal(newUserInfo({ name: 'bob' }));
      expect(authorizer.checked[0]?.namespace).to.equal('demo');
    });
  }

  it('metadata namespace mismatch rejected', async () => {
    const authorizer = new RecordingAuthorizer(ALLOW);
    const handler = createLocalSubjectAccessReview(authorizer, silentLogger());
    const spec = { user: 'bob', resourceAttributes: { namespace: 'other', verb: 'get' } };

    const response = await postReview(handler, {
      path: PATH,
      body: review(spec, { namespace: 'other' }),
    });

    expect(response.status).to.equal(400);
    expect(response.body.reason).to.equal('BadRequest');
    expect(response.body.message).to.equal(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    expect(authorizer.checked).to.have.length(0);
  });

  const invalidCases: { name: string; body: string; expectMessage: string }[] = [
    {
      name: 'spec namespace differs',
      body: review({ user: 'bob', resourceAttributes: { namespace: 'other', verb: 'get' } }),
      expectMessage:
        '.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace',
    },
    {
      name: 'spec namespace empty',
      body: review({ user: 'bob', resourceAttributes: { verb: 'get' } }),
      expectMessage:
        '.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "": must match metadata.namespace',
    },
    {
      name: 'non-resource attributes',
      body: review({ groups: ['devs'], nonResourceAttributes: { path: '/healthz', verb: 'get' } }),
      expectMessage:
        '.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: disallowed on this kind of request',
    },
    {
      name: 'metadata with a name',
      body: review(
        { user: 'bob', resourceAttributes: { namespace: 'demo', verb: 'get' } },
        { name: 'check', namespace: 'demo' },
      ),
      expectMessage:
        '.authorization.k8s.io "" is invalid: metadata: Invalid value: v1.ObjectMeta{Name:"check", GenerateName:"", Namespace:"demo", SelfLink:"", UID:"", ResourceVersion:"", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string(nil), Annotations:map[string]string(nil), OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}: must be empty except for namespace',
    },
    {
      name: 'no subject and no attributes',
      body: review({}),
      expectMessage:
        '.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
    },
  ];

  for (const { name, body, expectMessage } of invalidCases) {
    it(`invalid: ${name}`, async () => {
      const authorizer = new RecordingAuthorizer(ALLOW);
      const handler = createLocalSubjectAccessReview(authorizer, silentLogger());

      const response = await postReview(handler, { path: PATH, body });

      expect(response.status).to.equal(422);
      expect(response.body.reason).to.equal('Invalid');
      expect(response.body.message).to.equal(expectMessage);
      expect(authorizer.checked).to.have.length(0);
    });
  }
});
