import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
  type CompletedProcess,
} from '../helpers/e2e/apiserver_process.js';
import { send, type Reply } from '../helpers/e2e/http_client.js';
import { runKubectl, writeKubeconfig } from '../helpers/e2e/kubectl.js';
import { waitUntil } from '../helpers/e2e/wait.js';

const JANE_TOKEN = 'jane-token-0123456789';
const BOB_TOKEN = 'bob-token-0123456789';

/** Users of the --token-auth-file: token, user name, uid. None of them is in a group. */
const TOKEN_FILE = `${JANE_TOKEN},jane,1001\n${BOB_TOKEN},bob,1002\n`;

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** kubectl's message for any 403 from `kubectl auth whoami`, which hides the server's Status. */
const WHOAMI_FORBIDDEN =
  'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n';

/** The ClusterRoles kube-apiserver's bootstrap policy creates that this server serves. */
const BOOTSTRAP_CLUSTER_ROLES = [
  'admin',
  'cluster-admin',
  'edit',
  'system:basic-user',
  'system:discovery',
  'system:public-info-viewer',
  'view',
];

type Manifest = Record<string, unknown>;

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

function role(name: string, rules: Rule[]): Manifest {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: { name, namespace: 'demo' },
    rules,
  };
}

function userRoleBinding(name: string, user: string, roleName: string): Manifest {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: { name, namespace: 'demo' },
    subjects: [{ kind: 'User', name: user, apiGroup: RBAC_GROUP }],
    roleRef: { kind: 'Role', name: roleName, apiGroup: RBAC_GROUP },
  };
}

/** jane's policy in namespace demo: she may read pods and nothing else. */
const JANE_POLICY: Manifest[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } },
  role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]),
  userRoleBinding('jane-reads-pods', 'jane', 'pod-reader'),
];

/** Returns the output of `kubectl apply` for JANE_POLICY when each object gets `action`. */
function janePolicyApplied(action: string): string {
  return [
    `namespace/demo ${action}`,
    `role.rbac.authorization.k8s.io/pod-reader ${action}`,
    `rolebinding.rbac.authorization.k8s.io/jane-reads-pods ${action}`,
    '',
  ].join('\n');
}

/** Writes `manifests` as one multi-document YAML file in `dir` and returns its path. */
async function writeManifests(dir: string, fileName: string, manifests: Manifest[]) {
  const path = join(dir, fileName);
  await writeFile(path, manifests.map((manifest) => stringify(manifest)).join('---\n'));
  return path;
}

