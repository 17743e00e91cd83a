import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYAML } from 'yaml';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { runKubectl, writeKubeconfig } from '../helpers/e2e/kubectl.js';

const BOB_TOKEN = 'bob-token-0123456789';

interface Review {
  kind: string;
  apiVersion: string;
  status: { userInfo: { username: string; groups: string[] } };
}

describe('kubectl against the CLI server', function () {
  let dir: string;
  let server: APIServerProcess;
  let denying: APIServerProcess;
  let bobKubeconfig: string;
  let anonymousKubeconfig: string;

  before(async function () {
    dir = await makeTempDir('kubectl');
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, `${BOB_TOKEN},bob,1002,devs\n`);
    [server, denying] = await Promise.all([
      startAPIServerProcess(),
      startAPIServerProcess(['--authorization-mode=AlwaysDeny', `--token-auth-file=${tokenFile}`]),
    ]);
    bobKubeconfig = await writeKubeconfig(dir, {
      fileName: 'bob.kubeconfig',
      server: denying.url,
      caPem: denying.caPem,
      token: BOB_TOKEN,
    });
    anonymousKubeconfig = await writeKubeconfig(dir, {
      fileName: 'anonymous.kubeconfig',
      server: denying.url,
      caPem: denying.caPem,
      username: 'nobody',
    });
  });

  after(async function () {
    await Promise.all([server?.stop(), denying?.stop()]);
    await removeDir(dir);
  });

  it('auth whoami prints admin', async function () {
    const result = await runKubectl(server.kubeconfigPath, ['auth', 'whoami']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal(
      'ATTRIBUTE   VALUE\nUsername    admin\nGroups      [system:masters system:authenticated]\n',
    );
  });

  it('auth whoami -o yaml', async function () {
    const result = await runKubectl(server.kubeconfigPath, ['auth', 'whoami', '-o', 'yaml']);

    expect(result.code, result.stderr).to.equal(0);
    const review = parseYAML(result.stdout) as Review;
    expect(review.kind).to.equal('SelfSubjectReview');
    expect(review.apiVersion).to.equal('authentication.k8s.io/v1');
    expect(review.status.userInfo.username).to.equal('admin');
    expect(review.status.userInfo.groups).to.deep.equal(['system:masters', 'system:authenticated']);
  });

  it('get --raw /version', async function () {
    const result = await runKubectl(server.kubeconfigPath, ['get', '--raw', '/version']);

    expect(result.code, result.stderr).to.equal(0);
    const version = JSON.parse(result.stdout) as Record<string, string>;
    expect(version.major).to.equal('1');
    expect(version.minor).to.equal('32');
    expect(version.gitVersion).to.equal('v1.32.4');
  });

  it('get --raw /healthz', async function () {
    const result = await runKubectl(server.kubeconfigPath, ['get', '--raw', '/healthz']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal('ok');
  });

  it('get --raw unknown path', async function () {
    const result = await runKubectl(server.kubeconfigPath, ['get', '--raw', '/no/such/path']);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });

  it('impersonation with two groups', async function () {
    const result = await runKubectl(server.kubeconfigPath, [
      '--as=jane',
      '--as-group=devs',
      '--as-group=qa',
      'auth',
      'whoami',
      '-o',
      'json',
    ]);

    expect(result.code, result.stderr).to.equal(0);
    const review = JSON.parse(result.stdout) as Review;
    expect(review.status.userInfo.username).to.equal('jane');
    expect(review.status.userInfo.groups).to.deep.equal(['devs', 'qa', 'system:authenticated']);
  });

  it('token user cannot impersonate', async function () {
    const result = await runKubectl(bobKubeconfig, ['--as=jane', 'get', '--raw', '/healthz']);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      'Error from server (Forbidden): users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope: Everything is forbidden.\n',
    );
  });

  it('token user whoami as jane fails', async function () {
    // kubectl auth whoami turns a 403 into its own message instead of the server's.
    const result = await runKubectl(bobKubeconfig, ['--as=jane', 'auth', 'whoami']);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n',
    );
  });

  it('anonymous list namespaces forbidden', async function () {
    const result = await runKubectl(anonymousKubeconfig, ['get', '--raw', '/api/v1/namespaces']);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      'Error from server (Forbidden): namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope: Everything is forbidden.\n',
    );
  });
});
