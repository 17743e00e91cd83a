import { expect } from 'chai';
import type {
  Attributes,
  AuthorizationResult,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import type { ResourceRegistry } from '../../../../../../pkg/registry/registry.js';
import { MemoryStorage } from '../../../../../../pkg/storage/memory/memory_storage.js';
import {
  newRBACAuthorizer,
  type RBACAuthorizer,
} from '../../../../../../plugin/auth/authorizer/rbac/rbac.js';
import { recordingLogger, silentLogger } from '../../../../helpers/koa_context.js';
import {
  bindingObject,
  createBinding,
  createNamespace,
  createRole,
  newRegistry,
  pathRequest,
  rbacStore,
  resourceRequest,
  roleObject,
  user,
  type SubjectFields,
} from './fixtures.js';

const POD_READER = [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }];
const NODE_VIEWER = [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }];
const SECRET_EDITOR = [{ verbs: ['*'], apiGroups: [''], resources: ['secrets'] }];
const HEALTH_READER = [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] }];

const jane = user('jane', ['system:authenticated']);
const bob = user('bob', ['system:authenticated']);
const carol = user('carol', ['system:authenticated']);
const devMember = user('dana', ['devs', 'system:authenticated']);
const robot = user('system:serviceaccount:team-a:robot', ['system:serviceaccounts']);
const otherRobot = user('system:serviceaccount:team-b:robot', ['system:serviceaccounts']);
const builder = user('system:serviceaccount:ci:builder', ['system:serviceaccounts']);
const stranger = user('mallory', ['system:authenticated']);

function allowed(reason: string): AuthorizationResult {
  return { decision: 'allow', reason };
}

function noOpinion(reason = ''): AuthorizationResult {
  return { decision: 'noOpinion', reason };
}