/** Runs kubectl and throws with its stderr unless it exits with status 0. */
async function mustKubectl(kubeconfig: string, args: string[]): Promise<CompletedProcess> {
  const result = await runKubectl(kubeconfig, args);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} exited with ${result.code}:\n${result.stderr}`);
  }
  return result;
}

/** One row of the `kubectl auth can-i --list` table. */
interface RulesRow {
  resource: string;
  nonResourceURLs: string;
  resourceNames: string;
  verbs: string;
}

/** Splits the `kubectl auth can-i --list` table into rows at the columns of its header. */
function parseRulesTable(table: string): RulesRow[] {
  const [header = '', ...lines] = table.split('\n').filter((line) => line !== '');
  const urlsAt = header.indexOf('Non-Resource URLs');
  const namesAt = header.indexOf('Resource Names');
  const verbsAt = header.indexOf('Verbs');
  return lines.map((line) => ({
    resource: line.slice(0, urlsAt).trim(),
    nonResourceURLs: line.slice(urlsAt, namesAt).trim(),
    resourceNames: line.slice(namesAt, verbsAt).trim(),
    verbs: line.slice(verbsAt).trim(),
  }));
}

/** One audit.k8s.io/v1 event, with the fields these tests read. */
interface AuditEvent {
  requestURI: string;
  user: { username?: string };
  impersonatedUser?: { username?: string; groups?: string[] };
  objectRef?: { resource?: string };
  responseStatus: { code: number };
}

/** Reads the audit events that --audit-log-path=- wrote to the server's stdout so far. */
function auditEvents(server: APIServerProcess): AuditEvent[] {
  return server
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as AuditEvent);
}

function statusMessage(reply: Reply): string {
  return (JSON.parse(reply.body) as { message: string }).message;
}

/** POSTs a SelfSubjectReview, as `kubectl auth whoami` does, with extra request headers. */
function postWhoami(
  server: APIServerProcess,
  token: string,
  headers: [string, string][],
): Promise<Reply> {
  return send(server, {
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    headers: [['Content-Type', 'application/json'], ...headers],
    credentials: { token },
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
  });
}

interface ReviewedUserInfo {
  username: string;
  groups: string[];
}

function whoamiUser(yamlOutput: string): ReviewedUserInfo {
  return (parse(yamlOutput) as { status: { userInfo: ReviewedUserInfo } }).status.userInfo;
}

describe('RBAC with kubectl', function () {
  let dir: string;
  let server: APIServerProcess;
  let adminKubeconfig: string;
  let janeKubeconfig: string;
  let bobKubeconfig: string;

  before(async function () {
    dir = await makeTempDir('authz-rbac');
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, TOKEN_FILE);
    server = await startAPIServerProcess([
      '--authorization-mode=RBAC',
      `--token-auth-file=${tokenFile}`,
      '--audit-log-path=-',
    ]);
    adminKubeconfig = server.kubeconfigPath;
    const endpoint = { server: server.url, caPem: server.caPem };
    janeKubeconfig = await writeKubeconfig(dir, {
      fileName: 'jane.kubeconfig',
      ...endpoint,
      token: JANE_TOKEN,
    });
    bobKubeconfig = await writeKubeconfig(dir, {
      fileName: 'bob.kubeconfig',
      ...endpoint,
      token: BOB_TOKEN,
    });

    const policy = await writeManifests(dir, 'jane-policy.yaml', JANE_POLICY);
    const applied = await mustKubectl(adminKubeconfig, ['apply', '-f', policy]);
    expect(applied.stdout).to.equal(janePolicyApplied('created'));
  });

  after(async function () {
    await server?.stop();
    await removeDir(dir);
  });

  describe('a Role and RoleBinding for jane', function () {
    it('kubectl apply again is unchanged', async function () {
      const policy = await writeManifests(dir, 'jane-policy-again.yaml', JANE_POLICY);

      const result = await runKubectl(adminKubeconfig, ['apply', '-f', policy]);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal(janePolicyApplied('unchanged'));
    });

    const canICases: { name: string; args: string[]; allowed: boolean }[] = [
      { name: 'list pods in demo', args: ['list', 'pods', '-n', 'demo'], allowed: true },
      { name: 'get a pod in demo', args: ['get', 'pods/web', '-n', 'demo'], allowed: true },
      { name: 'watch pods in demo', args: ['watch', 'pods', '-n', 'demo'], allowed: true },
      { name: 'delete pods in demo', args: ['delete', 'pods', '-n', 'demo'], allowed: false },
      { name: 'create pods in demo', args: ['create', 'pods', '-n', 'demo'], allowed: false },
      { name: 'list pods in default', args: ['list', 'pods', '-n', 'default'], allowed: false },
      { name: 'list secrets in demo', args: ['list', 'secrets', '-n', 'demo'], allowed: false },
    ];

    for (const { name, args, allowed } of canICases) {
      it(`can-i --as jane: ${name}`, async function () {
        const result = await runKubectl(adminKubeconfig, [
          'auth',
          'can-i',
          ...args,
          '--as',
          'jane',
        ]);

        expect(result.stdout).to.equal(allowed ? 'yes\n' : 'no\n');
        expect(result.code, result.stderr).to.equal(allowed ? 0 : 1);
      });
    }

    it('jane lists pods with her token', async function () {
      const result = await runKubectl(janeKubeconfig, ['get', 'pods', '-n', 'demo']);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.equal('No resources found in demo namespace.\n');

      const reply = await send(server, {
        path: '/api/v1/namespaces/demo/pods',
        credentials: { token: JANE_TOKEN },
      });
      expect(reply.status, reply.body).to.equal(200);
      expect(JSON.parse(reply.body)).to.include({ kind: 'PodList' });
    });

    it('jane deleting a pod is forbidden', async function () {
      const message =
        'pods "x" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "demo"';

      const reply = await send(server, {
        method: 'DELETE',
        path: '/api/v1/namespaces/demo/pods/x',
        credentials: { token: JANE_TOKEN },
      });

      expect(reply.status).to.equal(403);
      expect(JSON.parse(reply.body)).to.deep.equal({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'Forbidden',
        details: { name: 'x', kind: 'pods' },
        code: 403,
      });

      const result = await runKubectl(janeKubeconfig, ['delete', 'pod', 'x', '-n', 'demo']);

      expect(result.code).to.equal(1);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal(`Error from server (Forbidden): ${message}\n`);
    });

    it("can-i --list shows jane's rules", async function () {
      const result = await runKubectl(adminKubeconfig, [
        'auth',
        'can-i',
        '--list',
        '--as',
        'jane',
        '-n',
        'demo',
      ]);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.equal('');
      const rows = parseRulesTable(result.stdout);
      const resourceRows = rows.filter((row) => row.resource !== '');
      expect(resourceRows).to.deep.equal([
        {
          resource: 'selfsubjectreviews.authentication.k8s.io',
          nonResourceURLs: '[]',
          resourceNames: '[]',
          verbs: '[create]',
        },
        {
          resource: 'selfsubjectaccessreviews.authorization.k8s.io',
          nonResourceURLs: '[]',
          resourceNames: '[]',
          verbs: '[create]',
        },
        {
          resource: 'selfsubjectrulesreviews.authorization.k8s.io',
          nonResourceURLs: '[]',
          resourceNames: '[]',
          verbs: '[create]',
        },
        { resource: 'pods', nonResourceURLs: '[]', resourceNames: '[]', verbs: '[get list watch]' },
      ]);
      // system:discovery and system:public-info-viewer both grant /healthz, /livez, /readyz and
      // /version, and kubectl lists each rule, so those paths appear twice, as on a cluster.
      const urls = rows.filter((row) => row.resource === '').map((row) => row.nonResourceURLs);
      expect(urls).to.include.members(['[/api]', '[/apis/*]', '[/healthz]', '[/version]']);
      expect(urls.filter((url) => url === '[/healthz]')).to.have.length(2);
    });

    it('can-i --list in default lacks pods', async function () {
      const result = await runKubectl(adminKubeconfig, ['auth', 'can-i', '--list', '--as', 'jane']);

      expect(result.code, result.stderr).to.equal(0);
      const resources = parseRulesTable(result.stdout).map((row) => row.resource);
      expect(resources).to.not.include('pods');
      expect(resources).to.include('selfsubjectaccessreviews.authorization.k8s.io');
    });
  });

  describe('impersonation', function () {
    it('admin impersonates jane with a group', async function () {
      const result = await runKubectl(adminKubeconfig, [
        '--as',
        'jane',
        '--as-group',
        'devs',
        'auth',
        'whoami',
        '-o',
        'yaml',
      ]);

      expect(result.code, result.stderr).to.equal(0);
      const user = whoamiUser(result.stdout);
      expect(user.username).to.equal('jane');
      expect(user.groups).to.deep.equal(['devs', 'system:authenticated']);
    });

    it('bob impersonates once granted', async function () {
      const impersonate = ['--as', 'jane', '--as-group', 'devs', 'auth', 'whoami', '-o', 'yaml'];
      const headers: [string, string][] = [
        ['Impersonate-User', 'jane'],
        ['Impersonate-Group', 'devs'],
      ];

      const denied = await runKubectl(bobKubeconfig, impersonate);

      expect(denied.code).to.equal(1);
      expect(denied.stderr).to.equal(WHOAMI_FORBIDDEN);
      const deniedReply = await postWhoami(server, BOB_TOKEN, headers);
      expect(deniedReply.status).to.equal(403);
      expect(statusMessage(deniedReply)).to.equal(
        'users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
      );

      const grant = await writeManifests(dir, 'bob-impersonates.yaml', [
        {
          apiVersion: RBAC_API_VERSION,
          kind: 'ClusterRole',
          metadata: { name: 'impersonate-jane-devs' },
          rules: [
            {
              apiGroups: [''],
              resources: ['users'],
              verbs: ['impersonate'],
              resourceNames: ['jane'],
            },
            {
              apiGroups: [''],
              resources: ['groups'],
              verbs: ['impersonate'],
              resourceNames: ['devs'],
            },
          ],
        },
        {
          apiVersion: RBAC_API_VERSION,
          kind: 'ClusterRoleBinding',
          metadata: { name: 'bob-impersonates-jane-devs' },
          subjects: [{ kind: 'User', name: 'bob', apiGroup: RBAC_GROUP }],
          roleRef: { kind: 'ClusterRole', name: 'impersonate-jane-devs', apiGroup: RBAC_GROUP },
        },
      ]);
      await mustKubectl(adminKubeconfig, ['apply', '-f', grant]);

      const allowed = await runKubectl(bobKubeconfig, impersonate);

      expect(allowed.code, allowed.stderr).to.equal(0);
      const user = whoamiUser(allowed.stdout);
      expect(user.username).to.equal('jane');
      expect(user.groups).to.deep.equal(['devs', 'system:authenticated']);

      // The grant names jane and devs only, so another group is still forbidden.
      const otherGroup = await postWhoami(server, BOB_TOKEN, [
        ['Impersonate-User', 'jane'],
        ['Impersonate-Group', 'ops'],
      ]);
      expect(otherGroup.status).to.equal(403);
      expect(statusMessage(otherGroup)).to.equal(
        'groups "ops" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope',
      );

      const isAllowedReview = (event: AuditEvent): boolean =>
        event.user.username === 'bob' &&
        event.impersonatedUser?.username === 'jane' &&
        event.objectRef?.resource === 'selfsubjectreviews' &&
        event.responseStatus.code === 201;
      await waitUntil(
        () => auditEvents(server).some(isAllowedReview),
        'the audit event of the impersonated whoami',
      );
      const event = auditEvents(server).find(isAllowedReview)!;
      expect(event.impersonatedUser?.groups).to.deep.equal(['devs', 'system:authenticated']);
      // A denied impersonation never switched the user, so its event names bob alone.
      const deniedEvent = auditEvents(server).find(
        (candidate) =>
          candidate.user.username === 'bob' &&
          candidate.objectRef?.resource === 'selfsubjectreviews' &&
          candidate.responseStatus.code === 403,
      );
      expect(deniedEvent).to.not.equal(undefined);
      expect(deniedEvent?.impersonatedUser).to.equal(undefined);
    });

    it('service account gets its groups', async function () {
      const result = await runKubectl(adminKubeconfig, [
        '--as',
        'system:serviceaccount:demo:default',
        'auth',
        'whoami',
        '-o',
        'yaml',
      ]);

      expect(result.code, result.stderr).to.equal(0);
      const user = whoamiUser(result.stdout);
      expect(user.username).to.equal('system:serviceaccount:demo:default');
      expect(user.groups).to.deep.equal([
        'system:serviceaccounts',
        'system:serviceaccounts:demo',
        'system:authenticated',
      ]);
    });

    it('group without user is 400', async function () {
      // The headers are checked before any authorization, so jane, who has no impersonate
      // rule, gets the 400 and not a 403.
      const reply = await postWhoami(server, JANE_TOKEN, [['Impersonate-Group', 'devs']]);

      expect(reply.status).to.equal(400);
      expect(JSON.parse(reply.body)).to.deep.equal({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'requested group "devs" without impersonating a user',
        reason: 'BadRequest',
        code: 400,
      });
    });
  });

  describe('escalation prevention', function () {
    /** kube-apiserver's ConfirmNoEscalation message for bob missing `delete pods`. */
    const BOB_MISSES_DELETE_PODS =
      'user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}';

    const deletePods: Rule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }];
    const getPods: Rule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }];

    before(async function () {
      // bob may create and read Roles and create RoleBindings in demo, and get pods there.
      const policy = await writeManifests(dir, 'bob-policy.yaml', [
        role('rbac-writer', [
          { apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['create', 'get'] },
          { apiGroups: [RBAC_GROUP], resources: ['rolebindings'], verbs: ['create'] },
          ...getPods,
        ]),
        userRoleBinding('bob-writes-rbac', 'bob', 'rbac-writer'),
        role('pod-deleter', deletePods),
        role('pod-getter', getPods),
      ]);
      await mustKubectl(adminKubeconfig, ['apply', '-f', policy]);
    });

    it('Role within his rights is created', async function () {
      const manifest = await writeManifests(dir, 'bob-getter.yaml', [
        role('bob-pod-getter', getPods),
      ]);

      const result = await runKubectl(bobKubeconfig, ['create', '-f', manifest]);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('role.rbac.authorization.k8s.io/bob-pod-getter created\n');
    });

    it('Role beyond his rights needs escalate', async function () {
      const manifest = await writeManifests(dir, 'bob-deleter.yaml', [
        role('bob-pod-deleter', deletePods),
      ]);

      const denied = await runKubectl(bobKubeconfig, ['create', '-f', manifest]);

      expect(denied.code).to.equal(1);
      expect(denied.stderr).to.equal(
        `Error from server (Forbidden): error when creating "${manifest}": roles.rbac.authorization.k8s.io "bob-pod-deleter" is forbidden: ${BOB_MISSES_DELETE_PODS}\n`,
      );

      const escalate = await writeManifests(dir, 'bob-escalates.yaml', [
        role('role-escalator', [
          { apiGroups: [RBAC_GROUP], resources: ['roles'], verbs: ['escalate'] },
        ]),
        userRoleBinding('bob-escalates-roles', 'bob', 'role-escalator'),
      ]);
      await mustKubectl(adminKubeconfig, ['apply', '-f', escalate]);

      const allowed = await runKubectl(bobKubeconfig, ['create', '-f', manifest]);

      expect(allowed.code, allowed.stderr).to.equal(0);
      expect(allowed.stdout).to.equal('role.rbac.authorization.k8s.io/bob-pod-deleter created\n');
    });

    it('binding an unheld Role is forbidden', async function () {
      const result = await runKubectl(bobKubeconfig, [
        'create',
        'rolebinding',
        'jane-deletes-pods',
        '--role=pod-deleter',
        '--user=jane',
        '-n',
        'demo',
      ]);

      expect(result.code).to.equal(1);
      expect(result.stderr).to.equal(
        `error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "jane-deletes-pods" is forbidden: ${BOB_MISSES_DELETE_PODS}\n`,
      );
    });

    it('binding a held Role is created', async function () {
      const result = await runKubectl(bobKubeconfig, [
        'create',
        'rolebinding',
        'jane-gets-pods',
        '--role=pod-getter',
        '--user=jane',
        '-n',
        'demo',
      ]);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal(
        'rolebinding.rbac.authorization.k8s.io/jane-gets-pods created\n',
      );
    });
  });
});

describe('RBAC bootstrap policy', function () {
  let server: APIServerProcess;

  before(async function () {
    server = await startAPIServerProcess(['--authorization-mode=RBAC']);
  });

  after(async function () {
    await server?.stop();
  });

  it('kubectl lists the bootstrap ClusterRoles', async function () {
    const result = await runKubectl(server.kubeconfigPath, ['get', 'clusterroles', '-o', 'name']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal(
      BOOTSTRAP_CLUSTER_ROLES.map((name) => `clusterrole.rbac.authorization.k8s.io/${name}\n`).join(
        '',
      ),
    );
  });

  it('kubectl lists the bootstrap bindings', async function () {
    const result = await runKubectl(server.kubeconfigPath, [
      'get',
      'clusterrolebindings',
      '-o',
      'custom-columns=NAME:.metadata.name,ROLE:.roleRef.name,GROUPS:.subjects[*].name',
      '--no-headers',
    ]);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.split('\n').map((line) => line.split(/\s+/).join(' '))).to.deep.equal([
      'cluster-admin cluster-admin system:masters',
      'system:basic-user system:basic-user system:authenticated',
      'system:discovery system:discovery system:authenticated',
      'system:public-info-viewer system:public-info-viewer system:authenticated,system:unauthenticated',
      '',
    ]);
  });

  const anonymousCases: { path: string; status: number; message?: string }[] = [
    { path: '/version', status: 200 },
    { path: '/healthz', status: 200 },
    { path: '/livez', status: 200 },
    { path: '/readyz', status: 200 },
    {
      path: '/api/v1/namespaces',
      status: 403,
      message:
        'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
    },
    {
      // The bootstrap policy binds system:discovery to system:authenticated only.
      path: '/api',
      status: 403,
      message: 'forbidden: User "system:anonymous" cannot get path "/api"',
    },
  ];

  for (const { path, status, message } of anonymousCases) {
    it(`anonymous GET ${path} is ${status}`, async function () {
      const reply = await send(server, { path });

      expect(reply.status, reply.body).to.equal(status);
      if (message !== undefined) expect(statusMessage(reply)).to.equal(message);
    });
  }
});
