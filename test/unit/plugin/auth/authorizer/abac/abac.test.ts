import { expect } from 'chai';
import type {
  Attributes,
  Decision,
  PolicyRule,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../../pkg/auth/user/user.js';
import {
  abacAuthorizer,
  NO_POLICY_MATCHED,
  subjectMatches,
} from '../../../../../../plugin/auth/authorizer/abac/abac.js';
import {
  parsePolicyFile,
  parsePolicyLine,
} from '../../../../../../plugin/auth/authorizer/abac/policy.js';

const AUTHENTICATED = 'system:authenticated';

const alice = newUserInfo({ name: 'alice', groups: [AUTHENTICATED] });
const bob = newUserInfo({ name: 'bob', groups: [AUTHENTICATED] });
const carolInOps = newUserInfo({ name: 'carol', groups: ['ops', AUTHENTICATED] });
const carolElsewhere = newUserInfo({ name: 'carol', groups: ['dev', AUTHENTICATED] });
const dave = newUserInfo({ name: 'dave', groups: [AUTHENTICATED] });
const devMember = newUserInfo({ name: 'erin', groups: ['dev', AUTHENTICATED] });
const anonymous = newUserInfo({ name: 'system:anonymous', groups: ['system:unauthenticated'] });
const scheduler = newUserInfo({ name: 'scheduler', groups: [AUTHENTICATED] });
const kubelet = newUserInfo({ name: 'kubelet', groups: [AUTHENTICATED] });

/** Attributes of a request on a resource; `apiGroup` "" is the core group. */
function onResource(
  user: UserInfo,
  verb: string,
  namespace: string,
  resource: string,
  apiGroup = '',
  subresource = '',
): Attributes {
  return {
    user,
    verb,
    isResourceRequest: true,
    path: '',
    namespace,
    apiGroup,
    apiVersion: 'v1',
    resource,
    subresource,
    name: '',
  };
}

/** Attributes of a request on a non-resource path; the verb is the lower-cased method. */
function onPath(user: UserInfo, verb: string, path: string): Attributes {
  return {
    user,
    verb,
    isResourceRequest: false,
    path,
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
}

function v1beta1(spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'abac.authorization.kubernetes.io/v1beta1',
    kind: 'Policy',
    spec,
  });
}

const V1BETA1_FILE = [
  '# Policies in the v1beta1 form, after a comment.',
  '',
  '   # An indented comment, then a blank line of spaces.',
  '    ',
  v1beta1({ user: 'alice', namespace: '*', resource: '*', apiGroup: '*' }),
  v1beta1({ user: 'bob', namespace: 'team-a', resource: 'pods', apiGroup: '', readonly: true }),
  v1beta1({ group: 'dev', namespace: 'dev', resource: '*', apiGroup: 'apps' }),
  v1beta1({ user: '*', readonly: true, nonResourcePath: '/version' }),
  v1beta1({ user: '*', nonResourcePath: '/logs/*' }),
  v1beta1({ group: 'system:unauthenticated', readonly: true, nonResourcePath: '/healthz' }),
  v1beta1({ user: 'carol', group: 'ops', namespace: '*', resource: 'secrets', apiGroup: '' }),
  v1beta1({ user: 'dave', nonResourcePath: '*' }),
  v1beta1({}),
].join('\n');

const V0_FILE = [
  '{"resource": "events"}',
  '{"user": "scheduler", "resource": "bindings"}',
  '{"user": "kubelet", "readonly": true, "resource": "pods"}',
  '{"user": "alice", "namespace": "team-a"}',
  '{"group": "*", "readonly": true}',
].join('\r\n');

interface DecisionCase {
  name: string;
  attributes: Attributes;
  expectDecision: Decision;
}

