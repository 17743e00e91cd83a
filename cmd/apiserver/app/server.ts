import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type winston from 'winston';
import { GenericAPIServer } from '../../../pkg/genericapiserver/server/genericapiserver.js';
import { formatAddress } from '../../../pkg/genericapiserver/server/serve.js';
import { createLogger } from '../../../pkg/logging/logger.js';
import { writeAdminKubeconfig } from './bootstrap/embedded_default.js';
import { buildConfig, type CompletedConfig, type ConfigOverrides } from './config.js';
import { APIServerOptions } from './options/options.js';

/** The default --cert-dir: data/ at the top of the repository, which git ignores. */
export const DEFAULT_CERT_DIR = fileURLToPath(new URL('../../../../data', import.meta.url));

/** A started server and what a client needs to reach it. */
export interface StartedAPIServer {
  server: GenericAPIServer;
  completed: CompletedConfig;
  /** https://HOST:PORT of the secure port. */
  url: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

/**
 * Builds the command line: kube-apiserver's flag names, help grouped by area. Parsing errors
 * (unknown flags, bad values) are printed by commander as one line naming the flag, with exit
 * code 1.
 */
export function newAPIServerCommand(options: APIServerOptions): Command {
  const command = new Command('apiserver')
    .description(
      "A miniature kube-apiserver: serves the Kubernetes API over HTTPS through kube-apiserver's handler chain of authentication, audit, impersonation and authorization.",
    )
    .helpOption('-h, --help', 'Print this help.')
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
  options.addFlags(command);
  return command;
}

/** Returns the address clients should use: loopback when the server listens on every address. */
function clientHost(bindAddress: string): string {
  if (bindAddress === '0.0.0.0') return '127.0.0.1';
  if (bindAddress === '::') return '::1';
  return bindAddress;
}

function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') ? path : shown;
}

/** Logs the configuration without secrets: addresses, files, modes and limits. */
function logSummary(
  logger: winston.Logger,
  options: APIServerOptions,
  completed: CompletedConfig,
): void {
  logger.info('configuration', {
    bindAddress: options.secureServing.bindAddress,
    securePort: options.secureServing.securePort,
    insecurePort: options.insecureServing.insecurePort,
    certDir: displayPath(options.secureServing.certDir),
    tlsCertFile: displayPath(completed.files.tlsCertFile),
    clientCAFile: displayPath(completed.files.clientCAFile),
    tokenAuthFile: displayPath(completed.files.tokenAuthFile),
    anonymousAuth: options.authentication.anonymousAuth,
    authorizationMode: options.authorization.modes.join(','),
    maxRequestsInflight: options.serverRun.maxRequestsInFlight,
    maxMutatingRequestsInflight: options.serverRun.maxMutatingRequestsInFlight,
    requestTimeoutMs: options.serverRun.requestTimeoutMs,
    auditLogPath: options.audit.logPath === '' ? undefined : options.audit.logPath,
  });
}

/** Logs the commands a person can try against the running server. */
function logTryLines(logger: winston.Logger, started: StartedAPIServer): void {
  const kubeconfig = displayPath(started.kubeconfigPath);
  const { embedded } = started.completed;
  logger.info('try: kubectl --kubeconfig ' + kubeconfig + ' auth whoami');
  logger.info('try: kubectl --kubeconfig ' + kubeconfig + ' get --raw /version');
  if (embedded.tokenFile !== undefined && embedded.servingCertFile !== undefined) {
    const token = `$(cut -d, -f1 ${displayPath(embedded.tokenFile)})`;
    logger.info(
      `try: curl --cacert ${displayPath(embedded.caFile)} -H "Authorization: Bearer ${token}" -X POST -H 'Content-Type: application/json' -d '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}' ${started.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
    );
  }
}

/**
 * Builds the configuration, starts every port and writes admin.kubeconfig.
 * @throws Error naming the flag, file or address when the start fails.
 */
export async function startAPIServer(
  options: APIServerOptions,
  logger: winston.Logger,
  overrides: ConfigOverrides = {},
): Promise<StartedAPIServer> {
  const completed = await buildConfig(options, logger, overrides);
  logSummary(logger, options, completed);
  const server = new GenericAPIServer(completed.config);
  logger.debug('handler chain', {
    filters: server.secureChain.map((filter) => filter.name).join(' > '),
  });
  await server.start();
  const host = clientHost(options.secureServing.bindAddress);
  const url = `https://${formatAddress(host, server.securePort)}`;
  const kubeconfigPath = await writeAdminKubeconfig(completed.embedded, url);
  return {
    server,
    completed,
    url,
    kubeconfigPath,
    stop: async () => {
      await server.stop();
      completed.close();
    },
  };
}

/**
 * Runs the command line: parses and validates flags, starts the server, and stops it cleanly on
 * SIGTERM or SIGINT. Returns the exit code.
 */
export async function runCommand(argv: readonly string[]): Promise<number> {
  const options = new APIServerOptions(DEFAULT_CERT_DIR);
  const command = newAPIServerCommand(options);
  command.parse(argv, { from: 'user' });
  options.applyFlags(command.opts());
  const errors = options.validate();
  if (errors.length > 0) {
    for (const err of errors) process.stderr.write(`error: ${err.message}\n`);
    return 1;
  }

  const logger = createLogger({ verbosity: options.logging.verbosity });
  // Listen for stop signals before listening on any port, so a signal that arrives while the
  // server starts still stops it cleanly once it is up.
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  let started: StartedAPIServer;
  try {
    started = await startAPIServer(options, logger);
  } catch (err) {
    logger.error('unable to start the server', { err: (err as Error).message });
    return 1;
  }
  logger.info('admin kubeconfig written', { path: displayPath(started.kubeconfigPath) });
  logTryLines(logger, started);

  logger.info('received a stop signal', { signal: await signal });
  await started.stop();
  logger.info('stopped');
  return 0;
}