/** Stores the roles and bindings the decision table reads. */
async function createPolicy(resources: ResourceRegistry): Promise<void> {
  await createNamespace(resources, 'team-a');
  await createNamespace(resources, 'team-b');

  await createRole(resources, '', 'pod-reader', POD_READER);
  await createRole(resources, '', 'node-viewer', NODE_VIEWER);
  await createRole(resources, '', 'health-reader', HEALTH_READER);
  await createRole(resources, 'team-a', 'secret-editor', SECRET_EDITOR);

  const bindings: {
    namespace: string;
    name: string;
    roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
    subject: SubjectFields;
  }[] = [
    {
      namespace: '',
      name: 'jane-nodes',
      roleRef: { kind: 'ClusterRole', name: 'node-viewer' },
      subject: { kind: 'User', name: 'jane' },
    },
    {
      namespace: 'team-a',
      name: 'jane-secrets',
      roleRef: { kind: 'Role', name: 'secret-editor' },
      subject: { kind: 'User', name: 'jane' },
    },
    {
      namespace: 'team-a',
      name: 'devs-pods',
      roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
      subject: { kind: 'Group', name: 'devs' },
    },
    {
      namespace: 'team-b',
      name: 'bob-pods',
      roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
      subject: { kind: 'User', name: 'bob' },
    },
    {
      namespace: 'team-a',
      name: 'robot-pods',
      roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
      subject: { kind: 'ServiceAccount', name: 'robot' },
    },
    {
      namespace: '',
      name: 'builder-health',
      roleRef: { kind: 'ClusterRole', name: 'health-reader' },
      subject: { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
    },
    {
      namespace: 'team-a',
      name: 'carol-missing',
      roleRef: { kind: 'Role', name: 'nope' },
      subject: { kind: 'User', name: 'carol' },
    },
    {
      namespace: '',
      name: 'carol-gone',
      roleRef: { kind: 'ClusterRole', name: 'gone' },
      subject: { kind: 'User', name: 'carol' },
    },
  ];
  for (const { namespace, name, roleRef, subject } of bindings) {
    await createBinding(resources, namespace, name, roleRef, [subject]);
  }
}

describe('RBAC authorizer decisions', () => {
  let authorizer: RBACAuthorizer;

  before(async () => {
    const resources = await newRegistry();
    await createPolicy(resources);
    authorizer = await newRBACAuthorizer(resources, silentLogger());
  });

  after(() => authorizer.close());

  const cases: { name: string; attributes: Attributes; expected: AuthorizationResult }[] = [
    {
      name: 'ClusterRoleBinding allows cluster-scoped get',
      attributes: resourceRequest(jane, { verb: 'get', resource: 'nodes', name: 'node-1' }),
      expected: allowed(
        'RBAC: allowed by ClusterRoleBinding "jane-nodes" of ClusterRole "node-viewer" to User "jane"',
      ),
    },
    {
      name: 'ClusterRoleBinding applies in every namespace',
      attributes: resourceRequest(jane, { verb: 'get', resource: 'nodes', namespace: 'team-b' }),
      expected: allowed(
        'RBAC: allowed by ClusterRoleBinding "jane-nodes" of ClusterRole "node-viewer" to User "jane"',
      ),
    },
    {
      name: 'RoleBinding to Role allows namespace',
      attributes: resourceRequest(jane, {
        verb: 'delete',
        resource: 'secrets',
        namespace: 'team-a',
      }),
      expected: allowed(
        'RBAC: allowed by RoleBinding "jane-secrets/team-a" of Role "secret-editor" to User "jane"',
      ),
    },
    {
      name: 'RoleBinding ignored in other namespace',
      attributes: resourceRequest(jane, {
        verb: 'delete',
        resource: 'secrets',
        namespace: 'team-b',
      }),
      expected: noOpinion(),
    },
    {
      name: 'RoleBinding ignored for cluster-wide request',
      attributes: resourceRequest(jane, { verb: 'list', resource: 'secrets' }),
      expected: noOpinion(),
    },
    {
      name: 'verb outside rule not allowed',
      attributes: resourceRequest(jane, { verb: 'delete', resource: 'nodes', name: 'node-1' }),
      expected: noOpinion(),
    },
    {
      name: 'RoleBinding to ClusterRole allows group member',
      attributes: resourceRequest(devMember, {
        verb: 'list',
        resource: 'pods',
        namespace: 'team-a',
      }),
      expected: allowed(
        'RBAC: allowed by RoleBinding "devs-pods/team-a" of ClusterRole "pod-reader" to Group "devs"',
      ),
    },
    {
      name: 'RoleBinding to ClusterRole stays local',
      attributes: resourceRequest(devMember, {
        verb: 'list',
        resource: 'pods',
        namespace: 'team-b',
      }),
      expected: noOpinion(),
    },
    {
      name: 'other namespace binding does not apply',
      attributes: resourceRequest(bob, { verb: 'get', resource: 'pods', namespace: 'team-a' }),
      expected: noOpinion(),
    },
    {
      name: 'user binding in own namespace applies',
      attributes: resourceRequest(bob, { verb: 'get', resource: 'pods', namespace: 'team-b' }),
      expected: allowed(
        'RBAC: allowed by RoleBinding "bob-pods/team-b" of ClusterRole "pod-reader" to User "bob"',
      ),
    },
    {
      name: 'service account defaults to binding namespace',
      attributes: resourceRequest(robot, { verb: 'watch', resource: 'pods', namespace: 'team-a' }),
      expected: allowed(
        'RBAC: allowed by RoleBinding "robot-pods/team-a" of ClusterRole "pod-reader" to ServiceAccount "robot/team-a"',
      ),
    },
    {
      name: 'same-named account elsewhere is not matched',
      attributes: resourceRequest(otherRobot, {
        verb: 'watch',
        resource: 'pods',
        namespace: 'team-a',
      }),
      expected: noOpinion(),
    },
    {
      name: 'ClusterRoleBinding service account allows path',
      attributes: pathRequest(builder, 'get', '/healthz'),
      expected: allowed(
        'RBAC: allowed by ClusterRoleBinding "builder-health" of ClusterRole "health-reader" to ServiceAccount "builder/ci"',
      ),
    },
    {
      name: 'path prefix rule allows subpath',
      attributes: pathRequest(builder, 'get', '/apis/apps/v1'),
      expected: allowed(
        'RBAC: allowed by ClusterRoleBinding "builder-health" of ClusterRole "health-reader" to ServiceAccount "builder/ci"',
      ),
    },
    {
      name: 'path outside rule not allowed',
      attributes: pathRequest(builder, 'get', '/metrics'),
      expected: noOpinion(),
    },
    {
      name: 'missing roles reported in namespace',
      attributes: resourceRequest(carol, { verb: 'get', resource: 'pods', namespace: 'team-a' }),
      expected: noOpinion(
        'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, ' +
          'role.rbac.authorization.k8s.io "nope" not found]',
      ),
    },
    {
      name: 'missing ClusterRole reported cluster-wide',
      attributes: resourceRequest(carol, { verb: 'get', resource: 'pods' }),
      expected: noOpinion('RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found'),
    },
    {
      name: 'user without bindings gets no opinion',
      attributes: resourceRequest(stranger, { verb: 'get', resource: 'pods', namespace: 'team-a' }),
      expected: noOpinion(),
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      expect(await authorizer.authorize(testCase.attributes)).to.deep.equal(testCase.expected);
    });
  }
});

