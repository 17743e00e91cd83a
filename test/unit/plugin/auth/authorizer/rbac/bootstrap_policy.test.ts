import { expect } from 'chai';
import type {
  Attributes,
  AuthorizationResult,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import type { ResourceRegistry } from '../../../../../../pkg/registry/registry.js';
import type { StoredObject } from '../../../../../../pkg/storage/interfaces.js';
import {
  bootstrapClusterRoles,
  ensureBootstrapPolicy,
} from '../../../../../../plugin/auth/authorizer/rbac/bootstrappolicy/index.js';
import {
  newRBACAuthorizer,
  type RBACAuthorizer,
} from '../../../../../../plugin/auth/authorizer/rbac/rbac.js';
import { recordingLogger, silentLogger } from '../../../../helpers/koa_context.js';
import {
  createBinding,
  createNamespace,
  newRegistry,
  pathRequest,
  rbacStore,
  resourceRequest,
  user,
} from './fixtures.js';

const CLUSTER_ROLE_NAMES = [
  'cluster-admin',
  'system:discovery',
  'system:basic-user',
  'system:public-info-viewer',
  'admin',
  'edit',
  'view',
];

const BINDING_SUBJECTS: Record<string, string[]> = {
  'cluster-admin': ['system:masters'],
  'system:discovery': ['system:authenticated'],
  'system:basic-user': ['system:authenticated'],
  'system:public-info-viewer': ['system:authenticated', 'system:unauthenticated'],
};

function rulesOf(name: string): unknown[] {
  const role = bootstrapClusterRoles().find((candidate) => candidate.metadata.name === name);
  if (role === undefined) throw new Error(`no bootstrap ClusterRole ${name}`);
  return role.rules as unknown[];
}

async function names(resources: ResourceRegistry, plural: string): Promise<string[]> {
  const page = await rbacStore(resources, plural).list('');
  return page.items.map((item) => String(item.metadata.name));
}

describe('ensureBootstrapPolicy', () => {
  it('creates default roles and bindings', async () => {
    const resources = await newRegistry();
    await ensureBootstrapPolicy(resources, silentLogger());
    expect(await names(resources, 'clusterroles')).to.have.members(CLUSTER_ROLE_NAMES);
    expect(await names(resources, 'clusterrolebindings')).to.have.members(
      Object.keys(BINDING_SUBJECTS),
    );
  });

  it('binds each default to its groups', async () => {
    const resources = await newRegistry();
    await ensureBootstrapPolicy(resources, silentLogger());
    const store = rbacStore(resources, 'clusterrolebindings');
    for (const [name, groups] of Object.entries(BINDING_SUBJECTS)) {
      const binding = await store.get('', name);
      expect(binding.roleRef, name).to.deep.equal({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name,
      });
      expect(binding.subjects, name).to.deep.equal(
        groups.map((group) => ({
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: group,
        })),
      );
    }
  });

  it('labels and annotates every object', async () => {
    const resources = await newRegistry();
    await ensureBootstrapPolicy(resources, silentLogger());
    for (const plural of ['clusterroles', 'clusterrolebindings']) {
      for (const item of (await rbacStore(resources, plural).list('')).items) {
        const { name, labels, annotations } = item.metadata;
        expect(labels, String(name)).to.include({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
        expect(annotations, String(name)).to.deep.equal({
          'rbac.authorization.kubernetes.io/autoupdate': 'true',
        });
      }
    }
  });

  it('leaves existing objects alone', async () => {
    const resources = await newRegistry();
    const store = rbacStore(resources, 'clusterroles');
    const edited: StoredObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'view' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
    };
    await store.create('', edited);
    await ensureBootstrapPolicy(resources, silentLogger());
    expect((await store.get('', 'view')).rules).to.deep.equal(edited.rules);
  });

  it('recreates deleted defaults on rerun', async () => {
    const resources = await newRegistry();
    await ensureBootstrapPolicy(resources, silentLogger());
    await rbacStore(resources, 'clusterrolebindings').delete('', 'system:basic-user');
    const recording = recordingLogger();
    await ensureBootstrapPolicy(resources, recording.logger);
    const created = recording.entries.filter((entry) => entry.level === 'debug');
    expect(created.map((entry) => entry.message)).to.deep.equal([
      'created clusterrolebinding.rbac.authorization.k8s.io/system:basic-user',
    ]);
  });

  it('logs one summary', async () => {
    const resources = await newRegistry();
    const recording = recordingLogger();
    await ensureBootstrapPolicy(resources, recording.logger);
    const summaries = recording.entries.filter((entry) => entry.level === 'info');
    expect(summaries).to.have.length(1);
    expect(summaries[0]).to.include({
      message: 'RBAC bootstrap policy ensured',
      createdClusterRoles: 7,
      existingClusterRoles: 0,
      createdClusterRoleBindings: 4,
      existingClusterRoleBindings: 0,
    });
    expect(recording.entries.filter((entry) => entry.level === 'debug')).to.have.length(11);
  });
});

describe('bootstrap aggregated roles', () => {
  it('edit holds every view rule', () => {
    expect(rulesOf('edit')).to.deep.include.members(rulesOf('view'));
  });

  it('admin starts with edit rules', () => {
    const edit = rulesOf('edit');
    expect(rulesOf('admin').slice(0, edit.length)).to.deep.equal(edit);
  });

  it('admin adds RBAC and review rules', () => {
    expect(rulesOf('admin').slice(rulesOf('edit').length)).to.deep.equal([
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['localsubjectaccessreviews'],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings', 'roles'],
      },
    ]);
  });

  it('roles keep aggregation selectors', () => {
    const admin = bootstrapClusterRoles().find((role) => role.metadata.name === 'admin');
    expect(admin?.aggregationRule).to.deep.equal({
      clusterRoleSelectors: [
        { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } },
      ],
    });
  });
});

