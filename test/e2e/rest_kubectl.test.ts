import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYAML, stringify as stringifyYAML } from 'yaml';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { runKubectl } from '../helpers/e2e/kubectl.js';
import { waitUntil } from '../helpers/e2e/wait.js';
import { startKubectl } from '../helpers/rest/kubectl_watch.js';
import {
  createPods,
  manifestPath,
  namespaceManifest,
  parseBody,
  podManifest,
  requestAsAdmin,
  type APIObject,
} from '../helpers/rest/requests.js';

/** The columns of `kubectl api-resources` after NAME, cut at the header's column offsets. */
interface APIResourceRow {
  shortNames: string;
  apiVersion: string;
  namespaced: string;
  kind: string;
}

/** Parses `kubectl api-resources` output into rows by resource name. */
function parseAPIResources(stdout: string): Map<string, APIResourceRow> {
  const [header = '', ...lines] = stdout.trimEnd().split('\n');
  const offsets = ['SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'].map((title) =>
    header.indexOf(title),
  );
  const [short = 0, version = 0, namespaced = 0, kind = 0] = offsets;
  const rows = new Map<string, APIResourceRow>();
  for (const line of lines) {
    rows.set(line.slice(0, short).trim(), {
      shortNames: line.slice(short, version).trim(),
      apiVersion: line.slice(version, namespaced).trim(),
      namespaced: line.slice(namespaced, kind).trim(),
      kind: line.slice(kind).trim(),
    });
  }
  return rows;
}

/** A `kubectl get pods` row of a new pod with one container and no status from a kubelet. */
const PENDING_ROW = /^(\S+)\s+0\/1\s+Pending\s+0\s+\d+s$/;

