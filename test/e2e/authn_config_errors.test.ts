import { expect } from 'chai';
import { availableParallelism } from 'node:os';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureServiceAccountKey } from '../../cmd/apiserver/app/bootstrap/service_account_key.js';
import { createLogger } from '../../pkg/logging/logger.js';
import {
  MAIN_JS,
  makeTempDir,
  preparedCertDir,
  removeDir,
  runProcess,
  type CompletedProcess,
} from '../helpers/e2e/apiserver_process.js';

/** A line the server logs: time, level, component, message and fields. */
const LOG_LINE = /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO |WARN |DEBUG|ERROR) \[[\w-]+\] /;
/** The one error line of a failed start. The err field is JSON-quoted when it contains spaces. */
const START_ERROR_LINE = / ERROR \[main\] unable to start the server err=(".*")$/;

/**
 * Root reads files whatever their mode, so for root an unreadable file is a directory in the
 * file's place, which no user can read as a file.
 */
const RUNNING_AS_ROOT = process.getuid?.() === 0;

/** How long one failing start may take, generous because other test processes load the machine. */
const PROCESS_TIMEOUT_MS = 60_000;

/** A file a case passes to its flag. */
type Fixture =
  | { kind: 'missing' }
  /** A file with mode 000, or a directory in its place when the tests run as root. */
  | { kind: 'unreadable' }
  | { kind: 'content'; content: string };

/** A file flag and the flags it needs to be used at all. */
interface FileFlag {
  flag: string;
  otherFlags: (certDir: string) => string[];
}

const TOKEN_FILE: FileFlag = { flag: '--token-auth-file', otherFlags: () => [] };
const BASIC_AUTH_FILE: FileFlag = { flag: '--basic-auth-file', otherFlags: () => [] };
const CLIENT_CA_FILE: FileFlag = { flag: '--client-ca-file', otherFlags: () => [] };
const REQUESTHEADER_CA_FILE: FileFlag = {
  flag: '--requestheader-client-ca-file',
  otherFlags: () => ['--requestheader-username-headers=X-Remote-User'],
};
const SERVICE_ACCOUNT_ISSUER = '--service-account-issuer=https://kubernetes.default.svc';
const SERVICE_ACCOUNT_KEY_FILE: FileFlag = {
  flag: '--service-account-key-file',
  otherFlags: () => [SERVICE_ACCOUNT_ISSUER],
};
const SERVICE_ACCOUNT_SIGNING_KEY_FILE: FileFlag = {
  flag: '--service-account-signing-key-file',
  otherFlags: (certDir) => [
    SERVICE_ACCOUNT_ISSUER,
    `--service-account-key-file=${join(certDir, 'sa.key')}`,
  ],
};
// The CA file fails before the OIDC authenticator is built, so nothing connects to the issuer.
const OIDC_CA_FILE: FileFlag = {
  flag: '--oidc-ca-file',
  otherFlags: () => ['--oidc-issuer-url=https://127.0.0.1:1', '--oidc-client-id=kubernetes'],
};
const WEBHOOK_CONFIG_FILE: FileFlag = {
  flag: '--authentication-token-webhook-config-file',
  otherFlags: () => [],
};
// Keystone is contacted only when a request carries basic credentials, never at start.
const KEYSTONE_CA_FILE: FileFlag = {
  flag: '--experimental-keystone-ca-file',
  otherFlags: () => ['--experimental-keystone-url=https://127.0.0.1:1'],
};

const FILE_FLAGS: readonly FileFlag[] = [
  TOKEN_FILE,
  BASIC_AUTH_FILE,
  CLIENT_CA_FILE,
  REQUESTHEADER_CA_FILE,
  SERVICE_ACCOUNT_KEY_FILE,
  SERVICE_ACCOUNT_SIGNING_KEY_FILE,
  OIDC_CA_FILE,
  WEBHOOK_CONFIG_FILE,
  KEYSTONE_CA_FILE,
];

/** Text that contains no PEM block at all. */
const NOT_PEM = 'this is not a PEM file\n';

function pemBlock(label: string): string {
  return `-----BEGIN ${label}-----\nbm90IERFUg==\n-----END ${label}-----\n`;
}

function lines(...text: string[]): string {
  return text.map((line) => `${line}\n`).join('');
}

interface ErrorCase {
  name: string;
  fileFlag: FileFlag;
  fixture: Fixture;
  /** Text the message contains; `{path}` stands for the file's path. */
  expectDetail: string;
}

function contentCase(
  fileFlag: FileFlag,
  name: string,
  content: string,
  expectDetail: string,
): ErrorCase {
  return { name, fileFlag, fixture: { kind: 'content', content }, expectDetail };
}