describe('RBAC authorizer rulesFor', () => {
  let authorizer: RBACAuthorizer;

  before(async () => {
    const resources = await newRegistry();
    await createPolicy(resources);
    authorizer = await newRBACAuthorizer(resources, silentLogger());
  });

  after(() => authorizer.close());

  it('lists cluster and namespace rules', async () => {
    const rules = await authorizer.rulesFor(jane, 'team-a');
    expect(rules.resourceRules).to.deep.equal([...NODE_VIEWER, ...SECRET_EDITOR]);
    expect(rules.nonResourceRules).to.deep.equal([]);
    expect(rules.incomplete).to.equal(false);
    expect(rules.evaluationError).to.equal('');
  });

  it('lists only cluster rules without namespace', async () => {
    const rules = await authorizer.rulesFor(jane, '');
    expect(rules.resourceRules).to.deep.equal(NODE_VIEWER);
  });

  it('splits out non-resource rules', async () => {
    const rules = await authorizer.rulesFor(builder, '');
    expect(rules.resourceRules).to.deep.equal([]);
    expect(rules.nonResourceRules).to.deep.equal(HEALTH_READER);
  });

  it('keeps resourceNames of a rule', async () => {
    const resources = await newRegistry();
    const named = [
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
    ];
    await createRole(resources, '', 'settings-reader', named);
    await createBinding(
      resources,
      '',
      'ann-settings',
      { kind: 'ClusterRole', name: 'settings-reader' },
      [{ kind: 'User', name: 'ann' }],
    );
    const own = await newRBACAuthorizer(resources, silentLogger());
    try {
      expect((await own.rulesFor(user('ann'), 'default')).resourceRules).to.deep.equal(named);
    } finally {
      own.close();
    }
  });

  it('reports missing roles as evaluation error', async () => {
    const rules = await authorizer.rulesFor(carol, 'team-a');
    expect(rules.resourceRules).to.deep.equal([]);
    expect(rules.incomplete).to.equal(false);
    expect(rules.evaluationError).to.equal(
      '[clusterrole.rbac.authorization.k8s.io "gone" not found, ' +
        'role.rbac.authorization.k8s.io "nope" not found]',
    );
  });

  it('lists nothing for unbound user', async () => {
    expect(await authorizer.rulesFor(stranger, 'team-a')).to.deep.equal({
      resourceRules: [],
      nonResourceRules: [],
      incomplete: false,
      evaluationError: '',
    });
  });
});