const V1BETA1_CASES: DecisionCase[] = [
  {
    name: 'user wildcard everything create',
    attributes: onResource(alice, 'create', 'default', 'deployments', 'apps'),
    expectDecision: 'allow',
  },
  {
    name: 'user wildcard cluster scope',
    attributes: onResource(alice, 'delete', '', 'namespaces'),
    expectDecision: 'allow',
  },
  {
    name: 'resource policy skips paths',
    attributes: onPath(alice, 'post', '/api'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'readonly policy allows list',
    attributes: onResource(bob, 'list', 'team-a', 'pods'),
    expectDecision: 'allow',
  },
  {
    name: 'readonly policy allows watch',
    attributes: onResource(bob, 'watch', 'team-a', 'pods'),
    expectDecision: 'allow',
  },
  {
    name: 'readonly policy rejects update',
    attributes: onResource(bob, 'update', 'team-a', 'pods'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'subresource matched by resource',
    attributes: onResource(bob, 'get', 'team-a', 'pods', '', 'log'),
    expectDecision: 'allow',
  },
  {
    name: 'other namespace not matched',
    attributes: onResource(bob, 'get', 'team-b', 'pods'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'other resource not matched',
    attributes: onResource(bob, 'get', 'team-a', 'secrets'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'empty apiGroup is core only',
    attributes: onResource(bob, 'get', 'team-a', 'pods', 'example.com'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'group member in namespace',
    attributes: onResource(devMember, 'create', 'dev', 'deployments', 'apps'),
    expectDecision: 'allow',
  },
  {
    name: 'group policy wrong apiGroup',
    attributes: onResource(devMember, 'create', 'dev', 'configmaps'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'exact path readonly get',
    attributes: onPath(bob, 'get', '/version'),
    expectDecision: 'allow',
  },
  {
    name: 'exact path readonly post',
    attributes: onPath(bob, 'post', '/version'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'exact path no prefix match',
    attributes: onPath(bob, 'get', '/version/extra'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'trailing star subpath',
    attributes: onPath(bob, 'put', '/logs/kubelet/today'),
    expectDecision: 'allow',
  },
  {
    name: 'trailing star slash only',
    attributes: onPath(bob, 'get', '/logs/'),
    expectDecision: 'allow',
  },
  {
    name: 'trailing star needs slash',
    attributes: onPath(bob, 'get', '/logs'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'user star excludes anonymous',
    attributes: onPath(anonymous, 'get', '/version'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'unauthenticated group allows anonymous',
    attributes: onPath(anonymous, 'get', '/healthz'),
    expectDecision: 'allow',
  },
  {
    name: 'unauthenticated group skips users',
    attributes: onPath(bob, 'get', '/healthz'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'user and group both match',
    attributes: onResource(carolInOps, 'get', 'kube-system', 'secrets'),
    expectDecision: 'allow',
  },
  {
    name: 'user matches group does not',
    attributes: onResource(carolElsewhere, 'get', 'kube-system', 'secrets'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'path wildcard any path',
    attributes: onPath(dave, 'delete', '/anything/at/all'),
    expectDecision: 'allow',
  },
  {
    name: 'path wildcard skips resources',
    attributes: onResource(dave, 'get', 'default', 'pods'),
    expectDecision: 'noOpinion',
  },
];

const V0_CASES: DecisionCase[] = [
  {
    name: 'v0 no subject means authenticated',
    attributes: onResource(bob, 'create', 'default', 'events'),
    expectDecision: 'allow',
  },
  {
    name: 'v0 no subject excludes anonymous',
    attributes: onResource(anonymous, 'create', 'default', 'events'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'v0 matches every API group',
    attributes: onResource(scheduler, 'create', 'default', 'bindings', 'example.com'),
    expectDecision: 'allow',
  },
  {
    name: 'v0 readonly rejects create',
    attributes: onResource(kubelet, 'create', 'default', 'pods'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'v0 namespace covers every resource',
    attributes: onResource(alice, 'delete', 'team-a', 'widgets', 'example.com'),
    expectDecision: 'allow',
  },
  {
    name: 'v0 namespace policy elsewhere',
    attributes: onResource(alice, 'delete', 'team-b', 'pods'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'v0 namespace policy skips paths',
    attributes: onPath(alice, 'post', '/logs'),
    expectDecision: 'noOpinion',
  },
  {
    name: 'v0 group star reads paths',
    attributes: onPath(bob, 'get', '/metrics'),
    expectDecision: 'allow',
  },
  {
    name: 'v0 group star reads resources',
    attributes: onResource(bob, 'watch', '', 'namespaces'),
    expectDecision: 'allow',
  },
  {
    name: 'v0 group star excludes anonymous',
    attributes: onPath(anonymous, 'get', '/metrics'),
    expectDecision: 'noOpinion',
  },
];

describe('abacAuthorizer decisions', () => {
  const tables: { form: string; file: string; cases: DecisionCase[] }[] = [
    { form: 'v1beta1', file: V1BETA1_FILE, cases: V1BETA1_CASES },
    { form: 'v0', file: V0_FILE, cases: V0_CASES },
  ];
  for (const table of tables) {
    const authorizer = abacAuthorizer(parsePolicyFile('policy.jsonl', table.file).policies);
    for (const tc of table.cases) {
      it(tc.name, async () => {
        const result = await authorizer.authorize(tc.attributes);

        expect(result.decision).to.equal(tc.expectDecision);
        expect(result.reason).to.equal(tc.expectDecision === 'allow' ? '' : NO_POLICY_MATCHED);
      });
    }
  }
});

describe('subjectMatches', () => {
  const cases: { name: string; line: string; user: UserInfo; expectMatch: boolean }[] = [
    {
      name: 'v1beta1 empty subject matches nobody',
      line: v1beta1({ resource: '*' }),
      user: bob,
      expectMatch: false,
    },
    {
      name: 'v1beta1 group star excludes anonymous',
      line: v1beta1({ group: '*' }),
      user: anonymous,
      expectMatch: false,
    },
    {
      name: 'v1beta1 user is case-sensitive',
      line: v1beta1({ user: 'Bob' }),
      user: bob,
      expectMatch: false,
    },
    {
      name: 'v1beta1 group no substring match',
      line: v1beta1({ group: 'de' }),
      user: devMember,
      expectMatch: false,
    },
    {
      name: 'v0 empty subject matches authenticated',
      line: '{"resource": "pods"}',
      user: bob,
      expectMatch: true,
    },
    {
      name: 'v0 user star excludes anonymous',
      line: '{"user": "*"}',
      user: anonymous,
      expectMatch: false,
    },
    {
      name: 'v0 explicit version converts too',
      line: '{"apiVersion": "abac.authorization.kubernetes.io/v0", "kind": "Policy"}',
      user: bob,
      expectMatch: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(subjectMatches(parsePolicyLine(tc.line).policy, tc.user)).to.equal(tc.expectMatch);
    });
  }
});

describe('abacAuthorizer rulesFor', () => {
  const policies = parsePolicyFile(
    'policy.jsonl',
    [
      '{"readonly": true, "resource": "events"}',
      '{"user": "scheduler", "readonly": true, "resource": "pods"}',
      '{"user": "scheduler", "resource": "bindings"}',
      '{"user": "alice", "namespace": "team-a"}',
      v1beta1({ user: 'bob', namespace: 'team-a', resource: 'pods', apiGroup: '' }),
      v1beta1({ user: 'bob', readonly: true, nonResourcePath: '/version' }),
      v1beta1({ user: 'bob', readonly: true, namespace: '*', nonResourcePath: '/healthz' }),
    ].join('\n'),
  ).policies;
  const authorizer = abacAuthorizer(policies);
  const readOnly = ['get', 'list', 'watch'];

  const cases: {
    name: string;
    user: UserInfo;
    namespace: string;
    expectResourceRules: PolicyRule[];
    expectNonResourceRules: PolicyRule[];
  }[] = [
    {
      name: 'v0 readonly and full rules',
      user: scheduler,
      namespace: 'default',
      expectResourceRules: [
        { verbs: readOnly, apiGroups: ['*'], resources: ['events'] },
        { verbs: readOnly, apiGroups: ['*'], resources: ['pods'] },
        { verbs: ['*'], apiGroups: ['*'], resources: ['bindings'] },
      ],
      expectNonResourceRules: [],
    },
    {
      name: 'v0 namespace policy in namespace',
      user: alice,
      namespace: 'team-a',
      expectResourceRules: [
        { verbs: readOnly, apiGroups: ['*'], resources: ['events'] },
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      ],
      expectNonResourceRules: [],
    },
    {
      name: 'v0 namespace policy elsewhere',
      user: alice,
      namespace: 'team-b',
      expectResourceRules: [{ verbs: readOnly, apiGroups: ['*'], resources: ['events'] }],
      expectNonResourceRules: [],
    },
    {
      name: 'v1beta1 path needs empty namespace',
      user: bob,
      namespace: '',
      expectResourceRules: [{ verbs: readOnly, apiGroups: ['*'], resources: ['events'] }],
      expectNonResourceRules: [
        { verbs: readOnly, nonResourceURLs: ['/version'] },
        { verbs: readOnly, nonResourceURLs: ['/healthz'] },
      ],
    },
    {
      name: 'v1beta1 namespace rules only',
      user: bob,
      namespace: 'team-a',
      expectResourceRules: [
        { verbs: readOnly, apiGroups: ['*'], resources: ['events'] },
        { verbs: ['*'], apiGroups: [''], resources: ['pods'] },
      ],
      expectNonResourceRules: [{ verbs: readOnly, nonResourceURLs: ['/healthz'] }],
    },
    {
      name: 'anonymous holds no rules',
      user: anonymous,
      namespace: 'default',
      expectResourceRules: [],
      expectNonResourceRules: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const rules = await authorizer.rulesFor(tc.user, tc.namespace);

      expect(rules.resourceRules).to.deep.equal(tc.expectResourceRules);
      expect(rules.nonResourceRules).to.deep.equal(tc.expectNonResourceRules);
      expect(rules.incomplete).to.equal(false);
      expect(rules.evaluationError).to.equal('');
    });
  }
});
