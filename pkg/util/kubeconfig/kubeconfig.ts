import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import {
  isMap as isYAMLMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type YAMLError,
} from 'yaml';

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

/** Keys and list indexes from the document root to a node, as yaml's Document.getIn takes them. */
type NodePath = readonly (string | number)[];

/** An invalid field, with the path of the node it concerns, so the message can give its line. */
class FieldError extends Error {
  constructor(
    message: string,
    readonly at: NodePath,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function isMap(value: unknown): value is YAMLMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an optional string field of the map at `at`, failing on any other type. */
function stringField(map: YAMLMap, key: string, where: string, at: NodePath): string {
  const value = map[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string')
    throw new FieldError(`${where}.${key} must be a string`, [...at, key]);
  return value;
}

/**
 * Finds the entry called `name` in a named list such as `clusters` and returns its body and the
 * body's path. `reference` is the path of the field that names the entry, where a missing entry
 * is reported.
 */
function namedEntry(
  config: YAMLMap,
  listKey: string,
  bodyKey: string,
  name: string,
  reference: NodePath,
): { body: YAMLMap; at: NodePath } {
  const list = config[listKey] ?? [];
  if (!Array.isArray(list)) throw new FieldError(`${listKey} must be a list`, [listKey]);
  for (const [index, entry] of (list as unknown[]).entries()) {
    if (!isMap(entry) || entry.name !== name) continue;
    const body = entry[bodyKey];
    if (!isMap(body)) {
      throw new FieldError(`${listKey} entry "${name}" has no ${bodyKey} map`, [listKey, index]);
    }
    return { body, at: [listKey, index, bodyKey] };
  }
  throw new FieldError(`${bodyKey} "${name}" not found in ${listKey}`, reference);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Produces the bytes of a `<name>` / `<name>-data` pair, as clientcmd does for certificates. */
async function fileOrData(
  map: YAMLMap,
  name: string,
  where: string,
  baseDir: string,
  at: NodePath,
): Promise<Buffer | undefined> {
  const file = stringField(map, name, where, at);
  const data = stringField(map, `${name}-data`, where, at);
  if (file !== '' && data !== '') {
    throw new FieldError(`${where} sets both ${name} and ${name}-data; keep one of them`, at);
  }
  if (data !== '') {
    const compact = data.replace(/\s+/g, '');
    if (!BASE64.test(compact)) {
      throw new FieldError(`${where}.${name}-data is not valid base64`, [...at, `${name}-data`]);
    }
    return Buffer.from(compact, 'base64');
  }
  if (file === '') return undefined;
  // clientcmd resolves relative paths against the directory of the kubeconfig file.
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  try {
    return await readFile(path);
  } catch (err) {
    throw new FieldError(
      `unable to read ${where}.${name} ${path}: ${(err as Error).message}`,
      [...at, name],
      { cause: err },
    );
  }
}

function parseServer(cluster: YAMLMap, where: string, at: NodePath): URL {
  const server = stringField(cluster, 'server', where, at);
  const serverAt = [...at, 'server'];
  if (server === '') throw new FieldError(`${where}.server is missing`, serverAt);
  let url: URL;
  try {
    url = new URL(server);
  } catch (err) {
    throw new FieldError(`${where}.server "${server}" is not a valid URL`, serverAt, {
      cause: err,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FieldError(`${where}.server "${server}" must use https or http`, serverAt);
  }
  return url;
}

const UNSUPPORTED_USER_FIELDS = ['exec', 'auth-provider', 'username', 'password', 'as'];

async function userCredentials(user: YAMLMap, where: string, baseDir: string, at: NodePath) {
  for (const key of UNSUPPORTED_USER_FIELDS) {
    if (user[key] !== undefined) {
      throw new FieldError(
        `${where}.${key} is not supported; use a client certificate or a token`,
        [...at, key],
      );
    }
  }
  const clientCertPem = await fileOrData(user, 'client-certificate', where, baseDir, at);
  const clientKeyPem = await fileOrData(user, 'client-key', where, baseDir, at);
  if ((clientCertPem === undefined) !== (clientKeyPem === undefined)) {
    throw new FieldError(`${where} must set client-certificate and client-key together`, at);
  }
  // As in client-go, an inline token wins over tokenFile.
  let bearerToken: string | undefined = stringField(user, 'token', where, at);
  if (bearerToken === '') {
    const tokenFile = await fileOrData(user, 'tokenFile', where, baseDir, at);
    bearerToken = tokenFile?.toString('utf8').trim();
  }
  return { clientCertPem, clientKeyPem, bearerToken: bearerToken === '' ? undefined : bearerToken };
}

/**
 * Fails when Node cannot load the PEM material, so a bad file is reported at start-up. The CA
 * is reported at `clusterAt` and the client certificate and key at `userAt`.
 */
function checkTLSMaterial(
  connection: KubeconfigConnection,
  clusterAt: NodePath,
  userAt: NodePath,
): void {
  const check = (at: NodePath, load: () => void): void => {
    try {
      load();
    } catch (err) {
      throw new FieldError(`invalid TLS certificate or key: ${(err as Error).message}`, at, {
        cause: err,
      });
    }
  };
  check(clusterAt, () => {
    if (connection.caPem === undefined) return;
    // createSecureContext skips CA text that is not PEM, so parse the first certificate too.
    new X509Certificate(connection.caPem);
    createSecureContext({ ca: connection.caPem });
  });
  check(userAt, () => {
    createSecureContext({ cert: connection.clientCertPem, key: connection.clientKeyPem });
  });
}

/**
 * Returns the 1-based line of the node at `at`: the line of its key in a map, or of the item in
 * a list. A node that does not exist is reported at its nearest ancestor below the root, and
 * undefined means no line applies (a top-level key is missing).
 */
function lineOfNode(
  document: Document,
  lineCounter: LineCounter,
  at: NodePath,
): number | undefined {
  for (let depth = at.length; depth > 0; depth--) {
    const parent = depth === 1 ? document.contents : document.getIn(at.slice(0, depth - 1), true);
    const key = at[depth - 1];
    let offset: number | undefined;
    if (isYAMLMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      offset = isNode(pair?.key) ? pair.key.range?.[0] : undefined;
    } else if (isSeq(parent) && typeof key === 'number') {
      const item: unknown = parent.items[key];
      offset = isNode(item) ? item.range?.[0] : undefined;
    }
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  return undefined;
}

/** Describes a YAML syntax error in one line, with its line and column. */
function describeSyntaxError(err: YAMLError, lineCounter: LineCounter): string {
  const { line, col } = lineCounter.linePos(err.pos[0]);
  return `line ${line}, column ${col}: invalid YAML: ${err.message}`;
}

/** Builds the connection of the current context from a parsed kubeconfig. */
async function connectionFromConfig(
  config: unknown,
  baseDir: string,
): Promise<KubeconfigConnection> {
  if (!isMap(config)) throw new Error('the file does not contain a kubeconfig map');
  const contextName = stringField(config, 'current-context', 'kubeconfig', []);
  if (contextName === '') throw new FieldError('current-context is not set', ['current-context']);
  const context = namedEntry(config, 'contexts', 'context', contextName, ['current-context']);
  const where = `context "${contextName}"`;
  const clusterName = stringField(context.body, 'cluster', where, context.at);
  if (clusterName === '') {
    throw new FieldError(`${where} names no cluster`, [...context.at, 'cluster']);
  }
  const cluster = namedEntry(config, 'clusters', 'cluster', clusterName, [
    ...context.at,
    'cluster',
  ]);
  const clusterWhere = `cluster "${clusterName}"`;

  const caPem = await fileOrData(
    cluster.body,
    'certificate-authority',
    clusterWhere,
    baseDir,
    cluster.at,
  );
  const insecureSkipTLSVerify = cluster.body['insecure-skip-tls-verify'] === true;
  if (insecureSkipTLSVerify && caPem !== undefined) {
    // clientcmd rejects this combination too, because the CA would silently be ignored.
    throw new FieldError(
      `${clusterWhere} sets both insecure-skip-tls-verify and a certificate-authority`,
      cluster.at,
    );
  }
  const userName = stringField(context.body, 'user', where, context.at);
  const user =
    userName === ''
      ? { body: {}, at: context.at }
      : namedEntry(config, 'users', 'user', userName, [...context.at, 'user']);
  const tlsServerName = stringField(cluster.body, 'tls-server-name', clusterWhere, cluster.at);
  const connection: KubeconfigConnection = {
    server: parseServer(cluster.body, clusterWhere, cluster.at),
    caPem,
    insecureSkipTLSVerify,
    tlsServerName: tlsServerName === '' ? undefined : tlsServerName,
    ...(await userCredentials(user.body, `user "${userName}"`, baseDir, user.at)),
  };
  checkTLSMaterial(connection, cluster.at, user.at);
  return connection;
}

/**
 * Builds the connection of the current context from kubeconfig YAML. Relative file paths in
 * the config resolve against `baseDir`.
 * @throws Error naming the invalid field, beginning with `line N: ` when a line of the text
 * applies (`line N, column M: invalid YAML: ` for a syntax error).
 */
export async function connectionFromKubeconfig(
  text: string,
  baseDir: string,
): Promise<KubeconfigConnection> {
  const lineCounter = new LineCounter();
  // Without prettyErrors, messages stay on one line and carry no source excerpt.
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = document.errors[0];
  if (syntaxError !== undefined) {
    throw new Error(describeSyntaxError(syntaxError, lineCounter), { cause: syntaxError });
  }
  try {
    return await connectionFromConfig(document.toJS(), baseDir);
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    const line = lineOfNode(document, lineCounter, err.at);
    if (line === undefined) throw err;
    throw new Error(`line ${line}: ${err.message}`, { cause: err });
  }
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