describe('RBAC authorizer index updates', () => {
  let storage: MemoryStorage;
  let resources: ResourceRegistry;
  let authorizer: RBACAuthorizer;
  const getPods = resourceRequest(jane, { verb: 'get', resource: 'pods', namespace: 'team-a' });
  const bobGetPods = resourceRequest(bob, { verb: 'get', resource: 'pods', namespace: 'team-a' });

  beforeEach(async () => {
    storage = new MemoryStorage();
    resources = await newRegistry(storage);
    await createNamespace(resources, 'team-a');
    await createRole(resources, '', 'pod-reader', POD_READER);
    authorizer = await newRBACAuthorizer(resources, silentLogger());
  });

  afterEach(() => authorizer.close());

  it('created binding applies at once', async () => {
    await createBinding(
      resources,
      'team-a',
      'jane-pods',
      { kind: 'ClusterRole', name: 'pod-reader' },
      [{ kind: 'User', name: 'jane' }],
    );
    // No await between the write and the decision besides the write itself.
    expect((await authorizer.authorize(getPods)).decision).to.equal('allow');
  });

  it('storage write applies at once', async () => {
    // A write straight to storage resolves in fewer steps than one through the store.
    const key = rbacStore(resources, 'clusterrolebindings').key('', 'jane-pods');
    await storage.create(
      key,
      bindingObject('', 'jane-pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
        { kind: 'User', name: 'jane' },
      ]),
    );
    expect((await authorizer.authorize(getPods)).decision).to.equal('allow');
    expect((await authorizer.rulesFor(jane, '')).resourceRules).to.deep.equal(POD_READER);
  });

  it('created ClusterRoleBinding applies at once', async () => {
    await createBinding(resources, '', 'jane-pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    expect((await authorizer.authorize(getPods)).decision).to.equal('allow');
  });

  it('updated binding subjects replace old ones', async () => {
    const store = rbacStore(resources, 'rolebindings');
    await createBinding(resources, 'team-a', 'pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    await store.update(
      'team-a',
      'pods',
      bindingObject('team-a', 'pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
        { kind: 'User', name: 'bob' },
      ]),
    );
    expect((await authorizer.authorize(getPods)).decision).to.equal('noOpinion');
    expect((await authorizer.authorize(bobGetPods)).decision).to.equal('allow');
  });

  it('deleted binding stops applying', async () => {
    await createBinding(resources, 'team-a', 'pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    expect((await authorizer.authorize(getPods)).decision).to.equal('allow');
    await rbacStore(resources, 'rolebindings').delete('team-a', 'pods');
    expect(await authorizer.authorize(getPods)).to.deep.equal(noOpinion());
  });

  it('deleted ClusterRoleBinding stops applying', async () => {
    await createBinding(resources, '', 'pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    await rbacStore(resources, 'clusterrolebindings').delete('', 'pods');
    expect(await authorizer.authorize(getPods)).to.deep.equal(noOpinion());
  });

  it('role created after binding applies', async () => {
    await createBinding(resources, 'team-a', 'pods', { kind: 'Role', name: 'reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    expect(await authorizer.authorize(getPods)).to.deep.equal(
      noOpinion('RBAC: role.rbac.authorization.k8s.io "reader" not found'),
    );
    await createRole(resources, 'team-a', 'reader', POD_READER);
    expect(await authorizer.authorize(getPods)).to.deep.equal(
      allowed('RBAC: allowed by RoleBinding "pods/team-a" of Role "reader" to User "jane"'),
    );
  });

  it('updated role rules change decisions', async () => {
    await createBinding(resources, 'team-a', 'pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    await rbacStore(resources, 'clusterroles').update(
      '',
      'pod-reader',
      roleObject('', 'pod-reader', NODE_VIEWER),
    );
    expect((await authorizer.authorize(getPods)).decision).to.equal('noOpinion');
  });

  it('deleted role reported as not found', async () => {
    await createBinding(resources, 'team-a', 'pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    await rbacStore(resources, 'clusterroles').delete('', 'pod-reader');
    expect(await authorizer.authorize(getPods)).to.deep.equal(
      noOpinion('RBAC: clusterrole.rbac.authorization.k8s.io "pod-reader" not found'),
    );
  });

  it('deleted namespace drops its bindings', async () => {
    await createBinding(resources, 'team-a', 'pods', { kind: 'ClusterRole', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
    ]);
    await resources.deleteNamespaceContents('team-a');
    expect(await authorizer.authorize(getPods)).to.deep.equal(noOpinion());
  });
});

describe('RBAC authorizer watch restarts', () => {
  it('relists after watch overflow', async () => {
    // A buffer of one event ends the watch when writes commit faster than it is read.
    const storage = new MemoryStorage({ watchBufferLimit: 1 });
    const resources = await newRegistry(storage);
    await createRole(resources, '', 'pod-reader', POD_READER);
    const recording = recordingLogger();
    const authorizer = await newRBACAuthorizer(resources, recording.logger);
    try {
      const names = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
      await Promise.all(
        names.map((name) =>
          createBinding(resources, '', name, { kind: 'ClusterRole', name: 'pod-reader' }, [
            { kind: 'User', name },
          ]),
        ),
      );
      const ended = await recording.waitFor('watch ended, listing again');
      expect(ended.resource).to.equal('clusterrolebindings.rbac.authorization.k8s.io');
      await recording.waitFor('listed again, watching');
      for (const name of names) {
        const request = resourceRequest(user(name), { verb: 'get', resource: 'pods' });
        expect((await authorizer.authorize(request)).decision, name).to.equal('allow');
      }
    } finally {
      authorizer.close();
    }
  });

  it('close ends every watch', async () => {
    const storage = new MemoryStorage();
    const resources = await newRegistry(storage);
    const before = storage.watcherCount;
    const authorizer = await newRBACAuthorizer(resources, silentLogger());
    expect(storage.watcherCount).to.equal(before + 4);
    authorizer.close();
    expect(storage.watcherCount).to.equal(before);
  });
});
