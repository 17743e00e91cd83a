import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { makeTempDir, removeDir, runProcess, type CompletedProcess } from './apiserver_process.js';

/**
 * Runs the kubectl on PATH with `--kubeconfig` and a new, empty `--cache-dir`, so neither the
 * dispatcher's cached /version nor cached discovery carries over from another run.
 */
export async function runKubectl(
  kubeconfigPath: string,
  args: readonly string[],
): Promise<CompletedProcess> {
  const cacheDir = await makeTempDir('kubectl-cache');
  try {
    return await runProcess('kubectl', [
      `--kubeconfig=${kubeconfigPath}`,
      `--cache-dir=${cacheDir}`,
      ...args,
    ]);
  } finally {
    await removeDir(cacheDir);
  }
}

/** What a kubeconfig written by writeKubeconfig contains. */
export interface KubeconfigSpec {
  /** File name inside the folder. */
  fileName: string;
  server: string;
  caPem: string;
  /** Bearer token of the user. */
  token?: string;
  /**
   * Basic-auth user name without a password. kubectl prompts on stdin for a user name and
   * password when the user entry has no credential at all, so an anonymous kubeconfig sets this
   * instead. Servers without basic authentication ignore the Basic header and treat the request
   * as anonymous. kube-apiserver removed basic authentication in 1.19.
   */
  username?: string;
}

/** Writes a kubeconfig with one cluster, one user and one current context into `dir`. */
export async function writeKubeconfig(dir: string, spec: KubeconfigSpec): Promise<string> {
  const user: Record<string, string> = {};
  if (spec.token !== undefined) user.token = spec.token;
  if (spec.username !== undefined) user.username = spec.username;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'test',
        cluster: {
          server: spec.server,
          'certificate-authority-data': Buffer.from(spec.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'test', user }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
    'current-context': 'test',
  };
  const path = join(dir, spec.fileName);
  await writeFile(path, stringify(config), { mode: 0o600 });
  return path;
}
