import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type {
  ResolvedRules,
  RuleResolver,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import type { UserInfo } from '../../../../../../pkg/auth/user/user.js';
import {
  createSelfSubjectRulesReview,
  NO_RULE_RESOLVER_ERROR,
} from '../../../../../../pkg/endpoints/handlers/authorization/selfsubjectrulesreview.js';
import { silentLogger } from '../../../../helpers/koa_context.js';
import { GROUP_VERSION, postReview, REQUEST_USER } from './review_server.js';

const PATH = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';

// Tests run from dist/, so the fixtures are found from the source tree's root.
const TESTDATA = new URL('../../../../../../../test/testdata/protobuf/', import.meta.url);

/** A rule resolver that records its calls and returns fixed rules or throws. */
class FakeRuleResolver implements RuleResolver {
  readonly calls: { user: UserInfo; namespace: string }[] = [];

  constructor(private readonly result: ResolvedRules | Error) {}

  rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules> {
    this.calls.push({ user, namespace });
    if (this.result instanceof Error) return Promise.reject(this.result);
    return Promise.resolve(this.result);
  }
}

function review(spec: unknown): string {
  return JSON.stringify({ apiVersion: GROUP_VERSION, kind: 'SelfSubjectRulesReview', spec });
}

const POD_READER: ResolvedRules = {
  resourceRules: [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] },
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews'],
      resourceNames: [],
    },
  ],
  nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }],
  incomplete: false,
  evaluationError: '',
};

describe('createSelfSubjectRulesReview', () => {
  const cases: {
    name: string;
    resolver: FakeRuleResolver | undefined;
    expectStatus: Record<string, unknown>;
  }[] = [
    {
      name: 'rules from the resolver',
      resolver: new FakeRuleResolver(POD_READER),
      expectStatus: {
        resourceRules: [
          { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
          {
            verbs: ['get'],
            apiGroups: ['apps'],
            resources: ['deployments'],
            resourceNames: ['web'],
          },
          {
            verbs: ['create'],
            apiGroups: ['authorization.k8s.io'],
            resources: ['selfsubjectaccessreviews'],
          },
        ],
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }],
        incomplete: false,
      },
    },
    {
      name: 'no rules as empty lists',
      resolver: new FakeRuleResolver({
        resourceRules: [],
        nonResourceRules: [],
        incomplete: false,
        evaluationError: '',
      }),
      expectStatus: { resourceRules: [], nonResourceRules: [], incomplete: false },
    },
    {
      name: 'incomplete rules passed on',
      resolver: new FakeRuleResolver({
        ...POD_READER,
        resourceRules: [POD_READER.resourceRules[0]!],
        nonResourceRules: [],
        incomplete: true,
        evaluationError: 'webhook authorizer does not support user rule resolution',
      }),
      expectStatus: {
        resourceRules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
        nonResourceRules: [],
        incomplete: true,
        evaluationError: 'webhook authorizer does not support user rule resolution',
      },
    },
    {
      name: 'failing resolver is incomplete',
      resolver: new FakeRuleResolver(new Error('role "view" not found')),
      expectStatus: {
        resourceRules: [],
        nonResourceRules: [],
        incomplete: true,
        evaluationError: 'role "view" not found',
      },
    },
    {
      name: 'no resolver is incomplete',
      resolver: undefined,
      expectStatus: {
        resourceRules: [],
        nonResourceRules: [],
        incomplete: true,
        evaluationError: NO_RULE_RESOLVER_ERROR,
      },
    },
  ];

  for (const { name, resolver, expectStatus } of cases) {
    it(name, async () => {
      const handler = createSelfSubjectRulesReview(resolver, silentLogger());

      const response = await postReview(handler, {
        path: PATH,
        body: review({ namespace: 'demo' }),
      });

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.equal({
        kind: 'SelfSubjectRulesReview',
        apiVersion: GROUP_VERSION,
        metadata: { creationTimestamp: null },
        spec: {},
        status: expectStatus,
      });
      if (resolver !== undefined) {
        expect(resolver.calls).to.deep.equal([{ user: REQUEST_USER, namespace: 'demo' }]);
      }
    });
  }

  it('protobuf body from kubectl', async () => {
    const resolver = new FakeRuleResolver(POD_READER);
    const handler = createSelfSubjectRulesReview(resolver, silentLogger());
    const body = readFileSync(new URL('selfsubjectrulesreview.bin', TESTDATA));

    const response = await postReview(handler, {
      path: PATH,
      body,
      contentType: 'application/vnd.kubernetes.protobuf',
    });

    expect(response.status).to.equal(201);
    expect(resolver.calls).to.deep.equal([{ user: REQUEST_USER, namespace: 'demo' }]);
  });

  const missingNamespaceCases: { name: string; spec: unknown }[] = [
    { name: 'empty namespace', spec: { namespace: '' } },
    { name: 'no spec', spec: null },
  ];

  for (const { name, spec } of missingNamespaceCases) {
    it(`${name} rejected`, async () => {
      const resolver = new FakeRuleResolver(POD_READER);
      const handler = createSelfSubjectRulesReview(resolver, silentLogger());

      const response = await postReview(handler, { path: PATH, body: review(spec) });

      expect(response.status).to.equal(400);
      expect(response.body.reason).to.equal('BadRequest');
      expect(response.body.message).to.equal('no namespace on request');
      expect(resolver.calls).to.have.length(0);
    });
  }
});
