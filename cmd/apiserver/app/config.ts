import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type winston from 'winston';
import { LogBackend } from '../../../pkg/audit/log_backend.js';
import type { AuditBackend } from '../../../pkg/audit/event.js';
import { compileAllowedOrigins } from '../../../pkg/genericapiserver/filters/cors.js';
import { defaultLongRunningFunc } from '../../../pkg/genericapiserver/filters/long_running.js';
import type { Config, SNICertificate } from '../../../pkg/genericapiserver/server/config.js';
import { requireModelSchema } from '../../../pkg/apis/schema/models.js';
import { ResourceRegistry } from '../../../pkg/registry/registry.js';
import { BUILTIN_RESOURCES } from '../../../pkg/registry/resources/index.js';
import { MemoryStorage } from '../../../pkg/storage/memory/memory_storage.js';
import { buildAuthentication } from './authentication.js';
import { buildAuthorization } from './authorization.js';
import {
  DEFAULT_SERVICE_ACCOUNT_ISSUER,
  ensureServiceAccountKey,
} from './bootstrap/service_account_key.js';
import { ensureEmbeddedDefault, type EmbeddedDefault } from './bootstrap/embedded_default.js';
import type { APIServerOptions } from './options/options.js';
import { parseSNICertKey, TLS_VERSIONS } from './options/secure_serving.js';
import { validateServingCertKey } from './serving_cert_key.js';

/** A built configuration and the embedded-default files it uses. */
export interface CompletedConfig {
  config: Config;
  embedded: EmbeddedDefault;
  /** Stops background work the configuration started (OIDC key fetching, RBAC watches). */
  close(): void;
  /** The files actually used, for the start-up summary. */
  files: { tlsCertFile: string; clientCAFile: string; tokenAuthFile: string };
}

/** Test-only knobs that have no flag. */
export interface ConfigOverrides {
  listenRetryIntervalMs?: number;
  shutdownGracePeriodMs?: number;
  registry?: Registry;
}

async function readFlagFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${flag}: ${path}: unable to read the file: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Reads --tls-sni-cert-key files; names default to the certificate's DNS names, then its CN. */
async function loadSNICertificates(values: readonly string[]): Promise<SNICertificate[]> {
  const certificates: SNICertificate[] = [];
  for (const value of values) {
    const { certFile, keyFile, names } = parseSNICertKey(value);
    const certPem = await readFlagFile('--tls-sni-cert-key', certFile);
    const keyPem = await readFlagFile('--tls-sni-cert-key', keyFile);
    validateServingCertKey(certPem, { flag: '--tls-sni-cert-key', path: certFile }, keyPem, {
      flag: '--tls-sni-cert-key',
      path: keyFile,
    });
    let certificateNames = names;
    if (certificateNames.length === 0) {
      let parsed: X509Certificate;
      try {
        parsed = new X509Certificate(certPem);
      } catch (err) {
        throw new Error(
          `--tls-sni-cert-key: ${certFile}: not a PEM certificate: ${(err as Error).message}`,
          { cause: err },
        );
      }
      certificateNames = namesOfCertificate(parsed);
    }
    certificates.push({ names: certificateNames, certPem, keyPem });
  }
  return certificates;
}

/** Returns a certificate's DNS and IP subject alternative names, or its CN when it has none. */
export function namesOfCertificate(certificate: X509Certificate): string[] {
  const names = (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:') || entry.startsWith('IP Address:'))
    .map((entry) => entry.slice(entry.indexOf(':') + 1));
  if (names.length > 0) return names;
  const commonName = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1];
  return commonName === undefined ? [] : [commonName];
}

async function buildAuditBackend(
  path: string,
  logger: winston.Logger,
): Promise<AuditBackend | undefined> {
  if (path === '') return undefined;
  const backend = new LogBackend(path, logger.child({ component: 'audit' }));
  await backend.ready();
  return backend;
}

/**
 * Builds the stores of the built-in resources on the in-memory storage and creates the
 * namespaces a new cluster has. Loading the field schema here, not on the first request, keeps
 * its one-time cost (about a second) out of request latency.
 */
async function buildResources(logger: winston.Logger): Promise<ResourceRegistry> {
  for (const definition of BUILTIN_RESOURCES) requireModelSchema(definition.modelName);
  const resources = new ResourceRegistry(
    BUILTIN_RESOURCES,
    new MemoryStorage(),
    logger.child({ component: 'registry' }),
  );
  await resources.bootstrap();
  return resources;
}

/**
 * Builds the server configuration from validated options: fills unset credentials from the
 * embedded default, reads every file the flags name, and builds the authenticators and
 * authorizers.
 * @throws Error beginning with the flag and file when a file is missing or malformed.
 */
