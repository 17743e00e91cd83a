import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { startAPIServerProcess, type APIServerProcess } from '../helpers/e2e/apiserver_process.js';
import { expectRejection } from '../helpers/e2e/rejection.js';

/** Builds a KubeConfig for `server` whose user has no credentials. */
function anonymousKubeConfig(server: APIServerProcess): k8s.KubeConfig {
  const config = new k8s.KubeConfig();
  config.loadFromOptions({
    clusters: [
      { name: 'test', server: server.url, caData: Buffer.from(server.caPem).toString('base64') },
    ],
    users: [{ name: 'nobody' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'nobody' }],
    currentContext: 'test',
  });
  return config;
}

describe('@kubernetes/client-node against the CLI server', function () {
  let server: APIServerProcess;
  let noAnonymous: APIServerProcess;
  let admin: k8s.KubeConfig;

  before(async function () {
    [server, noAnonymous] = await Promise.all([
      startAPIServerProcess(),
      startAPIServerProcess(['--anonymous-auth=false']),
    ]);
    admin = new k8s.KubeConfig();
    admin.loadFromFile(server.kubeconfigPath);
  });

  after(async function () {
    await Promise.all([server?.stop(), noAnonymous?.stop()]);
  });

  it('createSelfSubjectReview returns admin', async function () {
    const api = admin.makeApiClient(k8s.AuthenticationV1Api);

    const review = await api.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });

    expect(review.kind).to.equal('SelfSubjectReview');
    expect(review.status?.userInfo?.username).to.equal('admin');
    expect(review.status?.userInfo?.groups).to.deep.equal([
      'system:masters',
      'system:authenticated',
    ]);
  });

  it('getCode returns 1.32', async function () {
    const api = admin.makeApiClient(k8s.VersionApi);

    const version = await api.getCode();

    expect(version.major).to.equal('1');
    expect(version.minor).to.equal('32');
    expect(version.gitVersion).to.equal('v1.32.4');
  });

  it('anonymous review is system:anonymous', async function () {
    const api = anonymousKubeConfig(server).makeApiClient(k8s.AuthenticationV1Api);

    const review = await api.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });

    expect(review.status?.userInfo?.username).to.equal('system:anonymous');
    expect(review.status?.userInfo?.groups).to.deep.equal(['system:unauthenticated']);
  });

  it('anonymous without --anonymous-auth gets 401', async function () {
    const api = anonymousKubeConfig(noAnonymous).makeApiClient(k8s.AuthenticationV1Api);

    const err = await expectRejection(
      api.createSelfSubjectReview({
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      }),
    );

    expect(err).to.be.instanceOf(k8s.ApiException);
    const apiError = err as k8s.ApiException<unknown>;
    expect(apiError.code).to.equal(401);
    // The generated client declares no body for a 401, so it keeps only the code and headers.
    expect(apiError.headers['content-type']).to.equal('application/json');
    expect(apiError.headers['content-length']).to.equal('129');
  });
});
