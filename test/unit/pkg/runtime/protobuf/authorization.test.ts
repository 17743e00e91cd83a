import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { decodeKubernetesProtobuf } from '../../../../../pkg/runtime/protobuf/decode.js';
import { encodeKubernetesProtobuf } from '../../../../helpers/e2e/protobuf.js';
import { encode, msg, str, varint } from './wire.js';

// Tests run from dist/, so the fixtures are found from the source tree's root.
const TESTDATA = new URL('../../../../../../test/testdata/protobuf/', import.meta.url);

const GROUP_VERSION = 'authorization.k8s.io/v1';

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, TESTDATA));
}

/** Builds a SelfSubjectAccessReview as kubectl's bodies decode: empty metadata, allowed false. */
function selfSubjectAccessReview(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: GROUP_VERSION,
    metadata: {},
    spec,
    status: { allowed: false },
  };
}

describe('authorization.k8s.io protobuf bodies', () => {
  /** Bodies captured from kubectl v1.32.4. test/testdata/protobuf/README.md lists the commands. */
  const captured: { file: string; expectObject: Record<string, unknown> }[] = [
    {
      file: 'selfsubjectaccessreview_list_pods.bin',
      expectObject: selfSubjectAccessReview({
        resourceAttributes: { namespace: 'demo', verb: 'list', resource: 'pods' },
      }),
    },
    {
      file: 'selfsubjectaccessreview_subresource_name.bin',
      expectObject: selfSubjectAccessReview({
        resourceAttributes: {
          namespace: 'demo',
          verb: 'get',
          resource: 'pods',
          subresource: 'log',
          name: 'web',
        },
      }),
    },
    {
      file: 'selfsubjectaccessreview_group.bin',
      expectObject: selfSubjectAccessReview({
        resourceAttributes: {
          namespace: 'demo',
          verb: 'create',
          group: 'apps',
          resource: 'deployments',
          subresource: 'scale',
        },
      }),
    },
    {
      file: 'selfsubjectaccessreview_all_namespaces.bin',
      expectObject: selfSubjectAccessReview({ resourceAttributes: { verb: '*', resource: '*' } }),
    },
    {
      file: 'selfsubjectaccessreview_non_resource.bin',
      expectObject: selfSubjectAccessReview({
        nonResourceAttributes: { path: '/healthz', verb: 'get' },
      }),
    },
    {
      file: 'selfsubjectrulesreview.bin',
      expectObject: {
        kind: 'SelfSubjectRulesReview',
        apiVersion: GROUP_VERSION,
        metadata: {},
        spec: { namespace: 'demo' },
        status: { incomplete: false },
      },
    },
  ];

  for (const { file, expectObject } of captured) {
    it(`decodes ${file}`, () => {
      const decoded = decodeKubernetesProtobuf(fixture(file));

      expect(decoded.apiVersion).to.equal(GROUP_VERSION);
      expect(decoded.kind).to.equal(expectObject.kind);
      expect(decoded.object).to.deep.equal(expectObject);
    });
  }

  it('SubjectAccessReview field numbers', () => {
    // Numbers from k8s.io/api/authorization/v1/generated.proto. spec (2) has
    // resourceAttributes (1), user (3), groups (4), extra (5, ExtraValue items 1) and uid (6).
    // resourceAttributes has namespace 1 to name 7, fieldSelector 8 and labelSelector 9.
    // status (3) has allowed (1), reason (2), evaluationError (3) and denied (4).
    const raw = encode(
      msg(1),
      msg(
        2,
        msg(
          1,
          str(1, 'ns'),
          str(2, 'get'),
          str(3, 'apps'),
          str(4, 'v1'),
          str(5, 'deployments'),
          str(6, 'scale'),
          str(7, 'web'),
          msg(8, str(1, 'metadata.name=web')),
          msg(9, msg(2, str(1, 'app'), str(2, 'In'), str(3, 'web'))),
        ),
        str(3, 'bob'),
        str(4, 'devs'),
        str(4, 'ops'),
        msg(5, str(1, 'scopes'), msg(2, str(1, 'read'))),
        str(6, 'u-1'),
      ),
      msg(3, varint(1, false), str(2, 'why'), str(3, 'oops'), varint(4, true)),
    );

    const decoded = decodeKubernetesProtobuf(
      encodeKubernetesProtobuf(GROUP_VERSION, 'SubjectAccessReview', raw),
    );

    expect(decoded.object).to.deep.equal({
      kind: 'SubjectAccessReview',
      apiVersion: GROUP_VERSION,
      metadata: {},
      spec: {
        resourceAttributes: {
          namespace: 'ns',
          verb: 'get',
          group: 'apps',
          version: 'v1',
          resource: 'deployments',
          subresource: 'scale',
          name: 'web',
          fieldSelector: { rawSelector: 'metadata.name=web' },
          labelSelector: { requirements: [{ key: 'app', operator: 'In', values: ['web'] }] },
        },
        user: 'bob',
        groups: ['devs', 'ops'],
        // The decoder keeps the ExtraValue message, and the review handlers unwrap `items`.
        extra: { scopes: { items: ['read'] } },
        uid: 'u-1',
      },
      status: { allowed: false, denied: true, reason: 'why', evaluationError: 'oops' },
    });
  });

  it('SelfSubjectRulesReview status field numbers', () => {
    // status (3): resourceRules (1: verbs 1, apiGroups 2, resources 3, resourceNames 4),
    // nonResourceRules (2: verbs 1, nonResourceURLs 2), incomplete (3), evaluationError (4).
    const raw = encode(
      msg(2, str(1, 'demo')),
      msg(
        3,
        msg(1, str(1, 'get'), str(2, ''), str(3, 'pods'), str(4, 'web')),
        msg(2, str(1, 'get'), str(2, '/healthz')),
        varint(3, true),
        str(4, 'partial'),
      ),
    );

    const decoded = decodeKubernetesProtobuf(
      encodeKubernetesProtobuf(GROUP_VERSION, 'SelfSubjectRulesReview', raw),
    );

    expect(decoded.object).to.deep.equal({
      kind: 'SelfSubjectRulesReview',
      apiVersion: GROUP_VERSION,
      spec: { namespace: 'demo' },
      status: {
        resourceRules: [
          { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
        ],
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
        incomplete: true,
        evaluationError: 'partial',
      },
    });
  });

  it('LocalSubjectAccessReview by URL type', () => {
    const raw = encode(msg(1, str(3, 'demo')), msg(2, str(3, 'bob')));

    const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf('', '', raw), {
      apiVersion: GROUP_VERSION,
      kind: 'LocalSubjectAccessReview',
    });

    expect(decoded.object).to.deep.equal({
      kind: 'LocalSubjectAccessReview',
      apiVersion: GROUP_VERSION,
      metadata: { namespace: 'demo' },
      spec: { user: 'bob' },
    });
  });
});
