import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEmbeddedDefault } from '../../../cmd/apiserver/app/bootstrap/embedded_default.js';
import { createLogger } from '../../../pkg/logging/logger.js';
import { StderrLines } from './stderr_lines.js';

/** The built CLI, dist/cmd/apiserver/main.js. */
export const MAIN_JS = fileURLToPath(new URL('../../../cmd/apiserver/main.js', import.meta.url));

/** The log line that reports the secure port, for example `listening port=secure address=127.0.0.1:6443`. */
const LISTENING_LINE = / listening port=secure address=(\S+)/;
const KUBECONFIG_LINE = / admin kubeconfig written path=(\S+)/;

/** How long a spawned server may take to report that it listens, in milliseconds. */
const START_TIMEOUT_MS = 15_000;
/** How long waitForLine waits for a matching line, in milliseconds. */
const LINE_TIMEOUT_MS = 10_000;
/** How long stop() waits after SIGTERM before it sends SIGKILL, in milliseconds. */
const KILL_AFTER_MS = 10_000;

/** Children still running, killed when the test process exits so none outlives a failed run. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/** How a spawned process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Returns a TCP port on 127.0.0.1 that the OS reported free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/** Creates an empty folder under the OS temp folder. Remove it with removeDir. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mini-kube-apiserver-${prefix}-`));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

let templateDir: Promise<string> | undefined;

/**
 * Returns a new cert dir filled with a CA, serving and admin certificates and a token file.
 * Key generation takes seconds, so the files are generated once per process and copied.
 */
export async function preparedCertDir(): Promise<string> {
  templateDir ??= (async () => {
    const dir = await makeTempDir('e2e-template');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await ensureEmbeddedDefault({
      certDir: dir,
      needServingCert: true,
      needClientCA: true,
      needTokenFile: true,
      logger: createLogger({ verbosity: 0, silent: true }),
    });
    return dir;
  })();
  const certDir = await makeTempDir('e2e-certs');
  await cp(await templateDir, certDir, { recursive: true });
  return certDir;
}

function exitOf(child: ChildProcess): Promise<ProcessExit> {
  liveChildren.add(child);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    });
  });
}

/** An API server CLI running as a child process. */
export interface APIServerProcess {
  readonly child: ChildProcess;
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly certDir: string;
  readonly kubeconfigPath: string;
  readonly caPem: string;
  /** The admin token from the cert dir's token file, or '' when `flags` set --token-auth-file. */
  readonly adminToken: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Everything the process wrote to stdout so far, such as audit events of --audit-log-path=-. */
  stdout(): string;
  /**
   * Resolves with the first stderr line, already written or still to come, that matches
   * `pattern`.
   * @throws Error when stderr ends or 10 s pass without such a line.
   */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves when the process exits. */
  readonly exited: Promise<ProcessExit>;
  /** Sends `signal` (SIGTERM by default), then SIGKILL if the process is still up after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

/** Options of startAPIServerProcess. */
export interface ProcessOptions {
  /**
   * The --cert-dir, by default a copy of preparedCertDir(). stop() removes it only when it made
   * the copy.
   */
  certDir?: string;
}

/**
 * Spawns `node dist/cmd/apiserver/main.js` with `--cert-dir` and a free `--secure-port` (unless
 * `flags` name them) and waits for the `listening` and `admin kubeconfig written` log lines.
 * @throws Error with the process's stderr when it exits before listening or takes over 15 s.
 */
export async function startAPIServerProcess(
  flags: readonly string[] = [],
  options: ProcessOptions = {},
): Promise<APIServerProcess> {
  const ownsCertDir = options.certDir === undefined;
  const certDir = options.certDir ?? (await preparedCertDir());
  const hasPort = flags.some((flag) => flag.startsWith('--secure-port'));
  const args = [MAIN_JS, `--cert-dir=${certDir}`, ...(hasPort ? [] : ['--secure-port=0'])];
  const child = spawn(process.execPath, [...args, ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = exitOf(child);
  const stderr = new StderrLines(child.stderr);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));

  let listening: string;
  let kubeconfigLine: string;
  try {
    [listening, kubeconfigLine] = await Promise.all([
      stderr.waitFor(LISTENING_LINE, START_TIMEOUT_MS),
      stderr.waitFor(KUBECONFIG_LINE, START_TIMEOUT_MS),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    if (ownsCertDir) await removeDir(certDir);
    throw new Error(`the API server did not start. Its stderr:\n${stderr.all()}`, { cause: err });
  }

  const address = LISTENING_LINE.exec(listening)![1]!;
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  const usesTokenFile = flags.some((flag) => flag.startsWith('--token-auth-file'));
  const tokens = usesTokenFile ? '' : await readFile(join(certDir, 'tokens.csv'), 'utf8');
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    const exit = await exited;
    clearTimeout(killer);
    if (ownsCertDir) await removeDir(certDir);
    return exit;
  };
  return {
    child,
    url: `https://127.0.0.1:${port}`,
    port,
    certDir,
    kubeconfigPath: KUBECONFIG_LINE.exec(kubeconfigLine)![1]!,
    caPem: await readFile(join(certDir, 'ca.crt'), 'utf8'),
    adminToken: tokens.split(',', 1)[0] ?? '',
    stderr: () => stderr.all(),
    stdout: () => stdout,
    waitForLine: (pattern) => stderr.waitFor(pattern, LINE_TIMEOUT_MS),
    exited,
    stop,
  };
}

/** The output of a process that ran to its end. */
export interface CompletedProcess extends ProcessExit {
  stdout: string;
  stderr: string;
  /** How long the process ran, in milliseconds. */
  durationMs: number;
}

/**
 * Runs a command to its end and returns its output.
 * @throws Error when it runs longer than `timeoutMs`; the process is killed first.
 */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CompletedProcess> {
  const startedAt = Date.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 20_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [exit] = await Promise.all([
    exitOf(child),
    new Promise((resolve) => child.once('close', resolve)),
  ]);
  clearTimeout(timer);
  if (exit.signal === 'SIGKILL') {
    throw new Error(`${command} ${args.join(' ')} ran longer than ${timeoutMs} ms:\n${stderr}`);
  }
  return { ...exit, stdout, stderr, durationMs: Date.now() - startedAt };
}

/** Runs the API server CLI with `args` to its end, for flag and start-up failures. */
export function runAPIServerCLI(args: readonly string[]): Promise<CompletedProcess> {
  return runProcess(process.execPath, [MAIN_JS, ...args]);
}
