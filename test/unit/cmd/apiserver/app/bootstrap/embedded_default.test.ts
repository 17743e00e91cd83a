import { X509Certificate } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { parse } from 'yaml';

import {
  ensureEmbeddedDefault,
  findAdminToken,
  writeAdminKubeconfig,
} from '../../../../../../cmd/apiserver/app/bootstrap/embedded_default.js';
import type {
  EmbeddedDefault,
  EmbeddedDefaultOptions,
} from '../../../../../../cmd/apiserver/app/bootstrap/embedded_default.js';
import {
  generateCA,
  generateClientCert,
  generateServingCert,
} from '../../../../../../cmd/apiserver/app/bootstrap/pki.js';
import type { CertificateKeyPair } from '../../../../../../cmd/apiserver/app/bootstrap/pki.js';

type LogEntry = Record<string, unknown> & { level: string; message: string };

interface CapturedLogger {
  readonly logger: winston.Logger;
  readonly entries: LogEntry[];
  readonly rawLines: string[];
}

// Returns a debug-level logger that stores every JSON entry in memory.
function newCapturedLogger(): CapturedLogger {
  const entries: LogEntry[] = [];
  const rawLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const line = chunk.toString();
      rawLines.push(line);
      entries.push(JSON.parse(line) as LogEntry);
      callback();
    },
  });
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, entries, rawLines };
}

// winston pipes entries through streams, which can deliver them after the logging call returns.
async function flushLogs(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

const ALL_NEEDS = { needServingCert: true, needClientCA: true, needTokenFile: true };
const CERT_FILES = ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'admin.crt', 'admin.key'];
const ALL_FILES = [...CERT_FILES, 'tokens.csv'];
const DAY_MS = 24 * 60 * 60 * 1000;

async function ensure(
  certDir: string,
  needs: Omit<EmbeddedDefaultOptions, 'certDir' | 'logger'> = ALL_NEEDS,
): Promise<{ embedded: EmbeddedDefault; log: CapturedLogger }> {
  const log = newCapturedLogger();
  const embedded = await ensureEmbeddedDefault({ certDir, logger: log.logger, ...needs });
  await flushLogs();
  return { embedded, log };
}

async function readDir(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(dir)) {
    files.set(name, await readFile(join(dir, name), 'utf8'));
  }
  return files;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

async function fingerprint(path: string): Promise<string> {
  return new X509Certificate(await readFile(path)).fingerprint256;
}

async function readPair(dir: string, base: string): Promise<CertificateKeyPair> {
  return {
    certPem: await readFile(join(dir, `${base}.crt`), 'utf8'),
    keyPem: await readFile(join(dir, `${base}.key`), 'utf8'),
  };
}

async function writePair(dir: string, base: string, pair: CertificateKeyPair): Promise<void> {
  await writeFile(join(dir, `${base}.crt`), pair.certPem);
  await writeFile(join(dir, `${base}.key`), pair.keyPem, { mode: 0o600 });
}

function expiredValidity(): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(Date.now() - 400 * DAY_MS),
    notAfter: new Date(Date.now() - DAY_MS),
  };
}

