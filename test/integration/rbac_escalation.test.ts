import { expect } from 'chai';
import type { Context, Middleware, Next } from 'koa';
import { StatusError } from '../../pkg/apiserver/errors/statuserror.js';
import type {
  Authorizer,
  PolicyRule,
  ResolvedRules,
  RuleResolver,
} from '../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../pkg/auth/user/user.js';
import { newRESTDependencies } from '../../pkg/endpoints/handlers/rest/dependencies.js';
import { serveResourceRequest } from '../../pkg/endpoints/handlers/rest/handler.js';
import { writeStatusError } from '../../pkg/endpoints/responsewriters/writers.js';
import { withRequestInfo } from '../../pkg/genericapiserver/filters/request_info.js';
import { mustRequestInfo, setUser } from '../../pkg/genericapiserver/request/context.js';
import { rbacWriteAdmission } from '../../pkg/registry/rbac/escalation.js';
import { ResourceRegistry } from '../../pkg/registry/registry.js';
import { BUILTIN_RESOURCES } from '../../pkg/registry/resources/index.js';
import { MemoryStorage } from '../../pkg/storage/memory/memory_storage.js';
import { KoaTestServer, silentLogger, type TestResponse } from '../unit/helpers/koa_context.js';

/**
 * RBAC's escalation check through the REST write handlers, a ResourceRegistry and its
 * GenericStores on memory storage. The authorizer and rule resolver are fakes: the authorizer
 * allows nothing, and the resolver returns a fixed list of rules per user.
 */

const RBAC = 'rbac.authorization.k8s.io';
const ROLES_PATH = `/apis/${RBAC}/v1/namespaces/team/roles`;
const ROLE_BINDINGS_PATH = `/apis/${RBAC}/v1/namespaces/team/rolebindings`;

const READ_PODS: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] };
const READ_SECRETS: PolicyRule = {
  verbs: ['get', 'list'],
  apiGroups: [''],
  resources: ['secrets'],
};

/** The users a request can name in its X-Test-User header. */
const USERS: Record<string, UserInfo> = {
  admin: newUserInfo({ name: 'admin', groups: ['system:masters', 'system:authenticated'] }),
  jane: newUserInfo({ name: 'jane', groups: ['devs', 'system:authenticated'] }),
};

/** The rules each user holds, in every namespace. */
const HELD_RULES: Record<string, PolicyRule[]> = { jane: [READ_PODS] };

const JANE_LACKS_SECRETS =
  'user "jane" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions ' +
  'not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}';

const staticRuleResolver: RuleResolver = {
  rulesFor: (user) =>
    Promise.resolve<ResolvedRules>({
      resourceRules: HELD_RULES[user.name] ?? [],
      nonResourceRules: [],
      incomplete: false,
      evaluationError: '',
    }),
};

const denyingAuthorizer: Authorizer = {
  authorize: () => Promise.resolve({ decision: 'noOpinion', reason: '' }),
};

/** Sets the user named by the X-Test-User header, standing in for authentication. */
const testUser: Middleware = async (ctx: Context, next: Next) => {
  const user = USERS[ctx.get('X-Test-User')];
  if (user === undefined) throw new Error(`unknown test user ${ctx.get('X-Test-User')}`);
  setUser(ctx, user);
  await next();
};

function role(name: string, rules: PolicyRule[]): Record<string, unknown> {
  return { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name }, rules };
}

function roleBinding(name: string, clusterRole: string): Record<string, unknown> {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: clusterRole },
    subjects: [{ apiGroup: RBAC, kind: 'User', name: 'joe' }],
  };
}