/** Returns the names in the rows of `kubectl get pods` output that match PENDING_ROW. */
function pendingRows(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => PENDING_ROW.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

describe('kubectl REST commands against the CLI server', function () {
  let server: APIServerProcess;
  let dir: string;

  before(async function () {
    [server, dir] = await Promise.all([startAPIServerProcess(), makeTempDir('rest-kubectl')]);
  });

  after(async function () {
    await server?.stop();
    await removeDir(dir);
  });

  function kubectl(...args: string[]): ReturnType<typeof runKubectl> {
    return runKubectl(server.kubeconfigPath, args);
  }

  describe('api-resources', function () {
    let rows: Map<string, APIResourceRow>;

    before(async function () {
      const result = await kubectl('api-resources');
      expect(result.code, result.stderr).to.equal(0);
      rows = parseAPIResources(result.stdout);
    });

    const rbac = 'rbac.authorization.k8s.io/v1';
    const cases = [
      { resource: 'pods', short: 'po', apiVersion: 'v1', namespaced: 'true', kind: 'Pod' },
      {
        resource: 'namespaces',
        short: 'ns',
        apiVersion: 'v1',
        namespaced: 'false',
        kind: 'Namespace',
      },
      { resource: 'services', short: 'svc', apiVersion: 'v1', namespaced: 'true', kind: 'Service' },
      {
        resource: 'configmaps',
        short: 'cm',
        apiVersion: 'v1',
        namespaced: 'true',
        kind: 'ConfigMap',
      },
      { resource: 'secrets', short: '', apiVersion: 'v1', namespaced: 'true', kind: 'Secret' },
      {
        resource: 'serviceaccounts',
        short: 'sa',
        apiVersion: 'v1',
        namespaced: 'true',
        kind: 'ServiceAccount',
      },
      { resource: 'events', short: 'ev', apiVersion: 'v1', namespaced: 'true', kind: 'Event' },
      {
        resource: 'deployments',
        short: 'deploy',
        apiVersion: 'apps/v1',
        namespaced: 'true',
        kind: 'Deployment',
      },
      { resource: 'roles', short: '', apiVersion: rbac, namespaced: 'true', kind: 'Role' },
      {
        resource: 'rolebindings',
        short: '',
        apiVersion: rbac,
        namespaced: 'true',
        kind: 'RoleBinding',
      },
      {
        resource: 'clusterroles',
        short: '',
        apiVersion: rbac,
        namespaced: 'false',
        kind: 'ClusterRole',
      },
      {
        resource: 'clusterrolebindings',
        short: '',
        apiVersion: rbac,
        namespaced: 'false',
        kind: 'ClusterRoleBinding',
      },
    ];
    for (const tc of cases) {
      it(`lists ${tc.resource}`, function () {
        const row = rows.get(tc.resource);

        expect(row, `no row for ${tc.resource}`).to.not.equal(undefined);
        expect(row?.shortNames).to.equal(tc.short);
        expect(row?.apiVersion).to.equal(tc.apiVersion);
        expect(row?.namespaced).to.equal(tc.namespaced);
        expect(row?.kind).to.equal(tc.kind);
      });
    }
  });

  // The cases run in order, because the later ones read and delete the namespace and pod that
  // the first two create.
  describe('pod web in namespace demo', function () {
    it('create -f namespace prints created', async function () {
      const result = await kubectl('create', '-f', manifestPath('namespace-demo.yaml'));

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('namespace/demo created\n');
    });

    // kubectl 1.32 sends the body of `create namespace` as protobuf, not JSON.
    it('create namespace prints created', async function () {
      const result = await kubectl('create', 'namespace', 'demo2');
      const stored = await requestAsAdmin(server, 'GET', '/api/v1/namespaces/demo2');

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('namespace/demo2 created\n');
      expect(stored.status).to.equal(200);
      expect(parseBody<APIObject>(stored).metadata.labels).to.deep.equal({
        'kubernetes.io/metadata.name': 'demo2',
      });
    });

    it('create -f pod prints created', async function () {
      const result = await kubectl('-n', 'demo', 'create', '-f', manifestPath('pod-web.yaml'));

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('pod/web created\n');
    });

    it('get pods prints header and row', async function () {
      const result = await kubectl('-n', 'demo', 'get', 'pods');

      expect(result.code, result.stderr).to.equal(0);
      const [header, row, ...rest] = result.stdout.split('\n');
      expect(header).to.equal('NAME   READY   STATUS    RESTARTS   AGE');
      expect(row).to.match(/^web {4}0\/1 {5}Pending {3}0 {10}\d+s$/);
      expect(rest).to.deep.equal(['']);
    });

    it('get pod -o yaml has server fields', async function () {
      const result = await kubectl('-n', 'demo', 'get', 'pod', 'web', '-o', 'yaml');

      expect(result.code, result.stderr).to.equal(0);
      const pod = parseYAML(result.stdout) as APIObject;
      expect(pod.kind).to.equal('Pod');
      expect(pod.apiVersion).to.equal('v1');
      expect(pod.metadata.namespace).to.equal('demo');
      expect(pod.metadata.uid).to.match(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      expect(pod.metadata.resourceVersion).to.match(/^[1-9]\d*$/);
      expect(pod.metadata.creationTimestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('delete pod prints deleted, then get is NotFound', async function () {
      const deleted = await kubectl('-n', 'demo', 'delete', 'pod', 'web');
      const got = await kubectl('-n', 'demo', 'get', 'pod', 'web');

      expect(deleted.code, deleted.stderr).to.equal(0);
      expect(deleted.stdout).to.equal('pod "web" deleted\n');
      expect(got.code).to.equal(1);
      expect(got.stdout).to.equal('');
      expect(got.stderr).to.equal('Error from server (NotFound): pods "web" not found\n');
    });
  });

  // The cases run in order on one deployment, which is created, left unchanged, then configured.
  describe('apply deployment', function () {
    before(async function () {
      const reply = await requestAsAdmin(
        server,
        'POST',
        '/api/v1/namespaces',
        namespaceManifest('applied'),
      );
      expect(reply.status, reply.body).to.equal(201);
    });

    it('first apply prints created', async function () {
      const result = await kubectl(
        '-n',
        'applied',
        'apply',
        '-f',
        manifestPath('deployment-web.yaml'),
      );

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('deployment.apps/web created\n');
    });

    it('same manifest prints unchanged', async function () {
      const result = await kubectl(
        '-n',
        'applied',
        'apply',
        '-f',
        manifestPath('deployment-web.yaml'),
      );

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('deployment.apps/web unchanged\n');
    });

    it('edited image prints configured', async function () {
      const manifest = parseYAML(await readFile(manifestPath('deployment-web.yaml'), 'utf8')) as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
      manifest.spec.template.spec.containers[0]!.image = 'nginx:1.27';
      const edited = join(dir, 'deployment-web-1.27.yaml');
      await writeFile(edited, stringifyYAML(manifest));

      const applied = await kubectl('-n', 'applied', 'apply', '-f', edited);
      const got = await kubectl('-n', 'applied', 'get', 'deployment', 'web', '-o', 'yaml');

      expect(applied.code, applied.stderr).to.equal(0);
      expect(applied.stdout).to.equal('deployment.apps/web configured\n');
      expect(got.code, got.stderr).to.equal(0);
      const stored = parseYAML(got.stdout) as typeof manifest;
      const images = stored.spec.template.spec.containers.map((container) => container.image);
      expect(images).to.deep.equal(['nginx:1.27']);
    });

    it('removed container and env var are gone', async function () {
      const first = await kubectl(
        '-n',
        'applied',
        'apply',
        '-f',
        manifestPath('deployment-two-containers.yaml'),
      );
      const second = await kubectl(
        '-n',
        'applied',
        'apply',
        '-f',
        manifestPath('deployment-one-container.yaml'),
      );
      const got = await kubectl('-n', 'applied', 'get', 'deployment', 'pair', '-o', 'json');

      expect(first.stdout, first.stderr).to.equal('deployment.apps/pair created\n');
      expect(second.stdout, second.stderr).to.equal('deployment.apps/pair configured\n');
      expect(got.code, got.stderr).to.equal(0);
      const stored = JSON.parse(got.stdout) as {
        metadata: { labels: Record<string, string> };
        spec: { template: { spec: { containers: unknown[] } } };
      };
      expect(stored.metadata.labels).to.deep.equal({ app: 'pair' });
      expect(stored.spec.template.spec.containers).to.deep.equal([
        {
          name: 'a',
          image: 'busybox:2',
          args: ['sleep', '2000'],
          env: [{ name: 'BAR', value: '3' }],
          imagePullPolicy: 'IfNotPresent',
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ]);
    });
  });

  describe('get with selectors', function () {
    before(async function () {
      await createPods(server, 'selected', [
        podManifest('web-1', { app: 'web' }),
        podManifest('web-2', { app: 'web' }),
        podManifest('db', { app: 'db' }),
      ]);
    });

    const cases = [
      { name: 'label app=web', args: ['-l', 'app=web'], expectNames: ['web-1', 'web-2'] },
      { name: 'label app!=web', args: ['-l', 'app!=web'], expectNames: ['db'] },
      { name: 'label matches none', args: ['-l', 'app=cache'], expectNames: [] },
      {
        name: 'field metadata.name=web-2',
        args: ['--field-selector', 'metadata.name=web-2'],
        expectNames: ['web-2'],
      },
      {
        name: 'label and field together',
        args: ['-l', 'app=web', '--field-selector', 'metadata.name!=web-1'],
        expectNames: ['web-2'],
      },
    ];
    for (const tc of cases) {
      it(`get pods ${tc.name}`, async function () {
        const result = await kubectl('-n', 'selected', 'get', 'pods', '-o', 'name', ...tc.args);

        expect(result.code, result.stderr).to.equal(0);
        const names = result.stdout
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => line.replace(/^pod\//, ''));
        expect(names).to.deep.equal(tc.expectNames);
      });
    }

    it('get pods prints no resources found', async function () {
      const result = await kubectl('-n', 'selected', 'get', 'pods', '-l', 'app=cache');

      expect(result.code).to.equal(0);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal('No resources found in selected namespace.\n');
    });
  });

  describe('get pods -w', function () {
    const path = '/api/v1/namespaces/watched/pods';

    // kubectl prints the list before it starts watching from the list's resourceVersion, so
    // once the row of this pod is out, every later change reaches the watch.
    before(async function () {
      await createPods(server, 'watched', [podManifest('old')]);
    });

    it('prints a row per added, modified and deleted pod', async function () {
      const watch = await startKubectl(server.kubeconfigPath, [
        '-n',
        'watched',
        'get',
        'pods',
        '-w',
      ]);
      try {
        const rowCount = (count: number) => (): boolean =>
          pendingRows(watch.stdout()).length >= count;
        await waitUntil(rowCount(1), 'the row of the listed pod');

        const created = await requestAsAdmin(server, 'POST', path, podManifest('live'));
        expect(created.status, created.body).to.equal(201);
        await waitUntil(rowCount(2), 'the row of the created pod');
        const labelled = await requestAsAdmin(
          server,
          'PATCH',
          `${path}/live`,
          { metadata: { labels: { tier: 'fe' } } },
          'application/merge-patch+json',
        );
        expect(labelled.status, labelled.body).to.equal(200);
        await waitUntil(rowCount(3), 'the row of the labelled pod');
        const deleted = await requestAsAdmin(server, 'DELETE', `${path}/live`);
        expect(deleted.status, deleted.body).to.equal(200);
        await waitUntil(rowCount(4), 'the row of the deleted pod');
      } finally {
        await watch.stop();
      }

      const [header] = watch.stdout().split('\n');
      expect(header).to.equal('NAME   READY   STATUS    RESTARTS   AGE');
      expect(pendingRows(watch.stdout())).to.deep.equal(['old', 'live', 'live', 'live']);
      expect(watch.stderr()).to.equal('');
    });

    it('--output-watch-events names each event', async function () {
      const watch = await startKubectl(server.kubeconfigPath, [
        '-n',
        'watched',
        'get',
        'pods',
        '-w',
        '--output-watch-events',
      ]);
      const events = (): string[] =>
        watch
          .stdout()
          .split('\n')
          .map((line) => /^(ADDED|MODIFIED|DELETED)\s+(?:old|events)\s/.exec(line)?.[1] ?? '')
          .filter((type) => type !== '');
      try {
        await waitUntil(() => events().length >= 1, 'the row of the listed pod');
        const created = await requestAsAdmin(server, 'POST', path, podManifest('events'));
        expect(created.status, created.body).to.equal(201);
        await waitUntil(() => events().length >= 2, 'the ADDED row');
        const labelled = await requestAsAdmin(
          server,
          'PATCH',
          `${path}/events`,
          { metadata: { labels: { tier: 'fe' } } },
          'application/merge-patch+json',
        );
        expect(labelled.status, labelled.body).to.equal(200);
        await waitUntil(() => events().length >= 3, 'the MODIFIED row');
        const deleted = await requestAsAdmin(server, 'DELETE', `${path}/events`);
        expect(deleted.status, deleted.body).to.equal(200);
        await waitUntil(() => events().length >= 4, 'the DELETED row');
      } finally {
        await watch.stop();
      }

      expect(events()).to.deep.equal(['ADDED', 'ADDED', 'MODIFIED', 'DELETED']);
    });
  });
});