describe('bootstrap policy decisions', () => {
  let authorizer: RBACAuthorizer;
  const authenticated = user('jane', ['system:authenticated']);
  const anonymous = user('system:anonymous', ['system:unauthenticated']);
  const master = user('admin', ['system:masters', 'system:authenticated']);
  const nsAdmin = user('ann', ['system:authenticated']);
  const editor = user('ed', ['system:authenticated']);
  const viewer = user('vic', ['system:authenticated']);

  before(async () => {
    const resources = await newRegistry();
    await ensureBootstrapPolicy(resources, silentLogger());
    await createNamespace(resources, 'team-a');
    for (const [name, role] of [
      ['ann', 'admin'],
      ['ed', 'edit'],
      ['vic', 'view'],
    ] as const) {
      await createBinding(
        resources,
        'team-a',
        `${name}-${role}`,
        { kind: 'ClusterRole', name: role },
        [{ kind: 'User', name }],
      );
    }
    authorizer = await newRBACAuthorizer(resources, silentLogger());
  });

  after(() => authorizer.close());

  const allow = (binding: string, subject: string): AuthorizationResult => ({
    decision: 'allow',
    reason: `RBAC: allowed by ${binding} to ${subject}`,
  });
  const noOpinion: AuthorizationResult = { decision: 'noOpinion', reason: '' };

  const cases: { name: string; attributes: Attributes; expected: AuthorizationResult }[] = [
    {
      name: 'authenticated user reads discovery',
      attributes: pathRequest(authenticated, 'get', '/apis/apps/v1'),
      expected: allow(
        'ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery"',
        'Group "system:authenticated"',
      ),
    },
    {
      name: 'authenticated user creates SelfSubjectReview',
      attributes: resourceRequest(authenticated, {
        verb: 'create',
        resource: 'selfsubjectreviews',
        apiGroup: 'authentication.k8s.io',
      }),
      expected: allow(
        'ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user"',
        'Group "system:authenticated"',
      ),
    },
    {
      name: 'anonymous user reads healthz',
      attributes: pathRequest(anonymous, 'get', '/healthz'),
      expected: allow(
        'ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer"',
        'Group "system:unauthenticated"',
      ),
    },
    {
      name: 'anonymous user denied discovery',
      attributes: pathRequest(anonymous, 'get', '/api'),
      expected: noOpinion,
    },
    {
      name: 'authenticated user denied pods',
      attributes: resourceRequest(authenticated, { verb: 'list', resource: 'pods' }),
      expected: noOpinion,
    },
    {
      name: 'system:masters member does anything',
      attributes: resourceRequest(master, { verb: 'delete', resource: 'nodes', name: 'n1' }),
      expected: allow(
        'ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin"',
        'Group "system:masters"',
      ),
    },
    {
      name: 'admin binding allows RoleBinding writes',
      attributes: resourceRequest(nsAdmin, {
        verb: 'create',
        resource: 'rolebindings',
        apiGroup: 'rbac.authorization.k8s.io',
        namespace: 'team-a',
      }),
      expected: allow('RoleBinding "ann-admin/team-a" of ClusterRole "admin"', 'User "ann"'),
    },
    {
      name: 'edit binding denies RoleBinding writes',
      attributes: resourceRequest(editor, {
        verb: 'create',
        resource: 'rolebindings',
        apiGroup: 'rbac.authorization.k8s.io',
        namespace: 'team-a',
      }),
      expected: noOpinion,
    },
    {
      name: 'edit binding allows secret reads',
      attributes: resourceRequest(editor, {
        verb: 'get',
        resource: 'secrets',
        namespace: 'team-a',
      }),
      expected: allow('RoleBinding "ed-edit/team-a" of ClusterRole "edit"', 'User "ed"'),
    },
    {
      name: 'edit binding allows deployment scaling',
      attributes: resourceRequest(editor, {
        verb: 'patch',
        resource: 'deployments',
        apiGroup: 'apps',
        subresource: 'scale',
        namespace: 'team-a',
      }),
      expected: allow('RoleBinding "ed-edit/team-a" of ClusterRole "edit"', 'User "ed"'),
    },
    {
      name: 'view binding denies secret reads',
      attributes: resourceRequest(viewer, {
        verb: 'get',
        resource: 'secrets',
        namespace: 'team-a',
      }),
      expected: noOpinion,
    },
    {
      name: 'view binding allows pod reads',
      attributes: resourceRequest(viewer, { verb: 'list', resource: 'pods', namespace: 'team-a' }),
      expected: allow('RoleBinding "vic-view/team-a" of ClusterRole "view"', 'User "vic"'),
    },
    {
      name: 'view binding denies pod writes',
      attributes: resourceRequest(viewer, {
        verb: 'create',
        resource: 'pods',
        namespace: 'team-a',
      }),
      expected: noOpinion,
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      expect(await authorizer.authorize(testCase.attributes)).to.deep.equal(testCase.expected);
    });
  }
});
