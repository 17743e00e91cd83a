import { expect } from 'chai';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMBEDDED_DEFAULT_FILES } from '../../cmd/apiserver/app/bootstrap/embedded_default.js';
import {
  makeTempDir,
  preparedCertDir,
  removeDir,
  runAPIServerCLI,
} from '../helpers/e2e/apiserver_process.js';

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('CLI flag errors', function () {
  let dir: string;

  before(async function () {
    dir = await makeTempDir('cli-flags');
  });

  after(async function () {
    await removeDir(dir);
  });

  const cases: { name: string; flag: string; expectLine: string }[] = [
    {
      name: 'unknown flag',
      flag: '--bogus',
      expectLine: "error: unknown option '--bogus'",
    },
    {
      name: 'port not a number',
      flag: '--secure-port=abc',
      expectLine:
        "error: option '--secure-port <port>' argument 'abc' is invalid. expected a non-negative integer.",
    },
    {
      name: 'duration without unit',
      flag: '--request-timeout=5',
      expectLine:
        "error: option '--request-timeout <duration>' argument '5' is invalid. invalid duration \"5\": use a number with a unit, such as 30s, 1m0s or 2h.",
    },
    {
      name: 'unknown authorization mode',
      flag: '--authorization-mode=Bogus',
      expectLine:
        'error: --authorization-mode: authorization mode "Bogus" is not supported: use AlwaysAllow, AlwaysDeny, ABAC, Webhook, RBAC',
    },
    {
      name: 'boolean not true or false',
      flag: '--anonymous-auth=maybe',
      expectLine:
        "error: option '--anonymous-auth [bool]' argument 'maybe' is invalid. expected true or false.",
    },
  ];
  for (const tc of cases) {
    it(`${tc.name} exits with one line`, async function () {
      const certDir = join(dir, tc.name.replace(/\W+/g, '-'));

      const result = await runAPIServerCLI([`--cert-dir=${certDir}`, '--secure-port=0', tc.flag]);

      expect(result.code).to.equal(1);
      expect(stderrLines(result.stderr)).to.deep.equal([tc.expectLine]);
      expect(result.stdout).to.equal('');
      expect(await exists(certDir), 'cert dir created').to.equal(false);
    });
  }
});

describe('CLI token file errors', function () {
  let dir: string;
  let certDir: string;

  before(async function () {
    dir = await makeTempDir('cli-token-file');
    certDir = await preparedCertDir();
  });

  after(async function () {
    await removeDir(dir);
    await removeDir(certDir);
  });

  const cases: {
    name: string;
    content: string | undefined;
    expectError: (path: string) => string;
  }[] = [
    {
      name: 'missing file',
      content: undefined,
      expectError: (path) => `--token-auth-file: ${path}: unable to read the file (ENOENT`,
    },
    {
      name: 'row with two columns',
      content: 'token-alice,alice,1001\ntoken-bob,bob\n',
      expectError: (path) =>
        `--token-auth-file: ${path}: line 2: found 2 column(s), but at least 3 are required`,
    },
    {
      name: 'unterminated quote',
      content: 'token-alice,alice,1001,"devs\n',
      expectError: (path) => `--token-auth-file: ${path}: line 1: invalid CSV`,
    },
  ];
  for (const tc of cases) {
    it(`${tc.name} stops the start`, async function () {
      const path = join(dir, `${tc.name.replace(/\W+/g, '-')}.csv`);
      if (tc.content !== undefined) await writeFile(path, tc.content);

      const result = await runAPIServerCLI([
        `--cert-dir=${certDir}`,
        '--secure-port=0',
        `--token-auth-file=${path}`,
      ]);

      expect(result.code).to.equal(1);
      const errors = stderrLines(result.stderr).filter((line) => line.includes(' ERROR '));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain(`unable to start the server err="${tc.expectError(path)}`);
      expect(result.stderr).not.to.contain(' listening ');
    });
  }
});

describe('CLI serving certificate errors', function () {
  let dir: string;
  let certDir: string;

  before(async function () {
    dir = await makeTempDir('cli-serving-cert');
    certDir = await preparedCertDir();
    await writeFile(
      join(dir, 'bad.crt'),
      '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n',
    );
  });

  after(async function () {
    await removeDir(dir);
    await removeDir(certDir);
  });

  const cases: {
    name: string;
    certFile: () => string;
    keyFile: () => string;
    expectError: (certFile: string, keyFile: string) => string;
  }[] = [
    {
      name: 'bad certificate PEM',
      certFile: () => join(dir, 'bad.crt'),
      keyFile: () => join(certDir, EMBEDDED_DEFAULT_FILES.servingKey),
      expectError: (certFile) => `--tls-cert-file: ${certFile}: certificate 1 is invalid: `,
    },
    {
      name: 'key of another certificate',
      certFile: () => join(certDir, EMBEDDED_DEFAULT_FILES.servingCert),
      keyFile: () => join(certDir, EMBEDDED_DEFAULT_FILES.caKey),
      expectError: (certFile, keyFile) =>
        `--tls-private-key-file: ${keyFile}: the private key does not match the certificate in --tls-cert-file ${certFile}"`,
    },
  ];
  for (const tc of cases) {
    it(`${tc.name} stops the start`, async function () {
      const certFile = tc.certFile();
      const keyFile = tc.keyFile();

      const result = await runAPIServerCLI([
        `--cert-dir=${certDir}`,
        '--secure-port=0',
        `--tls-cert-file=${certFile}`,
        `--tls-private-key-file=${keyFile}`,
      ]);

      expect(result.code).to.equal(1);
      const errors = stderrLines(result.stderr).filter((line) => line.includes(' ERROR '));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain(
        `unable to start the server err="${tc.expectError(certFile, keyFile)}`,
      );
      expect(result.stderr).not.to.contain(' listening ');
    });
  }
});
