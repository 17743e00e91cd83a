import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYAML, stringify } from 'yaml';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { runKubectl } from '../helpers/e2e/kubectl.js';
import { startKeystoneServer, type KeystoneServer } from '../helpers/keystone/keystone_server.js';

const ALICE_PASSWORD = 'alice-keystone-e2e-pw';
const WRONG_PASSWORD = 'wrong-keystone-e2e-pw';

interface Review {
  kind: string;
  apiVersion: string;
  status: { userInfo: { username: string; uid?: string; groups: string[] } };
}

/**
 * Writes a kubeconfig whose user has a basic-auth user name and password, which kubectl 1.32
 * still sends as `Authorization: Basic`.
 */
async function writeBasicAuthKubeconfig(
  path: string,
  server: APIServerProcess,
  username: string,
  password: string,
): Promise<string> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'test',
        cluster: {
          server: server.url,
          'certificate-authority-data': Buffer.from(server.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'test', user: { username, password } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
    'current-context': 'test',
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
  return path;
}

describe('kubectl with Keystone basic auth', function () {
  let dir: string;
  let keystone: KeystoneServer;
  let server: APIServerProcess;
  let aliceKubeconfig: string;
  let wrongKubeconfig: string;

  before(async function () {
    dir = await makeTempDir('keystone');
    keystone = await startKeystoneServer({
      users: [{ id: 'u-alice', name: 'alice', password: ALICE_PASSWORD }],
    });
    const caFile = join(dir, 'keystone-ca.pem');
    await writeFile(caFile, keystone.caPem);
    server = await startAPIServerProcess([
      '-v=5',
      `--experimental-keystone-url=${keystone.url}`,
      `--experimental-keystone-ca-file=${caFile}`,
    ]);
    aliceKubeconfig = await writeBasicAuthKubeconfig(
      join(dir, 'alice.kubeconfig'),
      server,
      'alice',
      ALICE_PASSWORD,
    );
    wrongKubeconfig = await writeBasicAuthKubeconfig(
      join(dir, 'wrong.kubeconfig'),
      server,
      'alice',
      WRONG_PASSWORD,
    );
  });

  after(async function () {
    await server?.stop();
    await keystone?.stop();
    if (dir !== undefined) await removeDir(dir);
  });

  it('auth whoami prints Keystone user', async function () {
    const before = keystone.requestCount;
    const result = await runKubectl(aliceKubeconfig, ['auth', 'whoami', '-o', 'yaml']);

    expect(result.code, result.stderr).to.equal(0);
    const review = parseYAML(result.stdout) as Review;
    expect(review.kind).to.equal('SelfSubjectReview');
    expect(review.apiVersion).to.equal('authentication.k8s.io/v1');
    expect(review.status.userInfo.username).to.equal('alice');
    expect(review.status.userInfo.uid).to.equal(undefined);
    expect(review.status.userInfo.groups).to.deep.equal(['system:authenticated']);
    expect(keystone.requestCount).to.be.greaterThan(before);
  });

  it('wrong password prints Unauthorized', async function () {
    const result = await runKubectl(wrongKubeconfig, ['auth', 'whoami', '-o', 'yaml']);

    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.equal('error: You must be logged in to the server (Unauthorized)\n');
  });

  it('server log has no password', async function () {
    await server.waitForLine(/\[keystone\] Keystone rejected the user name or password/);
    const stderr = server.stderr();

    expect(stderr).to.not.include(ALICE_PASSWORD);
    expect(stderr).to.not.include(WRONG_PASSWORD);
  });
});
