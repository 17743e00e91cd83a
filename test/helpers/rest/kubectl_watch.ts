import { spawn } from 'node:child_process';
import { makeTempDir, removeDir } from '../e2e/apiserver_process.js';
import { StderrLines } from '../e2e/stderr_lines.js';

/** A kubectl command that keeps running, such as `get -w`, and the output it wrote so far. */
export interface RunningKubectl {
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Stops kubectl with SIGTERM, waits for it to exit and removes its cache folder. */
  stop(): Promise<void>;
}

/**
 * Starts the kubectl on PATH with `--kubeconfig`, a new, empty `--cache-dir` and `args`, and
 * returns at once. Use it for commands that run until stopped, and runKubectl for the rest.
 */
export async function startKubectl(
  kubeconfigPath: string,
  args: readonly string[],
): Promise<RunningKubectl> {
  const cacheDir = await makeTempDir('kubectl-watch-cache');
  const child = spawn(
    'kubectl',
    [`--kubeconfig=${kubeconfigPath}`, `--cache-dir=${cacheDir}`, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // StderrLines only reads a stream, so it collects stdout just as well.
  const stdout = new StderrLines(child.stdout);
  const stderr = new StderrLines(child.stderr);
  let spawnError = '';
  // Without a listener, a failed spawn (kubectl missing) would crash the test process.
  child.once('error', (err) => (spawnError = `failed to start kubectl: ${err.message}\n`));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    stdout: () => stdout.all(),
    stderr: () => spawnError + stderr.all(),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await removeDir(cacheDir);
    },
  };
}
