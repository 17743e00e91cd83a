import { expect } from 'chai';
import type {
  Attributes,
  AuthorizationResult,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo } from '../../../../../../pkg/auth/user/user.js';
import { createSubjectAccessReview } from '../../../../../../pkg/endpoints/handlers/authorization/subjectaccessreview.js';
import { encodeKubernetesProtobuf } from '../../../../../helpers/e2e/protobuf.js';
import { silentLogger } from '../../../../helpers/koa_context.js';
import { encode, msg, str } from '../../../runtime/protobuf/wire.js';
import { GROUP_VERSION, postReview, RecordingAuthorizer } from './review_server.js';

const PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

function review(spec: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: GROUP_VERSION, kind: 'SubjectAccessReview', spec, ...extra });
}

const ALLOW: AuthorizationResult = { decision: 'allow', reason: '' };

describe('createSubjectAccessReview', () => {
  const cases: {
    name: string;
    spec: Record<string, unknown>;
    result: AuthorizationResult | Error;
    expectSpec: Record<string, unknown>;
    expectStatus: Record<string, unknown>;
    expectAttributes: Attributes;
  }[] = [
    {
      name: 'subject from spec allowed',
      spec: {
        uid: 'u-7',
        extra: { 'z.example/b': ['2'], 'a.example/a': ['1', '3'] },
        groups: ['devs'],
        user: 'bob',
        resourceAttributes: { namespace: 'demo', verb: 'get', resource: 'pods' },
      },
      result: ALLOW,
      expectSpec: {
        resourceAttributes: { namespace: 'demo', verb: 'get', resource: 'pods' },
        user: 'bob',
        groups: ['devs'],
        extra: { 'a.example/a': ['1', '3'], 'z.example/b': ['2'] },
        uid: 'u-7',
      },
      expectStatus: { allowed: true },
      expectAttributes: {
        user: newUserInfo({
          name: 'bob',
          uid: 'u-7',
          groups: ['devs'],
          extra: { 'z.example/b': ['2'], 'a.example/a': ['1', '3'] },
        }),
        verb: 'get',
        isResourceRequest: true,
        path: '',
        namespace: 'demo',
        apiGroup: '',
        apiVersion: '*',
        resource: 'pods',
        subresource: '',
        name: '',
      },
    },
    {
      name: 'groups without user',
      spec: { groups: ['ops'], nonResourceAttributes: { path: '/metrics', verb: 'get' } },
      result: { decision: 'noOpinion', reason: '' },
      expectSpec: { nonResourceAttributes: { path: '/metrics', verb: 'get' }, groups: ['ops'] },
      expectStatus: { allowed: false },
      expectAttributes: {
        user: newUserInfo({ name: '', groups: ['ops'] }),
        verb: 'get',
        isResourceRequest: false,
        path: '/metrics',
        namespace: '',
        apiGroup: '',
        apiVersion: '',
        resource: '',
        subresource: '',
        name: '',
      },
    },
    {
      name: 'denied with reason',
      spec: { user: 'bob', resourceAttributes: { verb: 'delete', resource: 'namespaces' } },
      result: { decision: 'deny', reason: 'protected' },
      expectSpec: { resourceAttributes: { verb: 'delete', resource: 'namespaces' }, user: 'bob' },
      expectStatus: { allowed: false, denied: true, reason: 'protected' },
      expectAttributes: {
        user: newUserInfo({ name: 'bob' }),
        verb: 'delete',
        isResourceRequest: true,
        path: '',
        namespace: '',
        apiGroup: '',
        apiVersion: '*',
        resource: 'namespaces',
        subresource: '',
        name: '',
      },
    },
    {
      name: 'authorizer error reported',
      spec: { user: 'bob', nonResourceAttributes: { path: '/healthz', verb: 'get' } },
      result: new Error('RBAC cache not synced'),
      expectSpec: { nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'bob' },
      expectStatus: { allowed: false, evaluationError: 'RBAC cache not synced' },
      expectAttributes: {
        user: newUserInfo({ name: 'bob' }),
        verb: 'get',
        isResourceRequest: false,
        path: '/healthz',
        namespace: '',
        apiGroup: '',
        apiVersion: '',
        resource: '',
        subresource: '',
        name: '',
      },
    },
  ];

  for (const { name, spec, result, expectSpec, expectStatus, expectAttributes } of cases) {
    it(name, async () => {
      const authorizer = new RecordingAuthorizer(result);
      const handler = createSubjectAccessReview(authorizer, silentLogger());

      const response = await postReview(handler, { path: PATH, body: review(spec) });

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.equal({
        kind: 'SubjectAccessReview',
        apiVersion: GROUP_VERSION,
        metadata: { creationTimestamp: null },
        spec: expectSpec,
        status: expectStatus,
      });
      expect(authorizer.checked).to.deep.equal([expectAttributes]);
    });
  }

  it('protobuf body with extra', async () => {
    const authorizer = new RecordingAuthorizer(ALLOW);
    const handler = createSubjectAccessReview(authorizer, silentLogger());
    // spec (2): resourceAttributes (1) verb (2), resource (5); user (3); groups (4);
    // extra (5) entry key (1) and ExtraValue (2) items (1), uid (6).
    const raw = encode(
      msg(1),
      msg(
        2,
        msg(1, str(2, 'list'), str(5, 'pods')),
        str(3, 'bob'),
        str(4, 'devs'),
        msg(5, str(1, 'scopes'), msg(2, str(1, 'read'), str(1, 'write'))),
        str(6, 'u-1'),
      ),
    );
    const body = encodeKubernetesProtobuf(GROUP_VERSION, 'SubjectAccessReview', raw);

    const response = await postReview(handler, {
      path: PATH,
      body,
      contentType: 'application/vnd.kubernetes.protobuf',
    });

    expect(response.status).to.equal(201);
    expect(response.body.spec).to.deep.equal({
      resourceAttributes: { verb: 'list', resource: 'pods' },
      user: 'bob',
      groups: ['devs'],
      extra: { scopes: ['read', 'write'] },
      uid: 'u-1',
    });
    expect(authorizer.checked[0]?.user).to.deep.equal(
      newUserInfo({
        name: 'bob',
        uid: 'u-1',
        groups: ['devs'],
        extra: { scopes: ['read', 'write'] },
      }),
    );
  });

  const invalidCases: {
    name: string;
    body: string;
    expectMessage: string;
    expectFields: string[];
  }[] = [
    {
      name: 'empty spec',
      body: review({}),
      expectMessage:
        '.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
      expectFields: ['spec.resourceAttributes', 'spec.user'],
    },
    {
      name: 'no user or groups',
      body: review({ resourceAttributes: { verb: 'get' }, uid: 'u-1' }),
      expectMessage:
        '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
      expectFields: ['spec.user'],
    },
    {
      name: 'metadata with annotations',
      body: review(
        { user: 'bob', resourceAttributes: { verb: 'get' } },
        { metadata: { annotations: { note: 'x' }, generateName: 'sar-' } },
      ),
      expectMessage:
        '.authorization.k8s.io "" is invalid: metadata: Invalid value: v1.ObjectMeta{Name:"", GenerateName:"sar-", Namespace:"", SelfLink:"", UID:"", ResourceVersion:"", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string(nil), Annotations:map[string]string{"note":"x"}, OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}: must be empty',
      expectFields: ['metadata'],
    },
  ];

  for (const { name, body, expectMessage, expectFields } of invalidCases) {
    it(`invalid: ${name}`, async () => {
      const authorizer = new RecordingAuthorizer(ALLOW);
      const handler = createSubjectAccessReview(authorizer, silentLogger());

      const response = await postReview(handler, { path: PATH, body });

      expect(response.status).to.equal(422);
      expect(response.body.message).to.equal(expectMessage);
      const details = response.body.details as { causes: { field: string }[] };
      expect(details.causes.map((cause) => cause.field)).to.deep.equal(expectFields);
      expect(authorizer.checked).to.have.length(0);
    });
  }
});
