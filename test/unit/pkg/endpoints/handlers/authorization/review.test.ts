import { expect } from 'chai';
import { createSelfSubjectAccessReview } from '../../../../../../pkg/endpoints/handlers/authorization/selfsubjectaccessreview.js';
import { encodeKubernetesProtobuf } from '../../../../../helpers/e2e/protobuf.js';
import { silentLogger } from '../../../../helpers/koa_context.js';
import { encode, msg, str } from '../../../runtime/protobuf/wire.js';
import { GROUP_VERSION, postReview, RecordingAuthorizer } from './review_server.js';

const PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SPEC = { resourceAttributes: { verb: 'get', resource: 'pods' } };

function handler(): ReturnType<typeof createSelfSubjectAccessReview> {
  return createSelfSubjectAccessReview(
    new RecordingAuthorizer({ decision: 'allow', reason: '' }),
    silentLogger(),
  );
}

describe('decodeReview', () => {
  const rejected: {
    name: string;
    path?: string;
    body: string | Buffer;
    contentType?: string;
    expectCode: number;
    expectMessage: string;
  }[] = [
    {
      name: 'other kind',
      body: JSON.stringify({ apiVersion: GROUP_VERSION, kind: 'SubjectAccessReview', spec: SPEC }),
      expectCode: 400,
      expectMessage:
        'SubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: no kind "SubjectAccessReview" is registered for the resource "selfsubjectaccessreviews"',
    },
    {
      name: 'other API version',
      body: JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1beta1',
        kind: 'SelfSubjectAccessReview',
        spec: SPEC,
      }),
      expectCode: 400,
      expectMessage:
        'the API version in the data (authorization.k8s.io/v1beta1) does not match the expected API version (authorization.k8s.io/v1)',
    },
    {
      name: 'value of wrong type',
      body: JSON.stringify({ spec: { resourceAttributes: { verb: 5 } } }),
      expectCode: 400,
      expectMessage:
        'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: json: cannot unmarshal number into Go struct field ResourceAttributes.spec.resourceAttributes.verb of type string',
    },
    {
      name: 'unknown field under Strict',
      path: `${PATH}?fieldValidation=Strict`,
      body: JSON.stringify({ spec: { ...SPEC, user: 'bob' } }),
      expectCode: 400,
      expectMessage:
        'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: strict decoding error: unknown field "spec.user"',
    },
    {
      name: 'invalid dryRun',
      path: `${PATH}?dryRun=Some`,
      body: JSON.stringify({ spec: SPEC }),
      expectCode: 400,
      expectMessage: 'Invalid dry run value: "Some"; supported values are: [All]',
    },
    {
      name: 'protobuf of another kind',
      body: encodeKubernetesProtobuf('v1', 'Namespace', encode(msg(1, str(1, 'demo')))),
      contentType: 'application/vnd.kubernetes.protobuf',
      expectCode: 400,
      expectMessage:
        'Namespace in version "v1" cannot be handled as a SelfSubjectAccessReview: no kind "Namespace" is registered for the resource "selfsubjectaccessreviews"',
    },
    {
      name: 'protobuf without magic',
      body: Buffer.from('not protobuf'),
      contentType: 'application/vnd.kubernetes.protobuf',
      expectCode: 400,
      expectMessage:
        'unable to decode protobuf body: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    {
      name: 'unsupported media type',
      body: 'spec: {}',
      contentType: 'text/plain',
      expectCode: 415,
      expectMessage:
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    },
  ];

  for (const { name, path, body, contentType, expectCode, expectMessage } of rejected) {
    it(`rejects ${name}`, async () => {
      const response = await postReview(handler(), { path: path ?? PATH, body, contentType });

      expect(response.status).to.equal(expectCode);
      expect(response.body.message).to.equal(expectMessage);
    });
  }

  const accepted: {
    name: string;
    path?: string;
    body: string;
    contentType?: string;
    expectWarnings: string[] | undefined;
  }[] = [
    {
      name: 'YAML body',
      body: 'apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec:\n  resourceAttributes:\n    verb: get\n    resource: pods\n',
      contentType: 'application/yaml',
      expectWarnings: undefined,
    },
    {
      name: 'no type fields',
      body: JSON.stringify({ spec: SPEC }),
      expectWarnings: undefined,
    },
    {
      name: 'unknown field warned by default',
      body: JSON.stringify({ spec: { ...SPEC, user: 'bob' } }),
      expectWarnings: ['299 - "unknown field \\"spec.user\\""'],
    },
    {
      name: 'unknown field ignored',
      path: `${PATH}?fieldValidation=Ignore&dryRun=All`,
      body: JSON.stringify({ spec: { ...SPEC, user: 'bob' } }),
      expectWarnings: undefined,
    },
  ];

  for (const { name, path, body, contentType, expectWarnings } of accepted) {
    it(`accepts ${name}`, async () => {
      const response = await postReview(handler(), { path: path ?? PATH, body, contentType });

      expect(response.status).to.equal(201);
      expect(response.body.spec).to.deep.equal(SPEC);
      const warnings = response.headers.warning;
      expect(warnings === undefined ? undefined : [warnings].flat()).to.deep.equal(expectWarnings);
    });
  }
});
