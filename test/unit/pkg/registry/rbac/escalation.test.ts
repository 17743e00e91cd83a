import { expect } from 'chai';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import type {
  Attributes,
  Authorizer,
  PolicyRule,
  ResolvedRules,
  RuleResolver,
} from '../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../pkg/auth/user/user.js';
import type {
  WriteAdmission,
  WriteAttributes,
} from '../../../../../pkg/endpoints/handlers/rest/scope.js';
import { rbacWriteAdmission } from '../../../../../pkg/registry/rbac/escalation.js';
import { ResourceRegistry } from '../../../../../pkg/registry/registry.js';
import { BUILTIN_RESOURCES } from '../../../../../pkg/registry/resources/index.js';
import { MemoryStorage } from '../../../../../pkg/storage/memory/memory_storage.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';
import { expectRejection } from '../../../../helpers/e2e/rejection.js';
import { recordingLogger, requestInfoFor, silentLogger } from '../../../helpers/koa_context.js';

const RBAC = 'rbac.authorization.k8s.io';
const RBAC_V1 = `/apis/${RBAC}/v1`;

const JANE = newUserInfo({ name: 'jane', groups: ['devs', 'system:authenticated'] });
const ADMIN = newUserInfo({ name: 'admin', groups: ['system:masters', 'system:authenticated'] });

/** The start of kube-apiserver's escalation message for JANE. */
const JANE_LACKS =
  'user "jane" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions ' +
  'not currently held:\n';

const READ_PODS: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] };
const READ_SECRETS: PolicyRule = {
  verbs: ['get', 'list'],
  apiGroups: [''],
  resources: ['secrets'],
};
const EVERYTHING: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** An authorizer that allows what `allows` accepts and records every question. */
class FakeAuthorizer implements Authorizer {
  readonly requests: Attributes[] = [];

  constructor(private readonly allows: (attributes: Attributes) => boolean = () => false) {}

  authorize(attributes: Attributes): Promise<{ decision: 'allow' | 'noOpinion'; reason: '' }> {
    this.requests.push(attributes);
    return Promise.resolve({
      decision: this.allows(attributes) ? 'allow' : 'noOpinion',
      reason: '',
    });
  }
}

/** A rule resolver that returns fixed rules in every namespace and records each namespace. */
class FakeRuleResolver implements RuleResolver {
  readonly namespaces: string[] = [];

  constructor(
    private readonly rules: PolicyRule[],
    private readonly evaluationError = '',
  ) {}

  rulesFor(_user: UserInfo, namespace: string): Promise<ResolvedRules> {
    this.namespaces.push(namespace);
    return Promise.resolve({
      resourceRules: this.rules.filter((rule) => rule.nonResourceURLs === undefined),
      nonResourceRules: this.rules.filter((rule) => rule.nonResourceURLs !== undefined),
      incomplete: this.evaluationError !== '',
      evaluationError: this.evaluationError,
    });
  }
}

function role(
  name: string,
  rules: PolicyRule[],
  extra: Record<string, unknown> = {},
): StoredObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name }, rules, ...extra };
}

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: Record<string, unknown> = {},
): StoredObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules, ...extra };
}

function binding(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  roleRef: { kind: string; name: string },
  subjects: string[] = ['jane'],
): StoredObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: { name },
    roleRef: { apiGroup: RBAC, ...roleRef },
    subjects: subjects.map((subject) => ({ kind: 'User', apiGroup: RBAC, name: subject })),
  };
}

function write(
  user: UserInfo,
  method: string,
  path: string,
  object: StoredObject,
  old?: StoredObject,
): WriteAttributes {
  return { user, info: requestInfoFor(path, method), object, old };
}

/** Runs the admission and returns the StatusError it throws. */
async function rejection(
  admission: WriteAdmission,
  attributes: WriteAttributes,
): Promise<StatusError> {
  const err = await expectRejection(admission(attributes));
  expect(err).to.be.instanceOf(StatusError);
  return err as StatusError;
}

