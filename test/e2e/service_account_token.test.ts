import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { makeTempDir, removeDir } from '../helpers/e2e/apiserver_process.js';
import { runKubectl, writeKubeconfig } from '../helpers/e2e/kubectl.js';

/** Runs kubectl as the admin and fails the test with kubectl's stderr when it fails. */
async function adminKubectl(server: TestServer, args: string[]): Promise<string> {
  const result = await runKubectl(server.kubeconfigPath, args);
  expect(result.code, result.stderr).to.equal(0);
  return result.stdout;
}

describe('kubectl create token', function () {
  let server: TestServer;
  let dir: string;

  before(async function () {
    server = await startTestServer();
    dir = await makeTempDir('sa-token');
    await adminKubectl(server, ['create', 'namespace', 'demo']);
  });

  after(async function () {
    await server?.stop();
    await removeDir(dir);
  });

  async function whoamiWithToken(token: string, fileName: string) {
    const kubeconfig = await writeKubeconfig(dir, {
      fileName,
      server: server.url,
      caPem: server.caPem,
      token,
    });
    return runKubectl(kubeconfig, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo}']);
  }

  it('default account of a new namespace exists', async function () {
    const names = await adminKubectl(server, [
      '-n',
      'demo',
      'get',
      'serviceaccounts',
      '-o',
      'name',
    ]);
    expect(names.trim()).to.equal('serviceaccount/default');
  });

  it('token authenticates as the account', async function () {
    const token = await adminKubectl(server, ['create', 'token', 'default', '-n', 'demo']);

    const result = await whoamiWithToken(token.trim(), 'default.kubeconfig');

    expect(result.code, result.stderr).to.equal(0);
    const user = JSON.parse(result.stdout) as { username: string; groups: string[] };
    expect(user.username).to.equal('system:serviceaccount:demo:default');
    expect(user.groups).to.deep.equal([
      'system:serviceaccounts',
      'system:serviceaccounts:demo',
      'system:authenticated',
    ]);
  });

  it('token of a deleted account is 401', async function () {
    await adminKubectl(server, ['-n', 'demo', 'create', 'serviceaccount', 'gone']);
    const token = await adminKubectl(server, ['create', 'token', 'gone', '-n', 'demo']);
    await adminKubectl(server, ['-n', 'demo', 'delete', 'serviceaccount', 'gone']);

    const result = await whoamiWithToken(token.trim(), 'gone.kubeconfig');

    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('Unauthorized');
  });

  it('token of a missing account is NotFound', async function () {
    const result = await runKubectl(server.kubeconfigPath, [
      'create',
      'token',
      'nope',
      '-n',
      'demo',
    ]);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('serviceaccounts "nope" not found');
  });
});
