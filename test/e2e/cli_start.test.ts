import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeTempDir,
  removeDir,
  runAPIServerCLI,
  runProcess,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { postSelfSubjectReview, reviewedUser } from '../helpers/e2e/http_client.js';

async function caFingerprint(certDir: string): Promise<string> {
  return new X509Certificate(await readFile(join(certDir, 'ca.crt'))).fingerprint256;
}

describe('CLI start with an empty cert dir', function () {
  let dir: string;
  let certDir: string;
  let first: APIServerProcess;

  before(async function () {
    dir = await makeTempDir('cli-start');
    certDir = join(dir, 'certs');
    first = await startAPIServerProcess([], { certDir });
  });

  after(async function () {
    await first?.stop();
    await removeDir(dir);
  });

  it('logs the admin.kubeconfig path', async function () {
    const line = await first.waitForLine(/ admin kubeconfig written /);

    expect(line).to.match(/ INFO {2}\[main\] admin kubeconfig written path=(\S+)$/);
    expect(line.endsWith(`path=${join(certDir, 'admin.kubeconfig')}`)).to.equal(true);
  });

  it('logs a curl line for the review', async function () {
    const line = await first.waitForLine(/ try: curl /);

    expect(line).to.contain(`curl --cacert ${join(certDir, 'ca.crt')} `);
    expect(line).to.contain(`$(cut -d, -f1 ${join(certDir, 'tokens.csv')})`);
    expect(line).to.contain(`${first.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`);
  });

  it('logged curl line returns admin', async function () {
    const line = await first.waitForLine(/ try: curl /);
    const command = line.slice(line.indexOf('curl '));

    const result = await runProcess('sh', ['-c', `${command} --silent --show-error`]);

    expect(result.code, result.stderr).to.equal(0);
    const user = reviewedUser({ status: 201, headers: {}, body: result.stdout });
    expect(user.username).to.equal('admin');
    expect(user.groups).to.deep.equal(['system:masters', 'system:authenticated']);
  });

  it('admin token authenticates', async function () {
    const reply = await postSelfSubjectReview(first, { token: first.adminToken });

    expect(reply.status).to.equal(201);
    expect(reviewedUser(reply).username).to.equal('admin');
  });

  const modeCases: { file: string; expectMode: number }[] = [
    { file: 'ca.key', expectMode: 0o600 },
    { file: 'apiserver.key', expectMode: 0o600 },
    { file: 'admin.key', expectMode: 0o600 },
    { file: 'tokens.csv', expectMode: 0o600 },
    { file: 'admin.kubeconfig', expectMode: 0o600 },
    { file: 'ca.crt', expectMode: 0o644 },
    { file: 'apiserver.crt', expectMode: 0o644 },
    { file: 'admin.crt', expectMode: 0o644 },
  ];
  for (const tc of modeCases) {
    it(`${tc.file} has mode ${tc.expectMode.toString(8)}`, async function () {
      const info = await stat(join(certDir, tc.file));

      expect(info.mode & 0o777).to.equal(tc.expectMode);
    });
  }

  it('cert dir has mode 700', async function () {
    const info = await stat(certDir);

    expect(info.mode & 0o777).to.equal(0o700);
  });

  it('second start reuses the files', async function () {
    const fingerprint = await caFingerprint(certDir);
    const tokens = await readFile(join(certDir, 'tokens.csv'), 'utf8');
    const second = await startAPIServerProcess([], { certDir });
    try {
      expect(await caFingerprint(certDir)).to.equal(fingerprint);
      expect(await readFile(join(certDir, 'tokens.csv'), 'utf8')).to.equal(tokens);
      expect(second.stderr()).to.contain(`reusing certificate file=${join(certDir, 'ca.crt')}`);
      expect(second.stderr()).not.to.contain('generating certificate');
      const reply = await postSelfSubjectReview(second, { token: first.adminToken });
      expect(reply.status).to.equal(201);
    } finally {
      await second.stop();
    }
  });

  it('same port exits with the address', async function () {
    const result = await runAPIServerCLI([`--cert-dir=${certDir}`, `--secure-port=${first.port}`]);

    expect(result.code).to.equal(1);
    expect(result.durationMs).to.be.below(10_000);
    const errors = result.stderr.split('\n').filter((line) => line.includes(' ERROR '));
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain(`failed to listen on 127.0.0.1:${first.port}: `);
    expect(errors[0]).to.contain('EADDRINUSE');
    expect(result.stderr).not.to.contain(' listening ');
  });
});