/** Creates a registry with namespace `team`, Role `team/secret-reader` and ClusterRole `pod-reader`. */
async function newRegistry(): Promise<ResourceRegistry> {
  const registry = new ResourceRegistry(BUILTIN_RESOURCES, new MemoryStorage(), silentLogger());
  await registry.bootstrap();
  await registry.lookup('', 'v1', 'namespaces')?.create('', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team' },
  });
  await registry.lookup(RBAC, 'v1', 'roles')?.create('team', role('secret-reader', [READ_SECRETS]));
  await registry
    .lookup(RBAC, 'v1', 'clusterroles')
    ?.create('', clusterRole('pod-reader', [READ_PODS]));
  return registry;
}

describe('rbacWriteAdmission roles', () => {
  let registry: ResourceRegistry;

  before(async () => {
    registry = await newRegistry();
  });

  function admissionWith(authorizer: FakeAuthorizer, resolver: FakeRuleResolver): WriteAdmission {
    return rbacWriteAdmission({ authorizer, ruleResolver: resolver, resources: registry });
  }

  it('masters skip every check', async () => {
    const authorizer = new FakeAuthorizer();
    const resolver = new FakeRuleResolver([]);
    const admission = admissionWith(authorizer, resolver);
    await admission(
      write(ADMIN, 'POST', `${RBAC_V1}/namespaces/team/roles`, role('r', EVERYTHING)),
    );
    expect(authorizer.requests).to.deep.equal([]);
    expect(resolver.namespaces).to.deep.equal([]);
  });

  it('escalate verb allows role', async () => {
    const authorizer = new FakeAuthorizer((attributes) => attributes.verb === 'escalate');
    const resolver = new FakeRuleResolver([]);
    const admission = admissionWith(authorizer, resolver);
    await admission(write(JANE, 'POST', `${RBAC_V1}/namespaces/team/roles`, role('r', EVERYTHING)));
    expect(authorizer.requests).to.deep.equal([
      {
        user: JANE,
        verb: 'escalate',
        isResourceRequest: true,
        path: '',
        namespace: 'team',
        apiGroup: RBAC,
        apiVersion: '*',
        resource: 'roles',
        subresource: '',
        name: '',
      },
    ]);
    expect(resolver.namespaces).to.deep.equal([]);
  });

  it('escalate check names updated role', async () => {
    const authorizer = new FakeAuthorizer();
    const admission = admissionWith(authorizer, new FakeRuleResolver(EVERYTHING));
    const old = clusterRole('viewer', []);
    await admission(
      write(JANE, 'PUT', `${RBAC_V1}/clusterroles/viewer`, clusterRole('viewer', [READ_PODS]), old),
    );
    expect(authorizer.requests).to.have.length(1);
    expect(authorizer.requests[0]?.name).to.equal('viewer');
    expect(authorizer.requests[0]?.namespace).to.equal('');
    expect(authorizer.requests[0]?.resource).to.equal('clusterroles');
  });

  it('held rules allow role', async () => {
    const resolver = new FakeRuleResolver([{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }]);
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    await admission(
      write(JANE, 'POST', `${RBAC_V1}/namespaces/team/roles`, role('r', [READ_PODS])),
    );
    expect(resolver.namespaces).to.deep.equal(['team']);
  });

  it('cluster role resolves cluster rules', async () => {
    const resolver = new FakeRuleResolver([READ_PODS]);
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    await admission(write(JANE, 'POST', `${RBAC_V1}/clusterroles`, clusterRole('c', [READ_PODS])));
    expect(resolver.namespaces).to.deep.equal(['']);
  });

  it('missing rules give exact 403', async () => {
    const resolver = new FakeRuleResolver([
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    ]);
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    const requested = role('reader', [
      READ_PODS,
      { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['token'] },
      { verbs: ['get'], nonResourceURLs: ['/metrics'] },
    ]);
    const err = await rejection(
      admission,
      write(JANE, 'POST', `${RBAC_V1}/namespaces/team/roles`, requested),
    );
    expect(err.code).to.equal(403);
    expect(err.reason).to.equal('Forbidden');
    expect(err.status.message).to.equal(
      'roles.rbac.authorization.k8s.io "reader" is forbidden: ' +
        JANE_LACKS +
        '{APIGroups:[""], Resources:["pods"], Verbs:["list"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], ResourceNames:["token"], Verbs:["get"]}\n' +
        '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
    );
    expect(err.status.details).to.deep.equal({ name: 'reader', group: RBAC, kind: 'roles' });
  });

  it('missing rules merge verbs', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([]));
    const err = await rejection(
      admission,
      write(JANE, 'POST', `${RBAC_V1}/clusterroles`, clusterRole('c', [READ_SECRETS, READ_PODS])),
    );
    expect(err.status.message).to.equal(
      'clusterroles.rbac.authorization.k8s.io "c" is forbidden: ' +
        JANE_LACKS +
        '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
    );
  });

  it('resolution error ends message', async () => {
    const resolver = new FakeRuleResolver(
      [],
      'clusterroles.rbac.authorization.k8s.io "gone" not found',
    );
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    const err = await rejection(
      admission,
      write(JANE, 'POST', `${RBAC_V1}/namespaces/team/roles`, role('r', [READ_PODS])),
    );
    expect(err.status.message).to.equal(
      'roles.rbac.authorization.k8s.io "r" is forbidden: ' +
        JANE_LACKS +
        '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}' +
        '; resolution errors: [clusterroles.rbac.authorization.k8s.io "gone" not found]',
    );
  });

  it('resolution error ignored when covered', async () => {
    const resolver = new FakeRuleResolver([READ_PODS], 'a binding could not be read');
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    await admission(
      write(JANE, 'POST', `${RBAC_V1}/namespaces/team/roles`, role('r', [READ_PODS])),
    );
  });

  it('failing authorizer counts as denial', async () => {
    const authorizer: Authorizer = {
      authorize: () => Promise.reject(new Error('webhook unreachable')),
    };
    const recording = recordingLogger();
    const admission = rbacWriteAdmission({
      authorizer,
      ruleResolver: new FakeRuleResolver([]),
      resources: registry,
      logger: recording.logger,
    });
    const err = await rejection(
      admission,
      write(JANE, 'POST', `${RBAC_V1}/namespaces/team/roles`, role('r', [READ_PODS])),
    );
    expect(err.code).to.equal(403);
    const logged = await recording.waitFor('authorizer failed');
    expect(logged.level).to.equal('error');
    expect(logged.verb).to.equal('escalate');
    expect(logged.user).to.equal('jane');
  });

  it('aggregation rule needs full authority', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([READ_PODS]));
    const aggregated = clusterRole('agg', [READ_PODS], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
    });
    const err = await rejection(
      admission,
      write(JANE, 'POST', `${RBAC_V1}/clusterroles`, aggregated),
    );
    expect(err.code).to.equal(403);
    expect(err.status.message).to.equal(
      'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: ' +
        'must have cluster-admin privileges to use the aggregationRule',
    );
  });

  it('aggregation rule allowed with everything', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver(EVERYTHING));
    const aggregated = clusterRole('agg', [], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
    });
    await admission(write(JANE, 'POST', `${RBAC_V1}/clusterroles`, aggregated));
  });

  it('removing aggregation rule checked too', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([READ_PODS]));
    const old = clusterRole('agg', [READ_PODS], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
    });
    const err = await rejection(
      admission,
      write(JANE, 'PUT', `${RBAC_V1}/clusterroles/agg`, clusterRole('agg', [READ_PODS]), old),
    );
    expect(err.status.message).to.contain('must have cluster-admin privileges');
  });

  it('garbage collection fields skip checks', async () => {
    const resolver = new FakeRuleResolver([]);
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    const old = role('r', EVERYTHING);
    old.metadata = { name: 'r', namespace: 'team', uid: 'u1', resourceVersion: '5' };
    const updated = structuredClone(old);
    updated.metadata.finalizers = ['example.com/cleanup'];
    updated.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u2' },
    ];
    await admission(write(JANE, 'PATCH', `${RBAC_V1}/namespaces/team/roles/r`, updated, old));
    expect(resolver.namespaces).to.deep.equal([]);
  });

  it('label change checks rules', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([]));
    const old = role('r', [READ_PODS]);
    const updated = structuredClone(old);
    updated.metadata.labels = { team: 'a' };
    const err = await rejection(
      admission,
      write(JANE, 'PATCH', `${RBAC_V1}/namespaces/team/roles/r`, updated, old),
    );
    expect(err.code).to.equal(403);
  });
});