export async function buildConfig(
  options: APIServerOptions,
  logger: winston.Logger,
  overrides: ConfigOverrides = {},
): Promise<CompletedConfig> {
  const serving = options.secureServing;
  const authn = options.authentication;
  const embedded = await ensureEmbeddedDefault({
    certDir: serving.certDir,
    needServingCert: serving.tlsCertFile === '',
    needClientCA: authn.clientCAFile === '',
    needTokenFile: authn.tokenAuthFile === '',
    logger: logger.child({ component: 'bootstrap' }),
  });
  const tlsCertFile = serving.tlsCertFile !== '' ? serving.tlsCertFile : embedded.servingCertFile!;
  const tlsKeyFile =
    serving.tlsPrivateKeyFile !== '' ? serving.tlsPrivateKeyFile : embedded.servingKeyFile!;
  const servingCertPem = await readFlagFile('--tls-cert-file', tlsCertFile);
  const servingKeyPem = await readFlagFile('--tls-private-key-file', tlsKeyFile);
  validateServingCertKey(
    servingCertPem,
    { flag: '--tls-cert-file', path: tlsCertFile },
    servingKeyPem,
    { flag: '--tls-private-key-file', path: tlsKeyFile },
  );
  const clientCAFile = authn.clientCAFile !== '' ? authn.clientCAFile : embedded.caFile;
  const tokenAuthFile = authn.tokenAuthFile !== '' ? authn.tokenAuthFile : embedded.tokenFile!;

  if (!options.serviceAccount.enabled) {
    // The embedded default: a generated signing key and kube-apiserver's in-cluster issuer.
    const keyFile = await ensureServiceAccountKey(
      serving.certDir,
      logger.child({ component: 'bootstrap' }),
    );
    options.serviceAccount.keyFiles = [keyFile];
    options.serviceAccount.signingKeyFile = keyFile;
    options.serviceAccount.issuers = [DEFAULT_SERVICE_ACCOUNT_ISSUER];
  }
  const resources = await buildResources(logger);
  const authentication = await buildAuthentication(
    options,
    { clientCAFile, tokenAuthFile },
    resources,
    logger,
  );
  let authorization;
  try {
    authorization = await buildAuthorization(options.authorization, resources, logger);
  } catch (err) {
    authentication.close();
    throw err;
  }

  const registry = overrides.registry ?? new Registry();
  if (overrides.registry === undefined) collectDefaultMetrics({ register: registry });
  const requestTimeoutMs = options.serverRun.requestTimeoutMs;
  const config: Config = {
    logger,
    registry,
    authenticator: authentication.authenticator,
    tokenAuthenticator: authentication.tokenAuthenticator,
    credentialHeaders: authentication.credentialHeaders,
    authenticationChallenge: authentication.challenge,
    basicAuthEnabled: authentication.basicAuthEnabled,
    authorizer: authorization.authorizer,
    ruleResolver: authorization.ruleResolver,
    admission: authorization.admission,
    apiAudiences: authentication.apiAudiences,
    serviceAccount: authentication.serviceAccount,
    auditBackend: await buildAuditBackend(options.audit.logPath, logger),
    corsAllowedOrigins: compileAllowedOrigins(options.serverRun.corsAllowedOrigins),
    requestTimeoutMs,
    longRunning: defaultLongRunningFunc,
    maxRequestsInFlight: options.serverRun.maxRequestsInFlight,
    maxMutatingRequestsInFlight: options.serverRun.maxMutatingRequestsInFlight,
    secureServing: {
      bindAddress: serving.bindAddress,
      port: serving.securePort,
      certPem: servingCertPem,
      keyPem: servingKeyPem,
      sniCertificates: await loadSNICertificates(serving.tlsSNICertKeys),
      minVersion: TLS_VERSIONS[serving.tlsMinVersion],
      clientCAPem: await readFlagFile('--client-ca-file', clientCAFile),
    },
    insecureServing:
      options.insecureServing.insecurePort === 0
        ? undefined
        : {
            bindAddress: options.insecureServing.insecureBindAddress,
            port: options.insecureServing.insecurePort,
          },
    resources,
    minRequestTimeoutSeconds: options.serverRun.minRequestTimeoutSeconds,
    listenRetryIntervalMs: overrides.listenRetryIntervalMs ?? 15_000,
    // Non-long-running requests end by --request-timeout anyway, so waiting that long lets every
    // one of them finish; a few seconds more covers writing the last responses.
    shutdownGracePeriodMs:
      overrides.shutdownGracePeriodMs ?? (requestTimeoutMs > 0 ? requestTimeoutMs : 60_000) + 5_000,
  };
  return {
    config,
    embedded,
    files: { tlsCertFile, clientCAFile, tokenAuthFile },
    close: () => {
      authentication.close();
      authorization.close();
    },
  };
}
