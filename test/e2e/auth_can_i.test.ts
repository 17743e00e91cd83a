import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { runKubectl, writeKubeconfig } from '../helpers/e2e/kubectl.js';

const BOB_TOKEN = 'bob-token-0123456789';

/** The table `kubectl auth can-i --list` prints for a user who may do everything. */
const ALLOW_ALL_TABLE = [
  'Resources   Non-Resource URLs   Resource Names   Verbs',
  '*.*         []                  []               [*]',
  '            [*]                 []               [*]',
  '',
].join('\n');

describe('kubectl auth can-i', function () {
  let dir: string;
  let allowing: APIServerProcess;
  let denying: APIServerProcess;
  let bobOnAllowing: string;
  let bobOnDenying: string;

  before(async function () {
    dir = await makeTempDir('auth-can-i');
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, `${BOB_TOKEN},bob,1002,devs\n`);
    [allowing, denying] = await Promise.all([
      startAPIServerProcess(['--authorization-mode=AlwaysAllow', `--token-auth-file=${tokenFile}`]),
      startAPIServerProcess(['--authorization-mode=AlwaysDeny', `--token-auth-file=${tokenFile}`]),
    ]);
    bobOnAllowing = await writeKubeconfig(dir, {
      fileName: 'bob-allowing.kubeconfig',
      server: allowing.url,
      caPem: allowing.caPem,
      token: BOB_TOKEN,
    });
    bobOnDenying = await writeKubeconfig(dir, {
      fileName: 'bob-denying.kubeconfig',
      server: denying.url,
      caPem: denying.caPem,
      token: BOB_TOKEN,
    });
  });

  after(async function () {
    await Promise.all([allowing?.stop(), denying?.stop()]);
    await removeDir(dir);
  });

  const allowedChecks: { name: string; args: string[] }[] = [
    { name: 'resource in a namespace', args: ['list', 'pods', '-n', 'demo'] },
    { name: 'subresource with a name', args: ['get', 'pods/web', '--subresource=log'] },
    { name: 'non-resource path', args: ['get', '/healthz'] },
  ];

  for (const { name, args } of allowedChecks) {
    it(`AlwaysAllow says yes: ${name}`, async function () {
      const result = await runKubectl(bobOnAllowing, ['auth', 'can-i', ...args]);

      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('yes\n');
    });
  }

  it('AlwaysAllow --list prints a table', async function () {
    const result = await runKubectl(bobOnAllowing, ['auth', 'can-i', '--list', '-n', 'demo']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.equal(ALLOW_ALL_TABLE);
  });

  it('AlwaysDeny forbids the review itself', async function () {
    // The review is a create request that is authorized first, so AlwaysDeny rejects it with
    // 403 before the handler runs, as in kube-apiserver. kubectl then exits with status 1.
    // A non-resource check needs no discovery, which AlwaysDeny forbids too.
    const result = await runKubectl(bobOnDenying, ['auth', 'can-i', 'get', '/healthz']);

    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.equal(
      'Error from server (Forbidden): selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "bob" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope: Everything is forbidden.\n',
    );
  });

  it('AlwaysDeny still allows system:masters', async function () {
    const result = await runKubectl(denying.kubeconfigPath, ['auth', 'can-i', 'delete', 'nodes']);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal('yes\n');
  });

  it('SubjectAccessReview for bob says no', async function () {
    // The admin sends the review about bob, so the review is allowed while its result is no.
    const manifest = join(dir, 'sar.yaml');
    await writeFile(
      manifest,
      stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: 'bob',
          groups: ['devs'],
          resourceAttributes: { namespace: 'demo', verb: 'list', resource: 'pods' },
        },
      }),
    );

    const result = await runKubectl(denying.kubeconfigPath, [
      'create',
      '--validate=false',
      '-f',
      manifest,
      '-o',
      'json',
    ]);

    expect(result.code, result.stderr).to.equal(0);
    const review = JSON.parse(result.stdout) as { status: Record<string, unknown> };
    expect(review.status).to.deep.equal({ allowed: false, reason: 'Everything is forbidden.' });
  });
});
