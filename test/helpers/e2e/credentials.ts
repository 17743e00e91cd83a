import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { parse as parseYAML, stringify } from 'yaml';
import type { CompletedProcess } from './apiserver_process.js';
import { postSelfSubjectReview, type Endpoint, type Reply } from './http_client.js';
import { runKubectl } from './kubectl.js';

/** A credential as a client presents it. A credential with no field set is no credential. */
export interface Credential {
  /** Bearer token. */
  readonly token?: string;
  /** HTTP basic authentication; kubectl sends it when the kubeconfig user has a username. */
  readonly username?: string;
  readonly password?: string;
  /** PEM client certificate, leaf first, followed by any intermediate CAs to send along. */
  readonly clientCertPem?: string;
  readonly clientKeyPem?: string;
}

/**
 * The user a SelfSubjectReview reports in status.userInfo, as `kubectl auth whoami -o yaml`
 * prints it. The API omits an empty uid and empty extra, so expectations leave them out too.
 */
export interface ExpectedUser {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** A user row of a --token-auth-file or --basic-auth-file. */
export interface CSVUser {
  /** The token or password in the first column. */
  readonly secret: string;
  readonly name: string;
  readonly uid: string;
  readonly groups: readonly string[];
}

/** kube-apiserver's 401 Status body, parsed. */
const UNAUTHORIZED_STATUS = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

/** Quotes a CSV field when it contains a comma, a double quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes a --token-auth-file or --basic-auth-file: one `secret,name,uid,"group1,group2"` line
 * per user, readable only by the owner.
 */
export async function writeUserCSV(path: string, users: readonly CSVUser[]): Promise<void> {
  const lines = users.map((user) =>
    [user.secret, user.name, user.uid, user.groups.join(',')].map(csvField).join(','),
  );
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/**
 * Writes a kubeconfig in `dir` whose only user presents `credential` to `endpoint`, and returns
 * its path. A credential with no field set gets an empty user entry, for which kubectl prompts
 * for a user name, so pass a username for a request that is meant to be anonymous.
 */
export async function writeCredentialKubeconfig(
  dir: string,
  fileName: string,
  endpoint: Endpoint,
  credential: Credential,
): Promise<string> {
  const user: Record<string, string> = {};
  if (credential.token !== undefined) user.token = credential.token;
  if (credential.username !== undefined) user.username = credential.username;
  if (credential.password !== undefined) user.password = credential.password;
  if (credential.clientCertPem !== undefined && credential.clientKeyPem !== undefined) {
    user['client-certificate-data'] = Buffer.from(credential.clientCertPem).toString('base64');
    user['client-key-data'] = Buffer.from(credential.clientKeyPem).toString('base64');
  }
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'e2e',
        cluster: {
          server: endpoint.url,
          'certificate-authority-data': Buffer.from(endpoint.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'e2e', user }],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'e2e' } }],
    'current-context': 'e2e',
  };
  const path = join(dir, fileName);
  await writeFile(path, stringify(config), { mode: 0o600 });
  return path;
}

/** The outcome of `kubectl auth whoami -o yaml`. */
export interface WhoamiResult {
  readonly process: CompletedProcess;
  /** status.userInfo of the printed SelfSubjectReview, or undefined when kubectl failed. */
  readonly userInfo: unknown;
}

/** Runs `kubectl auth whoami -o yaml` with a kubeconfig and reads the user it prints. */
export async function kubectlWhoami(kubeconfigPath: string): Promise<WhoamiResult> {
  const process = await runKubectl(kubeconfigPath, ['auth', 'whoami', '-o', 'yaml']);
  if (process.code !== 0) return { process, userInfo: undefined };
  const review = parseYAML(process.stdout) as { status?: { userInfo?: unknown } };
  return { process, userInfo: review.status?.userInfo };
}

/**
 * Writes a kubeconfig for `credential`, runs `kubectl auth whoami -o yaml` with it and checks
 * that kubectl prints exactly `expected`.
 */
export async function expectWhoami(
  dir: string,
  fileName: string,
  endpoint: Endpoint,
  credential: Credential,
  expected: ExpectedUser,
): Promise<void> {
  const kubeconfig = await writeCredentialKubeconfig(dir, fileName, endpoint, credential);
  const { process, userInfo } = await kubectlWhoami(kubeconfig);
  expect(process.code, process.stderr).to.equal(0);
  expect(userInfo).to.deep.equal(expected);
}

/** POSTs a JSON SelfSubjectReview that presents `credential` and any extra header lines. */
export function postReviewWith(
  endpoint: Endpoint,
  credential: Credential,
  headers: ReadonlyArray<readonly [string, string]> = [],
): Promise<Reply> {
  const lines: [string, string][] = [];
  if (credential.username !== undefined) {
    const pair = `${credential.username}:${credential.password ?? ''}`;
    lines.push(['Authorization', `Basic ${Buffer.from(pair).toString('base64')}`]);
  }
  return postSelfSubjectReview(
    endpoint,
    {
      token: credential.token,
      clientCertPem: credential.clientCertPem,
      clientKeyPem: credential.clientKeyPem,
    },
    [...lines, ...headers],
  );
}

/** Checks that a reply is kube-apiserver's 401: a JSON Status with reason Unauthorized. */
export function expectUnauthorizedStatus(reply: Reply): void {
  expect(reply.status, reply.body).to.equal(401);
  expect(reply.headers['content-type']).to.equal('application/json');
  expect(JSON.parse(reply.body)).to.deep.equal(UNAUTHORIZED_STATUS);
}

/** A credential with the user it must resolve to. */
export interface AcceptedCredential {
  readonly credential: Credential;
  readonly user: ExpectedUser;
}

/** The extra key under which kube-apiserver 1.32 reports a service account token's jti. */
const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';

/**
 * Creates service account `name` in `namespace` and a token for it with kubectl, as the user of
 * `kubeconfigPath`. The token is for `audience`, or for the server's --api-audiences when it is
 * absent. The expected user carries the account's uid and, as extra, the token's jti.
 * @throws Error with kubectl's stderr when a kubectl command fails.
 */
export async function createServiceAccountToken(
  kubeconfigPath: string,
  namespace: string,
  name: string,
  audience?: string,
): Promise<AcceptedCredential> {
  const run = async (args: string[]): Promise<string> => {
    const result = await runKubectl(kubeconfigPath, args);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    }
    return result.stdout.trim();
  };
  const uid = await run([
    'create',
    'serviceaccount',
    name,
    '-n',
    namespace,
    '-o',
    'jsonpath={.metadata.uid}',
  ]);
  const audienceArgs = audience === undefined ? [] : [`--audience=${audience}`];
  const token = await run(['create', 'token', name, '-n', namespace, ...audienceArgs]);
  const { jti } = decodeJwt(token);
  if (typeof jti !== 'string') throw new Error(`the token of ${namespace}/${name} has no jti`);
  return {
    credential: { token },
    user: {
      username: `system:serviceaccount:${namespace}:${name}`,
      uid,
      groups: [
        'system:serviceaccounts',
        `system:serviceaccounts:${namespace}`,
        'system:authenticated',
      ],
      extra: { [CREDENTIAL_ID_KEY]: [`JTI=${jti}`] },
    },
  };
}