describe('rbacWriteAdmission bindings', () => {
  let registry: ResourceRegistry;

  before(async () => {
    registry = await newRegistry();
  });

  function admissionWith(authorizer: FakeAuthorizer, resolver: FakeRuleResolver): WriteAdmission {
    return rbacWriteAdmission({ authorizer, ruleResolver: resolver, resources: registry });
  }

  const ROLE_BINDINGS_PATH = `${RBAC_V1}/namespaces/team/rolebindings`;

  it('masters bind anything', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([]));
    const missing = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'missing' });
    await admission(write(ADMIN, 'POST', ROLE_BINDINGS_PATH, missing));
  });

  it('bind verb allows binding', async () => {
    const authorizer = new FakeAuthorizer((attributes) => attributes.verb === 'bind');
    const resolver = new FakeRuleResolver([]);
    const admission = admissionWith(authorizer, resolver);
    const bound = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'pod-reader' });
    await admission(write(JANE, 'POST', ROLE_BINDINGS_PATH, bound));
    expect(authorizer.requests).to.deep.equal([
      {
        user: JANE,
        verb: 'bind',
        isResourceRequest: true,
        path: '',
        namespace: 'team',
        apiGroup: RBAC,
        apiVersion: '*',
        resource: 'clusterroles',
        subresource: '',
        name: 'pod-reader',
      },
    ]);
    expect(resolver.namespaces).to.deep.equal([]);
  });

  it('bind verb checked on roles', async () => {
    const authorizer = new FakeAuthorizer((attributes) => attributes.verb === 'bind');
    const admission = admissionWith(authorizer, new FakeRuleResolver([]));
    const bound = binding('RoleBinding', 'b', { kind: 'Role', name: 'secret-reader' });
    await admission(write(JANE, 'POST', ROLE_BINDINGS_PATH, bound));
    expect(authorizer.requests[0]?.resource).to.equal('roles');
    expect(authorizer.requests[0]?.name).to.equal('secret-reader');
  });

  it('held role rules allow binding', async () => {
    const resolver = new FakeRuleResolver([READ_SECRETS]);
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    const bound = binding('RoleBinding', 'b', { kind: 'Role', name: 'secret-reader' });
    await admission(write(JANE, 'POST', ROLE_BINDINGS_PATH, bound));
    expect(resolver.namespaces).to.deep.equal(['team']);
  });

  it('missing role rules give 403', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([READ_PODS]));
    const bound = binding('RoleBinding', 'read', { kind: 'Role', name: 'secret-reader' });
    const err = await rejection(admission, write(JANE, 'POST', ROLE_BINDINGS_PATH, bound));
    expect(err.code).to.equal(403);
    expect(err.status.message).to.equal(
      'rolebindings.rbac.authorization.k8s.io "read" is forbidden: ' +
        JANE_LACKS +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
    );
    expect(err.status.details).to.deep.equal({ name: 'read', group: RBAC, kind: 'rolebindings' });
  });

  it('cluster binding resolves cluster rules', async () => {
    const resolver = new FakeRuleResolver([]);
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    const bound = binding('ClusterRoleBinding', 'read', {
      kind: 'ClusterRole',
      name: 'pod-reader',
    });
    const err = await rejection(
      admission,
      write(JANE, 'POST', `${RBAC_V1}/clusterrolebindings`, bound),
    );
    expect(err.status.message).to.match(
      /^clusterrolebindings\.rbac\.authorization\.k8s\.io "read" is forbidden: user "jane"/,
    );
    expect(resolver.namespaces).to.deep.equal(['']);
  });

  const missingRoleCases: {
    name: string;
    path: string;
    object: StoredObject;
    expectMessage: string;
  }[] = [
    {
      name: 'missing cluster role',
      path: ROLE_BINDINGS_PATH,
      object: binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'gone' }),
      expectMessage: 'clusterroles.rbac.authorization.k8s.io "gone" not found',
    },
    {
      name: 'role of other namespace',
      path: `${RBAC_V1}/namespaces/default/rolebindings`,
      object: binding('RoleBinding', 'b', { kind: 'Role', name: 'secret-reader' }),
      expectMessage: 'roles.rbac.authorization.k8s.io "secret-reader" not found',
    },
  ];

  for (const tc of missingRoleCases) {
    it(`${tc.name} gives 404`, async () => {
      const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver(EVERYTHING));
      const err = await rejection(admission, write(JANE, 'POST', tc.path, tc.object));
      expect(err.code).to.equal(404);
      expect(err.reason).to.equal('NotFound');
      expect(err.status.message).to.equal(tc.expectMessage);
    });
  }

  it('bind verb allows missing role', async () => {
    const authorizer = new FakeAuthorizer((attributes) => attributes.verb === 'bind');
    const admission = admissionWith(authorizer, new FakeRuleResolver([]));
    const bound = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'gone' });
    await admission(write(JANE, 'POST', ROLE_BINDINGS_PATH, bound));
  });

  it('subject change checks role rules', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([]));
    const old = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'pod-reader' });
    const updated = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'pod-reader' }, [
      'jane',
      'joe',
    ]);
    const err = await rejection(
      admission,
      write(JANE, 'PUT', `${ROLE_BINDINGS_PATH}/b`, updated, old),
    );
    expect(err.code).to.equal(403);
  });

  it('finalizer change skips checks', async () => {
    const resolver = new FakeRuleResolver([]);
    const admission = admissionWith(new FakeAuthorizer(), resolver);
    const old = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'gone' });
    const updated = structuredClone(old);
    updated.metadata.finalizers = ['example.com/cleanup'];
    await admission(write(JANE, 'PUT', `${ROLE_BINDINGS_PATH}/b`, updated, old));
    expect(resolver.namespaces).to.deep.equal([]);
  });

  const roleRefCases: {
    name: string;
    user: UserInfo;
    path: string;
    kind: 'RoleBinding' | 'ClusterRoleBinding';
    expectMessage: string;
  }[] = [
    {
      name: 'roleRef change by masters',
      user: ADMIN,
      path: `${ROLE_BINDINGS_PATH}/b`,
      kind: 'RoleBinding',
      expectMessage:
        'RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: ' +
        'rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"admin"}: ' +
        'cannot change roleRef',
    },
    {
      name: 'roleRef change with bind',
      user: JANE,
      path: `${RBAC_V1}/clusterrolebindings/b`,
      kind: 'ClusterRoleBinding',
      expectMessage:
        'ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: ' +
        'rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"admin"}: ' +
        'cannot change roleRef',
    },
  ];

  for (const tc of roleRefCases) {
    it(`${tc.name} gives 422`, async () => {
      const authorizer = new FakeAuthorizer((attributes) => attributes.verb === 'bind');
      const admission = admissionWith(authorizer, new FakeRuleResolver([]));
      const old = binding(tc.kind, 'b', { kind: 'ClusterRole', name: 'pod-reader' });
      const updated = binding(tc.kind, 'b', { kind: 'ClusterRole', name: 'admin' });
      const err = await rejection(admission, write(tc.user, 'PUT', tc.path, updated, old));
      expect(err.code).to.equal(422);
      expect(err.reason).to.equal('Invalid');
      expect(err.status.message).to.equal(tc.expectMessage);
      expect(err.status.details?.causes).to.deep.equal([
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", ' +
            'Name:"admin"}: cannot change roleRef',
          field: 'roleRef',
        },
      ]);
    });
  }

  it('roleRef change without bind gives 403', async () => {
    const admission = admissionWith(new FakeAuthorizer(), new FakeRuleResolver([]));
    const old = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'pod-reader' });
    const updated = binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'pod-reader' });
    updated.roleRef = { apiGroup: RBAC, kind: 'Role', name: 'secret-reader' };
    const err = await rejection(
      admission,
      write(JANE, 'PUT', `${ROLE_BINDINGS_PATH}/b`, updated, old),
    );
    expect(err.code).to.equal(403);
  });
});

describe('rbacWriteAdmission other writes', () => {
  const cases: { name: string; method: string; path: string }[] = [
    { name: 'pod create', method: 'POST', path: '/api/v1/namespaces/team/pods' },
    {
      name: 'roles of other group',
      method: 'POST',
      path: '/apis/example.com/v1/namespaces/team/roles',
    },
    { name: 'non-resource request', method: 'POST', path: '/logs' },
  ];

  for (const tc of cases) {
    it(`${tc.name} ignored`, async () => {
      const authorizer = new FakeAuthorizer();
      const resolver = new FakeRuleResolver([]);
      const admission = rbacWriteAdmission({
        authorizer,
        ruleResolver: resolver,
        resources: await newRegistry(),
      });
      await admission(write(JANE, tc.method, tc.path, role('r', EVERYTHING)));
      expect(authorizer.requests).to.deep.equal([]);
      expect(resolver.namespaces).to.deep.equal([]);
    });
  }
});
