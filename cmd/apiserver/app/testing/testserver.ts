import { rmSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '../../../../pkg/logging/logger.js';
import type { GenericAPIServer } from '../../../../pkg/genericapiserver/server/genericapiserver.js';
import { APIServerOptions } from '../options/options.js';
import { newAPIServerCommand, startAPIServer } from '../server.js';

/** A server started in this process for a test, and what a client needs to reach it. */
export interface TestServer {
  /** https://127.0.0.1:PORT */
  url: string;
  /** PEM of the CA that signed the serving certificate and the admin client certificate. */
  caPem: string;
  /** Bearer token of `admin` (group system:masters). */
  adminToken: string;
  adminClientCertPem: string;
  adminClientKeyPem: string;
  /** admin.kubeconfig with the CA, the admin certificate and the admin token. */
  kubeconfigPath: string;
  /** The server's own data folder (certificates, token file, kubeconfig). */
  dataDir: string;
  server: GenericAPIServer;
  /** Prometheus registry the server reports into. */
  registry: Registry;
  /** Stops the server, frees its port and removes its data folder. */
  stop(): Promise<void>;
}

/** Options of startTestServer that have no flag. */
export interface TestServerOptions {
  /** Log at this -v level to stderr; by default the server logs nothing. */
  verbosity?: number;
  listenRetryIntervalMs?: number;
  shutdownGracePeriodMs?: number;
}

let templateDir: Promise<string> | undefined;

/**
 * Returns a folder with a generated CA, certificates and token file, made once per process.
 * RSA key generation takes about a second, so each test server copies these files instead of
 * generating its own; servers still get separate folders and ports.
 */
function credentialTemplate(): Promise<string> {
  templateDir ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mini-kube-apiserver-template-'));
    const { ensureEmbeddedDefault } = await import('../bootstrap/embedded_default.js');
    const logger = createLogger({ verbosity: 0, silent: true });
    await ensureEmbeddedDefault({
      certDir: dir,
      needServingCert: true,
      needClientCA: true,
      needTokenFile: true,
      logger,
    });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return templateDir;
}

/**
 * Starts an API server in this process on 127.0.0.1 and a free port, with its own data folder
 * and generated credentials, as kube-apiserver's StartTestServer does for Go tests. `flags` are
 * the same as on the command line, for example `['--authorization-mode=AlwaysDeny']`.
 * @throws Error when a flag is invalid or the server cannot start.
 */
export async function startTestServer(
  flags: readonly string[] = [],
  testOptions: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mini-kube-apiserver-'));
  await cp(await credentialTemplate(), dataDir, { recursive: true });
  const options = new APIServerOptions(dataDir);
  const command = newAPIServerCommand(options).exitOverride();
  command.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  command.parse(['--secure-port=0', ...flags], { from: 'user' });
  options.applyFlags(command.opts());
  const errors = options.validate();
  if (errors.length > 0) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(errors.map((err) => err.message).join('; '));
  }

  const verbosity = testOptions.verbosity;
  const logger = createLogger({ verbosity: verbosity ?? 0, silent: verbosity === undefined });
  const registry = new Registry();
  let started;
  try {
    started = await startAPIServer(options, logger, {
      registry,
      listenRetryIntervalMs: testOptions.listenRetryIntervalMs ?? 100,
      shutdownGracePeriodMs: testOptions.shutdownGracePeriodMs ?? 5_000,
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { embedded } = started.completed;
  const read = (path: string | undefined): Promise<string> =>
    path === undefined ? Promise.resolve('') : readFile(path, 'utf8');
  return {
    url: started.url,
    caPem: await read(embedded.caFile),
    adminToken: embedded.adminToken ?? '',
    adminClientCertPem: await read(embedded.adminClientCertFile),
    adminClientKeyPem: await read(embedded.adminClientKeyFile),
    kubeconfigPath: started.kubeconfigPath,
    dataDir,
    server: started.server,
    registry,
    async stop() {
      await started.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
