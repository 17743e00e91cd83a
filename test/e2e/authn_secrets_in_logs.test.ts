import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'yaml';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import {
  postSelfSubjectReview,
  send,
  type Endpoint,
  type Reply,
} from '../helpers/e2e/http_client.js';
import { runKubectl, writeKubeconfig } from '../helpers/e2e/kubectl.js';

const TOKEN_REVIEWS_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

/**
 * Length of the pieces of a secret the logs are searched for. A log line that quotes part of a
 * token, such as V8's ten-character excerpt in a JSON parse error, still contains one of them.
 * Secrets are random base64url, so a ten-character piece matches other log text by chance with a
 * probability of about 64^-10 per position.
 */
const PIECE_LENGTH = 10;

/** Returns a random secret of 32 base64url characters (192 bits). */
function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** A secret sent to a server, searched for in the logs whole and in pieces. */
interface Secret {
  name: string;
  value: string;
  /** The part whose pieces are searched for; the whole value by default. */
  randomPart?: string;
}

/** Returns every piece of `text` of PIECE_LENGTH characters that also occurs in `haystack`. */
function leakedPieces(text: string, haystack: string): string[] {
  const pieces = new Set<string>();
  for (let start = 0; start + PIECE_LENGTH <= text.length; start++) {
    const piece = text.slice(start, start + PIECE_LENGTH);
    if (haystack.includes(piece)) pieces.add(piece);
  }
  return [...pieces];
}

function basicHeader(username: string, password: string): [string, string] {
  return ['Authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`];
}

/** Replaces one character inside a JWT's signature, so the signature no longer verifies. */
function tamperSignature(jwt: string): string {
  const signatureStart = jwt.lastIndexOf('.') + 1;
  const index = signatureStart + 10;
  const replacement = jwt[index] === 'A' ? 'B' : 'A';
  return `${jwt.slice(0, index)}${replacement}${jwt.slice(index + 1)}`;
}

function tokenReviewJSON(token: string): string {
  return JSON.stringify({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token },
  });
}

/** POSTs a TokenReview body to `server` as the user of `adminToken`. */
function postTokenReview(
  server: Endpoint,
  adminToken: string,
  contentType: string,
  body: string,
): Promise<Reply> {
  return send(server, {
    method: 'POST',
    path: TOKEN_REVIEWS_PATH,
    headers: [['Content-Type', contentType]],
    credentials: { token: adminToken },
    body,
  });
}

/** Waits until a stopped process's output pipes are drained, then returns its stdout and stderr. */
async function drainedOutput(server: APIServerProcess): Promise<string> {
  await Promise.all([finished(server.child.stdout!), finished(server.child.stderr!)]);
  return `${server.stdout()}\n${server.stderr()}`;
}

/** A request sent while the servers run, with the status that shows its credential was used. */
interface SentRequest {
  name: string;
  reply: Reply;
  expectStatus: number;
  /** For TokenReviews: the expected status.authenticated. */
  expectAuthenticated?: boolean;
}

