import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { parse as parseYAML } from 'yaml';

/**
 * The server and credentials of a kubeconfig file's current context: everything a client needs to
 * open a connection. Mirrors the parts of client-go's rest.Config that a webhook uses.
 */
export interface KubeconfigConnection {
  /** The cluster's `server` URL, used as is (webhooks post to its exact path). */
  readonly server: URL;
  /** PEM certificates that verify the server, or undefined to use Node's default CAs. */
  readonly caPem: Buffer | undefined;
  /** Skips verification of the server's certificate. Never set together with `caPem`. */
  readonly insecureSkipTLSVerify: boolean;
  /** Name to verify the server's certificate against, in place of the URL's host. */
  readonly tlsServerName: string | undefined;
  /** PEM client certificate; set exactly when `clientKeyPem` is. */
  readonly clientCertPem: Buffer | undefined;
  readonly clientKeyPem: Buffer | undefined;
  /** Bearer token sent in the Authorization header. */
  readonly bearerToken: string | undefined;
}

/** A kubeconfig file that cannot be read or is invalid; the message starts with the file path. */
export class KubeconfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${message}`, options);
    this.name = 'KubeconfigError';
  }
}

type YAMLMap = Record<string, unknown>;

function isMap(value: unknown): value is YAMLMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an optional string field, failing on any other type. */
function stringField(map: YAMLMap, key: string, where: string): string {
  const value = map[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`${where}.${key} must be a string`);
  return value;
}

/** Finds the entry called `name` in a named list such as `clusters` and returns its body. */
function namedEntry(config: YAMLMap, listKey: string, bodyKey: string, name: string): YAMLMap {
  const list = config[listKey] ?? [];
  if (!Array.isArray(list)) throw new Error(`${listKey} must be a list`);
  for (const entry of list as unknown[]) {
    if (!isMap(entry) || entry.name !== name) continue;
    const body = entry[bodyKey];
    if (!isMap(body)) throw new Error(`${listKey} entry "${name}" has no ${bodyKey} map`);
    return body;
  }
  throw new Error(`${bodyKey} "${name}" not found in ${listKey}`);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Produces the bytes of a `<name>` / `<name>-data` pair, as clientcmd does for certificates. */
async function fileOrData(
  map: YAMLMap,
  name: string,
  where: string,
  baseDir: string,
): Promise<Buffer | undefined> {
  const file = stringField(map, name, where);
  const data = stringField(map, `${name}-data`, where);
  if (file !== '' && data !== '') {
    throw new Error(`${where} sets both ${name} and ${name}-data; keep one of them`);
  }
  if (data !== '') {
    const compact = data.replace(/\s+/g, '');
    if (!BASE64.test(compact)) throw new Error(`${where}.${name}-data is not valid base64`);
    return Buffer.from(compact, 'base64');
  }
  if (file === '') return undefined;
  // clientcmd resolves relative paths against the directory of the kubeconfig file.
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  try {
    return await readFile(path);
  } catch (err) {
    throw new Error(`unable to read ${where}.${name} ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function parseServer(cluster: YAMLMap, where: string): URL {
  const server = stringField(cluster, 'server', where);
  if (server === '') throw new Error(`${where}.server is missing`);
  let url: URL;
  try {
    url = new URL(server);
  } catch (err) {
    throw new Error(`${where}.server "${server}" is not a valid URL`, { cause: err });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${where}.server "${server}" must use https or http`);
  }
  return url;
}

const UNSUPPORTED_USER_FIELDS = ['exec', 'auth-provider', 'username', 'password', 'as'];

async function userCredentials(user: YAMLMap, where: string, baseDir: string) {
  for (const key of UNSUPPORTED_USER_FIELDS) {
    if (user[key] !== undefined) {
      throw new Error(`${where}.${key} is not supported; use a client certificate or a token`);
    }
  }
  const clientCertPem = await fileOrData(user, 'client-certificate', where, baseDir);
  const clientKeyPem = await fileOrData(user, 'client-key', where, baseDir);
  if ((clientCertPem === undefined) !== (clientKeyPem === undefined)) {
    throw new Error(`${where} must set client-certificate and client-key together`);
  }
  // As in client-go, an inline token wins over tokenFile.
  let bearerToken: string | undefined = stringField(user, 'token', where);
  if (bearerToken === '') {
    const tokenFile = await fileOrData(user, 'tokenFile', where, baseDir);
    bearerToken = tokenFile?.toString('utf8').trim();
  }
  return { clientCertPem, clientKeyPem, bearerToken: bearerToken === '' ? undefined : bearerToken };
}

/** Fails when Node cannot load the PEM material, so a bad file is reported at start-up. */
function checkTLSMaterial(connection: KubeconfigConnection): void {
  try {
    // createSecureContext skips CA text that is not PEM, so parse the first certificate too.
    if (connection.caPem !== undefined) new X509Certificate(connection.caPem);
    createSecureContext({
      ca: connection.caPem,
      cert: connection.clientCertPem,
      key: connection.clientKeyPem,
    });
  } catch (err) {
    throw new Error(`invalid TLS certificate or key: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Builds the connection of the current context from kubeconfig YAML. Relative file paths in
 * the config resolve against `baseDir`.
 * @throws Error naming the invalid field.
 */
export async function connectionFromKubeconfig(
  text: string,
  baseDir: string,
): Promise<KubeconfigConnection> {
  const config: unknown = parseYAML(text);
  if (!isMap(config)) throw new Error('the file does not contain a kubeconfig map');
  const contextName = stringField(config, 'current-context', 'kubeconfig');
  if (contextName === '') throw new Error('current-context is not set');
  const context = namedEntry(config, 'contexts', 'context', contextName);
  const where = `context "${contextName}"`;
  const clusterName = stringField(context, 'cluster', where);
  if (clusterName === '') throw new Error(`${where} names no cluster`);
  const cluster = namedEntry(config, 'clusters', 'cluster', clusterName);
  const clusterWhere = `cluster "${clusterName}"`;

  const caPem = await fileOrData(cluster, 'certificate-authority', clusterWhere, baseDir);
  const insecureSkipTLSVerify = cluster['insecure-skip-tls-verify'] === true;
  if (insecureSkipTLSVerify && caPem !== undefined) {
    // clientcmd rejects this combination too, because the CA would silently be ignored.
    throw new Error(
      `${clusterWhere} sets both insecure-skip-tls-verify and a certificate-authority`,
    );
  }
  const userName = stringField(context, 'user', where);
  const user = userName === '' ? {} : namedEntry(config, 'users', 'user', userName);
  const tlsServerName = stringField(cluster, 'tls-server-name', clusterWhere);
  const connection: KubeconfigConnection = {
    server: parseServer(cluster, clusterWhere),
    caPem,
    insecureSkipTLSVerify,
    tlsServerName: tlsServerName === '' ? undefined : tlsServerName,
    ...(await userCredentials(user, `user "${userName}"`, baseDir)),
  };
  checkTLSMaterial(connection);
  return connection;
}

/**
 * Reads a kubeconfig file and returns the connection of its current context. Supports the
 * fields a webhook configuration uses: cluster server, certificate-authority(-data),
 * insecure-skip-tls-verify and tls-server-name; user client-certificate(-data),
 * client-key(-data), token and tokenFile.
 * @throws KubeconfigError, whose message starts with the path, when the file cannot be read or
 * is invalid.
 */
export async function loadKubeconfig(path: string): Promise<KubeconfigConnection> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new KubeconfigError(path, `unable to read the file: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return await connectionFromKubeconfig(text, dirname(resolve(path)));
  } catch (err) {
    throw new KubeconfigError(path, (err as Error).message, { cause: err });
  }
}
