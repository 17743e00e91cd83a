import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { startAPIServerProcess, type APIServerProcess } from '../helpers/e2e/apiserver_process.js';
import { runKubectl } from '../helpers/e2e/kubectl.js';
import { expectRejection } from '../helpers/e2e/rejection.js';
import { waitUntil } from '../helpers/e2e/wait.js';
import type { Status } from '../helpers/rest/requests.js';

/** A watch event as the test records it: its type and the object's name. */
interface SeenEvent {
  type: string;
  name: string | undefined;
}

/** A client-node watch that records its events and how it ended. */
interface RecordedWatch {
  events: SeenEvent[];
  /** Resolves with the error passed to the done callback, null when the server ended it. */
  done: Promise<unknown>;
  controller: AbortController;
}

/** Starts a client-node watch of `path` that records every event. */
async function recordWatch(
  config: k8s.KubeConfig,
  path: string,
  query: Record<string, string | number>,
): Promise<RecordedWatch> {
  const events: SeenEvent[] = [];
  let finish: (err: unknown) => void = () => undefined;
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  const controller = await new k8s.Watch(config).watch(
    path,
    query,
    (type: string, object: k8s.KubernetesObject) =>
      events.push({ type, name: object.metadata?.name }),
    (err: unknown) => finish(err),
  );
  return { events, done, controller };
}

describe('@kubernetes/client-node REST calls against the CLI server', function () {
  let server: APIServerProcess;
  let config: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  before(async function () {
    server = await startAPIServerProcess();
    config = new k8s.KubeConfig();
    config.loadFromFile(server.kubeconfigPath);
    core = config.makeApiClient(k8s.CoreV1Api);
    for (const name of ['watched', 'conflicts']) {
      await core.createNamespace({ body: { metadata: { name } } });
    }
  });

  after(async function () {
    await server?.stop();
  });

  it('Watch receives ADDED, MODIFIED, DELETED', async function () {
    const watch = await recordWatch(config, '/api/v1/namespaces/watched/pods', {});
    try {
      await core.createNamespacedPod({
        namespace: 'watched',
        body: {
          metadata: { name: 'live' },
          spec: { containers: [{ name: 'main', image: 'busybox:1' }] },
        },
      });
      await core.patchNamespacedPod({
        name: 'live',
        namespace: 'watched',
        body: [{ op: 'add', path: '/metadata/labels', value: { tier: 'fe' } }],
      });
      await core.deleteNamespacedPod({ name: 'live', namespace: 'watched' });
      await waitUntil(() => watch.events.length >= 3, 'three watch events');
    } finally {
      watch.controller.abort();
    }

    expect(watch.events).to.deep.equal([
      { type: 'ADDED', name: 'live' },
      { type: 'MODIFIED', name: 'live' },
      { type: 'DELETED', name: 'live' },
    ]);
  });

  it('Watch with timeoutSeconds=1 ends by itself', async function () {
    const startedAt = Date.now();
    const watch = await recordWatch(config, '/api/v1/namespaces/watched/configmaps', {
      timeoutSeconds: 1,
    });
    let err: unknown;
    try {
      err = await watch.done;
    } finally {
      watch.controller.abort();
    }
    const elapsedMs = Date.now() - startedAt;

    expect(err).to.equal(null);
    expect(elapsedMs).to.be.at.least(900);
    expect(elapsedMs).to.be.below(5_000);
    expect(watch.events).to.deep.equal([]);
  });

  it('replace with stale resourceVersion is 409 Conflict', async function () {
    // kubectl 1.32 sends the body of `create configmap` as protobuf, not JSON.
    const created = await runKubectl(server.kubeconfigPath, [
      '-n',
      'conflicts',
      'create',
      'configmap',
      'x',
      '--from-literal=a=b',
    ]);
    expect(created.stdout, created.stderr).to.equal('configmap/x created\n');
    const stale = await core.readNamespacedConfigMap({ name: 'x', namespace: 'conflicts' });
    expect(stale.data).to.deep.equal({ a: 'b' });
    await core.replaceNamespacedConfigMap({
      name: 'x',
      namespace: 'conflicts',
      body: { ...stale, data: { a: 'c' } },
    });

    const err = await expectRejection(
      core.replaceNamespacedConfigMap({
        name: 'x',
        namespace: 'conflicts',
        body: { ...stale, data: { a: 'd' } },
      }),
    );

    expect(err).to.be.instanceOf(k8s.ApiException);
    const apiError = err as k8s.ApiException<string>;
    expect(apiError.code).to.equal(409);
    const status = JSON.parse(apiError.body) as Status;
    expect(status.reason).to.equal('Conflict');
    expect(status.code).to.equal(409);
    expect(status.message).to.equal(
      'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again',
    );
    const current = await core.readNamespacedConfigMap({ name: 'x', namespace: 'conflicts' });
    expect(current.data).to.deep.equal({ a: 'c' });
  });
});