describe('authentication secrets in logs at -v=10', function () {
  this.timeout(120_000);
  let dir: string;
  /** The TokenReview webhook that `main` calls. */
  let webhook: APIServerProcess;
  /** Token file, basic auth, service accounts and the webhook, with the audit log in a file. */
  let main: APIServerProcess;
  /** --insecure-allow-any-token, with the audit log on stdout. */
  let anyToken: APIServerProcess;
  const secrets: Secret[] = [];
  const requests: SentRequest[] = [];
  /** Log text by where it came from. */
  const logs = new Map<string, string>();

  function addSecret(name: string, value: string, randomPart?: string): string {
    secrets.push({ name, value, randomPart });
    return value;
  }

  before(async function () {
    dir = await makeTempDir('authn-secrets');
    const webhookAdminToken = addSecret('webhook admin token', newSecret());
    const webhookUserToken = addSecret('webhook user token', newSecret());
    const webhookWrongToken = addSecret('token the webhook rejects', newSecret());
    const adminToken = addSecret('admin token', newSecret());
    const userToken = addSecret('token file user token', newSecret());
    const wrongToken = addSecret('token not in token file', newSecret());
    const password = addSecret('basic password', newSecret());
    const wrongPassword = addSecret('wrong basic password', newSecret());
    const unknownUserPassword = addSecret('unknown user password', newSecret());
    const anyTokenSecret = newSecret();
    // An any-token is the user name and groups it authenticates as, and those are logged like
    // any other user's. So only the whole valid token is searched for, not its pieces.
    const validAnyToken = addSecret('valid any-token', `any-user/${anyTokenSecret}`, '');
    const nameless = addSecret('nameless any-token', `/${newSecret()}`);

    const webhookTokens = join(dir, 'webhook-tokens.csv');
    await writeFile(
      webhookTokens,
      `${webhookAdminToken},webhook-admin,1,system:masters\n${webhookUserToken},webhook-user,2\n`,
      { mode: 0o600 },
    );
    const mainTokens = join(dir, 'tokens.csv');
    await writeFile(mainTokens, `${adminToken},admin,10,system:masters\n${userToken},jane,11\n`, {
      mode: 0o600,
    });
    const passwords = join(dir, 'passwords.csv');
    await writeFile(passwords, `${password},basic-user,20\n`, { mode: 0o600 });

    [webhook, anyToken] = await Promise.all([
      startAPIServerProcess([
        '-v=10',
        `--token-auth-file=${webhookTokens}`,
        `--audit-log-path=${join(dir, 'webhook-audit.log')}`,
        '--authorization-mode=AlwaysAllow',
      ]),
      startAPIServerProcess([
        '-v=10',
        '--insecure-allow-any-token',
        '--audit-log-path=-',
        '--authorization-mode=AlwaysAllow',
      ]),
    ]);
    const webhookConfig = join(dir, 'webhook.kubeconfig');
    await writeFile(
      webhookConfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'webhook',
            cluster: {
              server: `${webhook.url}${TOKEN_REVIEWS_PATH}`,
              'certificate-authority-data': Buffer.from(webhook.caPem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'main', user: { token: webhookAdminToken } }],
        contexts: [{ name: 'webhook', context: { cluster: 'webhook', user: 'main' } }],
        'current-context': 'webhook',
      }),
      { mode: 0o600 },
    );
    main = await startAPIServerProcess([
      '-v=10',
      `--token-auth-file=${mainTokens}`,
      `--basic-auth-file=${passwords}`,
      `--authentication-token-webhook-config-file=${webhookConfig}`,
      '--authentication-token-webhook-version=v1',
      `--audit-log-path=${join(dir, 'main-audit.log')}`,
      '--authorization-mode=AlwaysAllow',
    ]);

    const adminKubeconfig = await writeKubeconfig(dir, {
      fileName: 'admin.kubeconfig',
      server: main.url,
      caPem: main.caPem,
      token: adminToken,
    });
    const created = await runKubectl(adminKubeconfig, [
      'create',
      'token',
      'default',
      '-n',
      'default',
    ]);
    expect(created.code, created.stderr).to.equal(0);
    const serviceAccountToken = created.stdout.trim();
    addSecret(
      'service account token',
      serviceAccountToken,
      serviceAccountToken.slice(serviceAccountToken.lastIndexOf('.') + 1),
    );
    const tamperedToken = tamperSignature(serviceAccountToken);
    addSecret('tampered service account token', tamperedToken, '');
    addSecret('basic header', basicHeader('basic-user', password)[1]);
    addSecret('wrong basic header', basicHeader('basic-user', wrongPassword)[1]);
    const jsonSecret = addSecret('token in bad JSON', newSecret());
    const yamlSecret = addSecret('token in bad YAML', newSecret());
    const taggedSecret = addSecret('token after YAML tag', newSecret());

    const review = async (token: string) => postSelfSubjectReview(main, { token });
    const sent: [string, Promise<Reply>, number][] = [
      ['admin token', review(adminToken), 201],
      ['token file user', review(userToken), 201],
      ['token not in file', review(wrongToken), 401],
      [
        'basic password',
        postSelfSubjectReview(main, {}, [basicHeader('basic-user', password)]),
        201,
      ],
      [
        'wrong basic password',
        postSelfSubjectReview(main, {}, [basicHeader('basic-user', wrongPassword)]),
        401,
      ],
      [
        'unknown basic user',
        postSelfSubjectReview(main, {}, [basicHeader('nobody', unknownUserPassword)]),
        401,
      ],
      ['service account token', review(serviceAccountToken), 201],
      ['tampered service account token', review(tamperedToken), 401],
      ['webhook user token', review(webhookUserToken), 201],
      ['token the webhook rejects', review(webhookWrongToken), 401],
      [
        'malformed bearer header',
        send(main, {
          path: '/healthz',
          headers: [['Authorization', `Bearer ${userToken} trailing`]],
        }),
        200,
      ],
      ['valid any-token', postSelfSubjectReview(anyToken, { token: validAnyToken }), 201],
      ['nameless any-token', postSelfSubjectReview(anyToken, { token: nameless }), 401],
    ];
    const reviewed: [string, string, string, number, boolean?][] = [
      ['review of user token', 'application/json', tokenReviewJSON(userToken), 201, true],
      ['review of wrong token', 'application/json', tokenReviewJSON(wrongToken), 201, false],
      ['review of webhook token', 'application/json', tokenReviewJSON(webhookUserToken), 201, true],
      [
        'review of service account token',
        'application/json',
        tokenReviewJSON(serviceAccountToken),
        201,
        true,
      ],
      ['review of tampered token', 'application/json', tokenReviewJSON(tamperedToken), 201, false],
      [
        'review in bad JSON',
        'application/json',
        `{"kind":"TokenReview","spec":{"token":${jsonSecret}}}`,
        400,
      ],
      [
        'review in bad YAML',
        'application/yaml',
        `kind: TokenReview\nspec:\n  token: ${yamlSecret}\n   audiences: []\n`,
        400,
      ],
      [
        'review with unknown YAML tag',
        'application/yaml',
        `kind: TokenReview\nspec:\n  token: !secret ${taggedSecret}\n`,
        201,
        false,
      ],
    ];
    for (const [name, reply, expectStatus] of sent) {
      requests.push({ name, reply: await reply, expectStatus });
    }
    for (const [name, contentType, body, expectStatus, expectAuthenticated] of reviewed) {
      const reply = await postTokenReview(main, adminToken, contentType, body);
      requests.push({ name, reply, expectStatus, expectAuthenticated });
    }

    for (const [name, server] of [
      ['main', main],
      ['webhook', webhook],
      ['any-token', anyToken],
    ] as const) {
      const exit = await server.stop();
      expect(exit.code, `${name} exit code`).to.equal(0);
      logs.set(`${name} output`, await drainedOutput(server));
    }
    logs.set('main audit log', await readFile(join(dir, 'main-audit.log'), 'utf8'));
    logs.set('webhook audit log', await readFile(join(dir, 'webhook-audit.log'), 'utf8'));
  });

  after(async function () {
    await Promise.all([main?.stop(), webhook?.stop(), anyToken?.stop()]);
    await removeDir(dir);
  });

  it('each credential got its status', function () {
    const statuses = requests.map((request) => [request.name, request.reply.status]);
    expect(statuses).to.deep.equal(requests.map((request) => [request.name, request.expectStatus]));
  });

  it('each review has its outcome', function () {
    for (const request of requests) {
      if (request.expectAuthenticated === undefined) continue;
      const review = JSON.parse(request.reply.body) as { status?: { authenticated?: boolean } };
      expect(review.status?.authenticated ?? false, request.name).to.equal(
        request.expectAuthenticated,
      );
    }
  });

  it('debug lines and audit events written', function () {
    expect(logs.get('main output')).to.match(/ DEBUG \[authentication\] /);
    expect(logs.get('main audit log')).to.contain('"tokenreviews"');
    expect(logs.get('webhook audit log')).to.contain('"webhook-admin"');
    expect(logs.get('any-token output')).to.contain('"audit.k8s.io/v1"');
  });

  it('no secret in any log', function () {
    expect(secrets).to.have.length(18);
    const leaks: string[] = [];
    for (const secret of secrets) {
      for (const [where, text] of logs) {
        if (text.includes(secret.value)) leaks.push(`${secret.name}: whole value in ${where}`);
        const pieces = leakedPieces(secret.randomPart ?? secret.value, text);
        if (pieces.length > 0) {
          leaks.push(`${secret.name}: ${pieces.length} piece(s) such as ${pieces[0]} in ${where}`);
        }
      }
    }
    expect(leaks).to.deep.equal([]);
  });
});