describe('RBAC escalation through REST writes', function () {
  let server: KoaTestServer;
  const stop = new AbortController();

  before(async function () {
    const registry = new ResourceRegistry(BUILTIN_RESOURCES, new MemoryStorage(), silentLogger());
    await registry.bootstrap();
    const deps = newRESTDependencies({
      minRequestTimeoutSeconds: 1800,
      stop: stop.signal,
      deleteNamespaceContents: (namespace) => registry.deleteNamespaceContents(namespace),
      logger: silentLogger(),
      admission: rbacWriteAdmission({
        authorizer: denyingAuthorizer,
        ruleResolver: staticRuleResolver,
        resources: registry,
      }),
    });
    const serveREST: Middleware = async (ctx) => {
      try {
        const info = mustRequestInfo(ctx);
        const lookup = registry.lookup.bind(registry);
        if (!(await serveResourceRequest(ctx, info, lookup, deps))) ctx.status = 404;
      } catch (err) {
        if (!(err instanceof StatusError)) throw err;
        writeStatusError(ctx, err);
      }
    };
    server = await KoaTestServer.start([withRequestInfo(), testUser, serveREST]);

    const setup: [string, string, unknown][] = [
      [
        'POST',
        '/api/v1/namespaces',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      ],
      [
        'POST',
        `/apis/${RBAC}/v1/clusterroles`,
        { ...role('pod-reader', [READ_PODS]), kind: 'ClusterRole' },
      ],
      [
        'POST',
        `/apis/${RBAC}/v1/clusterroles`,
        { ...role('secret-reader', [READ_SECRETS]), kind: 'ClusterRole' },
      ],
      ['POST', ROLES_PATH, role('secrets', [READ_SECRETS])],
      ['POST', ROLES_PATH, role('pod-viewer', [READ_PODS])],
      ['POST', ROLE_BINDINGS_PATH, roleBinding('pods', 'pod-reader')],
    ];
    for (const [method, path, body] of setup) {
      const response = await send('admin', method, path, body);
      expect(response.status, `${method} ${path}: ${response.body}`).to.equal(201);
    }
  });

  after(async function () {
    stop.abort();
    await server?.close();
  });

  function send(
    user: string,
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { 'X-Test-User': user, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = contentType;
    return server.request({
      method,
      path,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  interface WriteCase {
    name: string;
    user: string;
    method: string;
    path: string;
    body: unknown;
    contentType?: string;
    expectCode: number;
    /** The exact Status message, for rejected writes. */
    expectMessage?: string;
  }

  const cases: WriteCase[] = [
    {
      name: 'held rules create role',
      user: 'jane',
      method: 'POST',
      path: ROLES_PATH,
      body: role('pod-lister', [READ_PODS]),
      expectCode: 201,
    },
    {
      name: 'missing rules reject create',
      user: 'jane',
      method: 'POST',
      path: ROLES_PATH,
      body: role('secret-viewer', [READ_SECRETS]),
      expectCode: 403,
      expectMessage: `roles.${RBAC} "secret-viewer" is forbidden: ${JANE_LACKS_SECRETS}`,
    },
    {
      name: 'dry run create checked',
      user: 'jane',
      method: 'POST',
      path: `${ROLES_PATH}?dryRun=All`,
      body: role('secret-viewer', [READ_SECRETS]),
      expectCode: 403,
      expectMessage: `roles.${RBAC} "secret-viewer" is forbidden: ${JANE_LACKS_SECRETS}`,
    },
    {
      name: 'masters create any role',
      user: 'admin',
      method: 'POST',
      path: `${ROLES_PATH}?dryRun=All`,
      body: role('secret-viewer', [READ_SECRETS]),
      expectCode: 201,
    },
    {
      name: 'patch checks merged role',
      user: 'jane',
      method: 'PATCH',
      path: `${ROLES_PATH}/secrets`,
      body: { metadata: { labels: { team: 'a' } } },
      contentType: 'application/merge-patch+json',
      expectCode: 403,
      expectMessage: `roles.${RBAC} "secrets" is forbidden: ${JANE_LACKS_SECRETS}`,
    },
    {
      name: 'dry run patch checked',
      user: 'jane',
      method: 'PATCH',
      path: `${ROLES_PATH}/secrets?dryRun=All`,
      body: { metadata: { labels: { team: 'a' } } },
      contentType: 'application/merge-patch+json',
      expectCode: 403,
      expectMessage: `roles.${RBAC} "secrets" is forbidden: ${JANE_LACKS_SECRETS}`,
    },
    {
      name: 'update adding rules rejected',
      user: 'jane',
      method: 'PUT',
      path: `${ROLES_PATH}/pod-viewer`,
      body: role('pod-viewer', [READ_PODS, READ_SECRETS]),
      expectCode: 403,
      expectMessage: `roles.${RBAC} "pod-viewer" is forbidden: ${JANE_LACKS_SECRETS}`,
    },
    {
      name: 'binding held role allowed',
      user: 'jane',
      method: 'POST',
      path: ROLE_BINDINGS_PATH,
      body: roleBinding('view-pods', 'pod-reader'),
      expectCode: 201,
    },
    {
      name: 'binding unheld role rejected',
      user: 'jane',
      method: 'POST',
      path: ROLE_BINDINGS_PATH,
      body: roleBinding('view-secrets', 'secret-reader'),
      expectCode: 403,
      expectMessage: `rolebindings.${RBAC} "view-secrets" is forbidden: ${JANE_LACKS_SECRETS}`,
    },
    {
      name: 'binding missing role rejected',
      user: 'jane',
      method: 'POST',
      path: ROLE_BINDINGS_PATH,
      body: roleBinding('view-nothing', 'gone'),
      expectCode: 404,
      expectMessage: `clusterroles.${RBAC} "gone" not found`,
    },
    {
      name: 'roleRef patch rejected',
      user: 'admin',
      method: 'PATCH',
      path: `${ROLE_BINDINGS_PATH}/pods`,
      body: { roleRef: { name: 'secret-reader' } },
      contentType: 'application/merge-patch+json',
      expectCode: 422,
      expectMessage:
        `RoleBinding.${RBAC} "pods" is invalid: roleRef: Invalid value: ` +
        `rbac.RoleRef{APIGroup:"${RBAC}", Kind:"ClusterRole", Name:"secret-reader"}: ` +
        'cannot change roleRef',
    },
  ];

  for (const tc of cases) {
    it(tc.name, async function () {
      const response = await send(tc.user, tc.method, tc.path, tc.body, tc.contentType);
      expect(response.status, response.body).to.equal(tc.expectCode);
      if (tc.expectMessage === undefined) return;
      const status = JSON.parse(response.body) as Record<string, unknown>;
      expect(status.kind).to.equal('Status');
      expect(status.code).to.equal(tc.expectCode);
      expect(status.message).to.equal(tc.expectMessage);
    });
  }

  it('allowed dry run not stored', async function () {
    const response = await send(
      'jane',
      'POST',
      `${ROLES_PATH}?dryRun=All`,
      role('dry', [READ_PODS]),
    );
    expect(response.status, response.body).to.equal(201);
    const stored = await send('admin', 'GET', `${ROLES_PATH}/dry`);
    expect(stored.status).to.equal(404);
  });

  it('forbidden Status body complete', async function () {
    const response = await send('jane', 'POST', ROLES_PATH, role('secret-viewer', [READ_SECRETS]));
    expect(response.status).to.equal(403);
    expect(JSON.parse(response.body)).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `roles.${RBAC} "secret-viewer" is forbidden: ${JANE_LACKS_SECRETS}`,
      reason: 'Forbidden',
      details: { name: 'secret-viewer', group: RBAC, kind: 'roles' },
      code: 403,
    });
  });

  it('rejected writes leave storage unchanged', async function () {
    const created = await send('admin', 'GET', `${ROLES_PATH}/secret-viewer`);
    expect(created.status).to.equal(404);
    const patched = JSON.parse((await send('admin', 'GET', `${ROLES_PATH}/secrets`)).body) as {
      metadata: { labels?: Record<string, string> };
    };
    expect(patched.metadata.labels).to.equal(undefined);
    const updated = JSON.parse((await send('admin', 'GET', `${ROLES_PATH}/pod-viewer`)).body) as {
      rules: PolicyRule[];
    };
    expect(updated.rules).to.deep.equal([READ_PODS]);
    const binding = await send('admin', 'GET', `${ROLE_BINDINGS_PATH}/view-secrets`);
    expect(binding.status).to.equal(404);
  });
});