const CASES: readonly ErrorCase[] = [
  ...FILE_FLAGS.flatMap((fileFlag): ErrorCase[] => [
    { name: 'missing file', fileFlag, fixture: { kind: 'missing' }, expectDetail: 'ENOENT' },
    {
      name: 'unreadable file',
      fileFlag,
      fixture: { kind: 'unreadable' },
      expectDetail: RUNNING_AS_ROOT ? 'EISDIR' : 'EACCES',
    },
  ]),
  contentCase(
    TOKEN_FILE,
    'row with two columns',
    lines('token-alice,alice,1001', 'token-bob,bob'),
    '{path}: line 2: found 2 column(s)',
  ),
  contentCase(
    BASIC_AUTH_FILE,
    'row with two columns',
    lines('password-alice,alice,1001', 'password-bob,bob'),
    '{path}: line 2: found 2 column(s)',
  ),
  ...[CLIENT_CA_FILE, REQUESTHEADER_CA_FILE, OIDC_CA_FILE, KEYSTONE_CA_FILE].flatMap((fileFlag) => [
    contentCase(fileFlag, 'no PEM certificate', NOT_PEM, 'no PEM certificate'),
    contentCase(fileFlag, 'corrupt PEM certificate', pemBlock('CERTIFICATE'), 'certificate 1'),
  ]),
  contentCase(SERVICE_ACCOUNT_KEY_FILE, 'no PEM key', NOT_PEM, 'does not contain'),
  contentCase(
    SERVICE_ACCOUNT_KEY_FILE,
    'corrupt PEM public key',
    pemBlock('PUBLIC KEY'),
    'invalid PUBLIC KEY block',
  ),
  contentCase(SERVICE_ACCOUNT_SIGNING_KEY_FILE, 'no PEM key', NOT_PEM, 'does not contain'),
  contentCase(
    SERVICE_ACCOUNT_SIGNING_KEY_FILE,
    'corrupt PEM private key',
    pemBlock('RSA PRIVATE KEY'),
    'invalid RSA PRIVATE KEY block',
  ),
  contentCase(
    WEBHOOK_CONFIG_FILE,
    'invalid YAML',
    lines('apiVersion: v1', 'kind: Config', '\tclusters: []'),
    '{path}: line 3, column 1: invalid YAML: ',
  ),
  contentCase(
    WEBHOOK_CONFIG_FILE,
    'no clusters',
    lines(
      'apiVersion: v1',
      'kind: Config',
      'clusters: []',
      'contexts:',
      '- name: webhook',
      '  context:',
      '    cluster: webhook',
      'current-context: webhook',
    ),
    '{path}: line 7: cluster "webhook" not found in clusters',
  ),
  contentCase(
    WEBHOOK_CONFIG_FILE,
    'missing server',
    lines(
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: webhook',
      '  cluster:',
      '    insecure-skip-tls-verify: true',
      'contexts:',
      '- name: webhook',
      '  context:',
      '    cluster: webhook',
      'current-context: webhook',
    ),
    '{path}: line 5: cluster "webhook".server is missing',
  ),
];

async function writeFixture(path: string, fixture: Fixture): Promise<void> {
  if (fixture.kind === 'missing') return;
  if (fixture.kind === 'content') {
    await writeFile(path, fixture.content);
    return;
  }
  if (RUNNING_AS_ROOT) {
    await mkdir(path);
    return;
  }
  await writeFile(path, 'any content\n');
  await chmod(path, 0o000);
}

/** Returns a function that runs tasks with at most `limit` of them in flight at once. */
function concurrencyLimiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <R>(task: () => Promise<R>): Promise<R> => {
    // A finishing task hands its slot straight to the next waiting one.
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const nextTask = waiting.shift();
      if (nextTask === undefined) active--;
      else nextTask();
    }
  };
}

describe('authentication file errors at start', function () {
  this.timeout(PROCESS_TIMEOUT_MS + 10_000);
  let dir: string;
  let certDir: string;
  /** The finished process of each case by name, or the error that kept it from running. */
  const outcomes = new Map<string, Promise<CompletedProcess | Error>>();

  function caseName(tc: ErrorCase): string {
    return `${tc.fileFlag.flag} ${tc.name}`;
  }

  function pathOf(tc: ErrorCase): string {
    return join(dir, caseName(tc).replace(/\W+/g, '-'));
  }

  before(async function () {
    this.timeout(30_000);
    dir = await makeTempDir('authn-config-errors');
    certDir = await preparedCertDir();
    // Every process shares this cert dir, so the generated key must exist before they start.
    await ensureServiceAccountKey(certDir, createLogger({ verbosity: 0, silent: true }));

    for (const tc of CASES) await writeFixture(pathOf(tc), tc.fixture);
    // Each failing start loads the whole server first, so running a few at once saves time.
    const limit = concurrencyLimiter(Math.max(2, Math.min(4, availableParallelism())));
    for (const tc of CASES) {
      const args = [
        MAIN_JS,
        `--cert-dir=${certDir}`,
        '--secure-port=0',
        ...tc.fileFlag.otherFlags(certDir),
        `${tc.fileFlag.flag}=${pathOf(tc)}`,
      ];
      const outcome = limit(() =>
        runProcess(process.execPath, args, { timeoutMs: PROCESS_TIMEOUT_MS }),
      );
      // Settled into a value at once, so a failure waits for its test without being unhandled.
      outcomes.set(
        caseName(tc),
        outcome.catch((err: unknown) => err as Error),
      );
    }
  });

  after(async function () {
    await Promise.all(outcomes.values());
    await removeDir(dir);
    await removeDir(certDir);
  });

  for (const tc of CASES) {
    it(`${caseName(tc)} stops the start`, async function () {
      const outcome = await outcomes.get(caseName(tc));
      if (outcome instanceof Error) throw outcome;
      const result = outcome!;
      const stderrLines = result.stderr.split('\n').filter((line) => line !== '');

      expect(result.code, result.stderr).to.equal(1);
      expect(result.stdout).to.equal('');
      expect(
        stderrLines.filter((line) => !LOG_LINE.test(line)),
        'lines that are not log lines',
      ).to.deep.equal([]);
      const errorLines = stderrLines.filter((line) => line.includes(' ERROR '));
      expect(errorLines, result.stderr).to.have.length(1);
      const quoted = START_ERROR_LINE.exec(errorLines[0]!)?.[1];
      expect(quoted, errorLines[0]).to.be.a('string');
      const message = JSON.parse(quoted!) as string;
      expect(message).not.to.contain('\n');
      const path = pathOf(tc);
      expect(message.startsWith(`${tc.fileFlag.flag}: `), message).to.equal(true);
      expect(message).to.contain(path);
      expect(message).to.contain(tc.expectDetail.replace('{path}', path));
      expect(result.stderr).not.to.contain(' listening ');
    });
  }
});