describe('bootstrap ensureEmbeddedDefault', () => {
  let root: string;
  let templateDir: string;
  let template: EmbeddedDefault;
  let firstLog: CapturedLogger;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'embedded-default-'));
    // A nested path checks that missing parents are created too.
    templateDir = join(root, 'template', 'data');
    ({ embedded: template, log: firstLog } = await ensure(templateDir));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  let caseCount = 0;
  async function copyTemplate(): Promise<string> {
    caseCount += 1;
    const dir = join(root, `case-${caseCount}`);
    await cp(templateDir, dir, { recursive: true });
    return dir;
  }

  describe('first run', () => {
    it('creates every file', async () => {
      expect((await readdir(templateDir)).sort()).to.deep.equal([...ALL_FILES].sort());
    });

    it('returns every path', () => {
      expect(template).to.deep.equal({
        certDir: templateDir,
        caFile: join(templateDir, 'ca.crt'),
        servingCertFile: join(templateDir, 'apiserver.crt'),
        servingKeyFile: join(templateDir, 'apiserver.key'),
        adminClientCertFile: join(templateDir, 'admin.crt'),
        adminClientKeyFile: join(templateDir, 'admin.key'),
        tokenFile: join(templateDir, 'tokens.csv'),
        adminToken: template.adminToken,
      });
    });

    const modes = [
      { file: 'ca.crt', expectMode: 0o644 },
      { file: 'ca.key', expectMode: 0o600 },
      { file: 'apiserver.crt', expectMode: 0o644 },
      { file: 'apiserver.key', expectMode: 0o600 },
      { file: 'admin.crt', expectMode: 0o644 },
      { file: 'admin.key', expectMode: 0o600 },
      { file: 'tokens.csv', expectMode: 0o600 },
    ];
    for (const tc of modes) {
      it(`writes ${tc.file} with mode ${tc.expectMode.toString(8)}`, async () => {
        expect((await stat(join(templateDir, tc.file))).mode & 0o777).to.equal(tc.expectMode);
      });
    }

    it('creates the directories with mode 700', async () => {
      expect((await stat(templateDir)).mode & 0o777).to.equal(0o700);
      expect((await stat(join(root, 'template'))).mode & 0o777).to.equal(0o700);
    });

    it('writes the CA subject', async () => {
      const ca = new X509Certificate(await readFile(join(templateDir, 'ca.crt')));
      expect(ca.subject).to.equal('CN=mini-kube-apiserver-ca');
      expect(ca.ca).to.be.true;
    });

    it('signs the serving cert for loopback', async () => {
      const ca = new X509Certificate(await readFile(join(templateDir, 'ca.crt')));
      const cert = new X509Certificate(await readFile(join(templateDir, 'apiserver.crt')));
      expect(cert.verify(ca.publicKey)).to.be.true;
      expect(cert.subjectAltName).to.equal(
        'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
      );
      expect(cert.keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.1']);
    });

    it('signs the admin cert for system:masters', async () => {
      const ca = new X509Certificate(await readFile(join(templateDir, 'ca.crt')));
      const cert = new X509Certificate(await readFile(join(templateDir, 'admin.crt')));
      expect(cert.verify(ca.publicKey)).to.be.true;
      expect(cert.subject.split('\n').sort()).to.deep.equal(['CN=admin', 'O=system:masters']);
      expect(cert.keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.2']);
    });

    it('writes the token file line', async () => {
      const text = await readFile(join(templateDir, 'tokens.csv'), 'utf8');
      expect(template.adminToken).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(text).to.equal(`${template.adminToken},admin,admin-uid,"system:masters"\n`);
    });

    it('logs each generated file', () => {
      const generated = firstLog.entries
        .filter((entry) => entry.message === 'generated certificate')
        .map((entry) => ({ file: entry['file'], commonName: entry['commonName'] }));
      expect(generated).to.deep.equal([
        { file: join(templateDir, 'ca.crt'), commonName: 'mini-kube-apiserver-ca' },
        { file: join(templateDir, 'apiserver.crt'), commonName: 'localhost' },
        { file: join(templateDir, 'admin.crt'), commonName: 'admin' },
      ]);
      const tokenEntry = firstLog.entries.find((entry) => entry.message === 'generated token file');
      expect(tokenEntry?.['file']).to.equal(join(templateDir, 'tokens.csv'));
    });

    it('logs no secret', async () => {
      const keys = await Promise.all(
        ['ca.key', 'apiserver.key', 'admin.key'].map((file) =>
          readFile(join(templateDir, file), 'utf8'),
        ),
      );
      const text = firstLog.rawLines.join('');
      expect(text).to.not.include(template.adminToken);
      expect(text).to.not.include('PRIVATE KEY');
      for (const key of keys) {
        expect(text).to.not.include(key.split('\n')[1]);
      }
    });
  });

  describe('second run', () => {
    let dir: string;
    let before: Map<string, string>;
    let second: EmbeddedDefault;
    let secondLog: CapturedLogger;

    beforeEach(async () => {
      dir = await copyTemplate();
      before = await readDir(dir);
      ({ embedded: second, log: secondLog } = await ensure(dir));
    });

    it('changes no file', async () => {
      expect(changedFiles(before, await readDir(dir))).to.deep.equal([]);
    });

    for (const file of ['ca.crt', 'apiserver.crt', 'admin.crt']) {
      it(`reuses ${file}`, async () => {
        expect(await fingerprint(join(dir, file))).to.equal(
          await fingerprint(join(templateDir, file)),
        );
      });
    }

    it('reuses the admin token', () => {
      expect(second.adminToken).to.equal(template.adminToken);
    });

    it('logs reuse only', () => {
      const messages = secondLog.entries.map((entry) => entry.message);
      expect(messages).to.deep.equal([
        'reusing certificate',
        'reusing certificate',
        'reusing certificate',
        'reusing token file',
      ]);
      expect(secondLog.rawLines.join('')).to.not.include(template.adminToken);
    });
  });

  describe('damaged files', () => {
    type Case = {
      name: string;
      damage: (dir: string) => Promise<void>;
      expectChanged: string[];
      expectLogs: { message: string; file: string; reason?: RegExp }[];
      expectNewToken?: boolean;
    };
    const cases: Case[] = [
      {
        name: 'missing serving cert',
        damage: (dir) => rm(join(dir, 'apiserver.crt')),
        expectChanged: ['apiserver.crt', 'apiserver.key'],
        expectLogs: [
          {
            message: 'regenerating certificate',
            file: 'apiserver.crt',
            reason: /^certificate file is missing$/,
          },
        ],
      },
      {
        name: 'missing serving cert and key',
        damage: async (dir) => {
          await rm(join(dir, 'apiserver.crt'));
          await rm(join(dir, 'apiserver.key'));
        },
        expectChanged: ['apiserver.crt', 'apiserver.key'],
        expectLogs: [{ message: 'generating certificate', file: 'apiserver.crt' }],
      },
      {
        name: 'missing admin key',
        damage: (dir) => rm(join(dir, 'admin.key')),
        expectChanged: ['admin.crt', 'admin.key'],
        expectLogs: [
          {
            message: 'regenerating certificate',
            file: 'admin.crt',
            reason: /^key file is missing$/,
          },
        ],
      },
      {
        name: 'expired serving cert',
        damage: async (dir) => {
          const ca = await readPair(dir, 'ca');
          const expired = generateServingCert(ca, {
            dnsNames: ['localhost'],
            ips: ['127.0.0.1', '::1'],
            validity: expiredValidity(),
          });
          await writePair(dir, 'apiserver', expired);
        },
        expectChanged: ['apiserver.crt', 'apiserver.key'],
        expectLogs: [
          {
            message: 'regenerating certificate',
            file: 'apiserver.crt',
            reason: /^certificate expired at /,
          },
        ],
      },
      {
        name: 'unparsable admin cert',
        damage: (dir) => writeFile(join(dir, 'admin.crt'), 'not a certificate\n'),
        expectChanged: ['admin.crt', 'admin.key'],
        expectLogs: [
          {
            message: 'regenerating certificate',
            file: 'admin.crt',
            reason: /^certificate does not parse: /,
          },
        ],
      },
      {
        name: 'serving key of another cert',
        damage: async (dir) => {
          await cp(join(dir, 'admin.key'), join(dir, 'apiserver.key'));
        },
        expectChanged: ['apiserver.crt', 'apiserver.key'],
        expectLogs: [
          {
            message: 'regenerating certificate',
            file: 'apiserver.crt',
            reason: /^private key does not match the certificate$/,
          },
        ],
      },
      {
        name: 'admin cert from another CA',
        damage: async (dir) => {
          const otherCA = generateCA('other-ca');
          const admin = generateClientCert(otherCA, {
            commonName: 'admin',
            organizations: ['system:masters'],
          });
          await writePair(dir, 'admin', admin);
        },
        expectChanged: ['admin.crt', 'admin.key'],
        expectLogs: [
          {
            message: 'regenerating certificate',
            file: 'admin.crt',
            reason: /^certificate is not signed by the current CA$/,
          },
        ],
      },
      {
        name: 'missing CA',
        damage: async (dir) => {
          await rm(join(dir, 'ca.crt'));
          await rm(join(dir, 'ca.key'));
        },
        expectChanged: CERT_FILES.slice().sort(),
        expectLogs: [
          { message: 'generating certificate', file: 'ca.crt' },
          {
            message: 'regenerating certificate',
            file: 'apiserver.crt',
            reason: /^certificate is not signed by the current CA$/,
          },
          {
            message: 'regenerating certificate',
            file: 'admin.crt',
            reason: /^certificate is not signed by the current CA$/,
          },
        ],
      },
      {
        name: 'expired CA',
        damage: async (dir) => {
          await writePair(dir, 'ca', generateCA('old-ca', { validity: expiredValidity() }));
        },
        expectChanged: CERT_FILES.slice().sort(),
        expectLogs: [
          { message: 'regenerating certificate', file: 'ca.crt', reason: /^certificate expired/ },
        ],
      },
      {
        name: 'missing token file',
        damage: (dir) => rm(join(dir, 'tokens.csv')),
        expectChanged: ['tokens.csv'],
        expectLogs: [{ message: 'generated token file', file: 'tokens.csv' }],
        expectNewToken: true,
      },
      {
        name: 'token file without admin',
        damage: (dir) => writeFile(join(dir, 'tokens.csv'), 'abc,bob,bob-uid,"dev"\n'),
        expectChanged: ['tokens.csv'],
        expectLogs: [
          {
            message: 'regenerating token file',
            file: 'tokens.csv',
            reason: /^no line with a token for user admin$/,
          },
        ],
        expectNewToken: true,
      },
    ];

    for (const tc of cases) {
      it(`regenerates ${tc.name}`, async () => {
        const dir = await copyTemplate();
        await tc.damage(dir);
        const before = await readDir(dir);

        const { embedded, log } = await ensure(dir);

        expect(changedFiles(before, await readDir(dir))).to.deep.equal(tc.expectChanged);
        for (const expected of tc.expectLogs) {
          const entry = log.entries.find(
            (e) => e.message === expected.message && e['file'] === join(dir, expected.file),
          );
          expect(entry, `log "${expected.message}" for ${expected.file}`).to.not.equal(undefined);
          if (expected.reason !== undefined) {
            expect(entry?.['reason']).to.match(expected.reason);
          }
        }
        if (tc.expectNewToken === true) {
          expect(embedded.adminToken).to.not.equal(template.adminToken);
          expect(await readFile(join(dir, 'tokens.csv'), 'utf8')).to.include(embedded.adminToken);
        } else {
          expect(embedded.adminToken).to.equal(template.adminToken);
        }
        for (const file of ['ca.key', 'apiserver.key', 'admin.key', 'tokens.csv']) {
          expect((await stat(join(dir, file))).mode & 0o777, file).to.equal(0o600);
        }
      });
    }
  });

  describe('partial needs', () => {
    const cases = [
      {
        name: 'nothing',
        needs: { needServingCert: false, needClientCA: false, needTokenFile: false },
        expectFiles: ['ca.crt', 'ca.key'],
      },
      {
        name: 'serving cert',
        needs: { needServingCert: true, needClientCA: false, needTokenFile: false },
        expectFiles: ['apiserver.crt', 'apiserver.key', 'ca.crt', 'ca.key'],
      },
      {
        name: 'client CA',
        needs: { needServingCert: false, needClientCA: true, needTokenFile: false },
        expectFiles: ['admin.crt', 'admin.key', 'ca.crt', 'ca.key'],
      },
      {
        name: 'token file',
        needs: { needServingCert: false, needClientCA: false, needTokenFile: true },
        expectFiles: ['ca.crt', 'ca.key', 'tokens.csv'],
      },
    ];
    for (const tc of cases) {
      it(`generates ${tc.name} only`, async () => {
        // Starting from the template's CA keeps the test from generating a CA key every time.
        const dir = await copyTemplate();
        for (const file of ALL_FILES.filter((name) => !name.startsWith('ca.'))) {
          await rm(join(dir, file));
        }
        const { embedded } = await ensure(dir, tc.needs);
        expect((await readdir(dir)).sort()).to.deep.equal(tc.expectFiles);
        expect(embedded.servingCertFile !== undefined).to.equal(tc.needs.needServingCert);
        expect(embedded.adminClientCertFile !== undefined).to.equal(tc.needs.needClientCA);
        expect(embedded.tokenFile !== undefined).to.equal(tc.needs.needTokenFile);
        expect(embedded.adminToken !== undefined).to.equal(tc.needs.needTokenFile);
      });
    }
  });

  describe('writeAdminKubeconfig', () => {
    interface ParsedKubeconfig {
      clusters: { name: string; cluster: Record<string, unknown> }[];
      users: { name: string; user: Record<string, unknown> }[];
      'current-context': string;
    }
    const base64 = (text: string): string => Buffer.from(text).toString('base64');

    const cases = [
      {
        name: 'every credential',
        needs: ALL_NEEDS,
        expectCA: true,
        expectClientCert: true,
        expectToken: true,
      },
      {
        name: 'token only',
        needs: { needServingCert: true, needClientCA: false, needTokenFile: true },
        expectCA: true,
        expectClientCert: false,
        expectToken: true,
      },
      {
        name: 'client cert only',
        needs: { needServingCert: true, needClientCA: true, needTokenFile: false },
        expectCA: true,
        expectClientCert: true,
        expectToken: false,
      },
      {
        name: 'user serving cert',
        needs: { needServingCert: false, needClientCA: true, needTokenFile: true },
        expectCA: false,
        expectClientCert: true,
        expectToken: true,
      },
    ];
    for (const tc of cases) {
      it(`writes ${tc.name}`, async () => {
        const dir = await copyTemplate();
        const { embedded } = await ensure(dir, tc.needs);
        const server = 'https://127.0.0.1:6443';

        const path = await writeAdminKubeconfig(embedded, server);

        expect(path).to.equal(join(dir, 'admin.kubeconfig'));
        expect((await stat(path)).mode & 0o777).to.equal(0o600);
        const config = parse(await readFile(path, 'utf8')) as ParsedKubeconfig;
        expect(config['current-context']).to.equal('admin@mini-kube-apiserver');
        const cluster = config.clusters[0]?.cluster ?? {};
        expect(cluster['server']).to.equal(server);
        expect(cluster['certificate-authority-data']).to.equal(
          tc.expectCA ? base64(await readFile(join(dir, 'ca.crt'), 'utf8')) : undefined,
        );
        const user = config.users[0]?.user ?? {};
        expect(user['client-certificate-data']).to.equal(
          tc.expectClientCert ? base64(await readFile(join(dir, 'admin.crt'), 'utf8')) : undefined,
        );
        expect(user['client-key-data']).to.equal(
          tc.expectClientCert ? base64(await readFile(join(dir, 'admin.key'), 'utf8')) : undefined,
        );
        expect(user['token']).to.equal(tc.expectToken ? embedded.adminToken : undefined);
      });
    }

    it('replaces the server URL', async () => {
      const dir = await copyTemplate();
      const { embedded } = await ensure(dir);
      await writeAdminKubeconfig(embedded, 'https://127.0.0.1:1');
      const path = await writeAdminKubeconfig(embedded, 'https://[::1]:2');
      const config = parse(await readFile(path, 'utf8')) as ParsedKubeconfig;
      expect(config.clusters[0]?.cluster['server']).to.equal('https://[::1]:2');
    });
  });
});

describe('bootstrap findAdminToken', () => {
  const cases = [
    { name: 'generated line', text: 'tok,admin,admin-uid,"system:masters"\n', expectToken: 'tok' },
    { name: 'admin on a later line', text: 'a,bob,1\r\nb,admin,2\n', expectToken: 'b' },
    { name: 'no admin line', text: 'a,bob,1\n', expectToken: undefined },
    { name: 'empty token', text: ',admin,1\n', expectToken: undefined },
    { name: 'empty file', text: '', expectToken: undefined },
    { name: 'admin as a group only', text: 'a,bob,1,"admin"\n', expectToken: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(findAdminToken(tc.text)).to.equal(tc.expectToken);
    });
  }
});
