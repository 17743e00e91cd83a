import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCA } from '../../../../../cmd/apiserver/app/bootstrap/pki.js';
import {
  KubeconfigError,
  connectionFromKubeconfig,
  loadKubeconfig,
} from '../../../../../pkg/util/kubeconfig/kubeconfig.js';

/** Builds a kubeconfig with one context, `ctx`, from a cluster and a user map. */
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'webhook', cluster }],
    users: [{ name: 'apiserver', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'webhook', user: 'apiserver' } }],
    'current-context': 'ctx',
  });
}

async function rejectionOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  return expect.fail('expected a rejection');
}

describe('kubeconfig', () => {
  let dir = '';
  const ca = generateCA('kubeconfig-test-ca');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeconfig-test-'));
    await writeFile(join(dir, 'ca.crt'), ca.certPem);
    await writeFile(join(dir, 'token'), 'file-token\n');
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a relative certificate-authority', async () => {
    const path = join(dir, 'relative.kubeconfig');
    await writeFile(
      path,
      kubeconfig({ server: 'https://127.0.0.1:8443/review', 'certificate-authority': 'ca.crt' }),
    );
    const connection = await loadKubeconfig(path);
    expect(connection.server.href).to.equal('https://127.0.0.1:8443/review');
    expect(connection.caPem?.toString()).to.equal(ca.certPem);
    expect(connection.insecureSkipTLSVerify).to.equal(false);
    expect(connection.bearerToken).to.equal(undefined);
  });

  it('reads YAML with inline data and token', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: c',
      '  cluster:',
      '    server: https://127.0.0.1:1',
      `    certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')}`,
      'users:',
      '- name: u',
      '  user:',
      '    token: inline-token',
      '    tokenFile: token',
      'contexts:',
      '- name: x',
      '  context: {cluster: c, user: u}',
      'current-context: x',
    ].join('\n');
    const connection = await connectionFromKubeconfig(yaml, dir);
    expect(connection.caPem?.toString()).to.equal(ca.certPem);
    expect(connection.bearerToken).to.equal('inline-token');
  });

  it('reads a tokenFile', async () => {
    const text = kubeconfig({ server: 'https://127.0.0.1:1' }, { tokenFile: 'token' });
    const connection = await connectionFromKubeconfig(text, dir);
    expect(connection.bearerToken).to.equal('file-token');
  });

  it('reads client certificate and key data', async () => {
    const text = kubeconfig(
      { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true },
      {
        'client-certificate-data': Buffer.from(ca.certPem).toString('base64'),
        'client-key-data': Buffer.from(ca.keyPem).toString('base64'),
      },
    );
    const connection = await connectionFromKubeconfig(text, dir);
    expect(connection.clientCertPem?.toString()).to.equal(ca.certPem);
    expect(connection.clientKeyPem?.toString()).to.equal(ca.keyPem);
    expect(connection.insecureSkipTLSVerify).to.equal(true);
  });

  const invalidCases = [
    { name: 'not a map', text: '- a\n- b\n', expectMessage: 'does not contain a kubeconfig map' },
    {
      name: 'no current-context',
      text: JSON.stringify({ clusters: [] }),
      expectMessage: 'current-context is not set',
    },
    {
      name: 'unknown context',
      text: JSON.stringify({ 'current-context': 'nope', contexts: [] }),
      expectMessage: 'context "nope" not found in contexts',
    },
    {
      name: 'missing server',
      text: kubeconfig({}),
      expectMessage: 'cluster "webhook".server is missing',
    },
    {
      name: 'invalid server',
      text: kubeconfig({ server: 'not a url' }),
      expectMessage: 'cluster "webhook".server "not a url" is not a valid URL',
    },
    {
      name: 'unsupported scheme',
      text: kubeconfig({ server: 'ftp://127.0.0.1' }),
      expectMessage: 'must use https or http',
    },
    {
      name: 'CA file and data',
      text: kubeconfig({
        server: 'https://127.0.0.1',
        'certificate-authority': 'ca.crt',
        'certificate-authority-data': 'AAAA',
      }),
      expectMessage: 'sets both certificate-authority and certificate-authority-data',
    },
    {
      name: 'CA with insecure',
      text: kubeconfig({
        server: 'https://127.0.0.1',
        'certificate-authority': 'ca.crt',
        'insecure-skip-tls-verify': true,
      }),
      expectMessage: 'sets both insecure-skip-tls-verify and a certificate-authority',
    },
    {
      name: 'invalid base64',
      text: kubeconfig({ server: 'https://127.0.0.1', 'certificate-authority-data': '%%%' }),
      expectMessage: 'certificate-authority-data is not valid base64',
    },
    {
      name: 'missing CA file',
      text: kubeconfig({ server: 'https://127.0.0.1', 'certificate-authority': 'missing.crt' }),
      expectMessage: 'unable to read cluster "webhook".certificate-authority',
    },
    {
      name: 'certificate without key',
      text: kubeconfig({ server: 'https://127.0.0.1' }, { 'client-certificate': 'ca.crt' }),
      expectMessage: 'must set client-certificate and client-key together',
    },
    {
      name: 'exec plugin',
      text: kubeconfig({ server: 'https://127.0.0.1' }, { exec: { command: 'x' } }),
      expectMessage: 'user "apiserver".exec is not supported',
    },
    {
      name: 'CA that is not PEM',
      text: kubeconfig({
        server: 'https://127.0.0.1',
        'certificate-authority-data': Buffer.from('garbage').toString('base64'),
      }),
      expectMessage: 'invalid TLS certificate or key',
    },
  ];
  for (const tc of invalidCases) {
    it(`rejects ${tc.name}`, async () => {
      const err = await rejectionOf(() => connectionFromKubeconfig(tc.text, dir));
      expect(err.message).to.include(tc.expectMessage);
    });
  }

  const lineCases: { name: string; lines: string[]; expectMessage: string }[] = [
    {
      name: 'YAML syntax error',
      lines: ['apiVersion: v1', 'clusters: [', 'current-context: x'],
      expectMessage: 'line 3, column 1: invalid YAML: ',
    },
    {
      name: 'missing server',
      lines: [
        'clusters:',
        '- name: c',
        '  cluster:',
        '    insecure-skip-tls-verify: true',
        'contexts:',
        '- name: x',
        '  context: {cluster: c}',
        'current-context: x',
      ],
      expectMessage: 'line 3: cluster "c".server is missing',
    },
    {
      name: 'invalid server',
      lines: [
        'clusters:',
        '- name: c',
        '  cluster:',
        '    insecure-skip-tls-verify: true',
        '    server: not a url',
        'contexts:',
        '- name: x',
        '  context: {cluster: c}',
        'current-context: x',
      ],
      expectMessage: 'line 5: cluster "c".server "not a url" is not a valid URL',
    },
    {
      name: 'empty clusters',
      lines: [
        'clusters: []',
        'contexts:',
        '- name: x',
        '  context:',
        '    user: u',
        '    cluster: c',
        'current-context: x',
      ],
      expectMessage: 'line 6: cluster "c" not found in clusters',
    },
    {
      name: 'unknown current context',
      lines: ['contexts: []', 'current-context: x'],
      expectMessage: 'line 2: context "x" not found in contexts',
    },
  ];
  for (const tc of lineCases) {
    it(`reports line of ${tc.name}`, async () => {
      const err = await rejectionOf(() => connectionFromKubeconfig(tc.lines.join('\n'), dir));
      expect(err.message.slice(0, tc.expectMessage.length)).to.equal(tc.expectMessage);
      expect(err.message).not.to.contain('\n');
    });
  }

  it('omits line of missing top-level key', async () => {
    const err = await rejectionOf(() => connectionFromKubeconfig('clusters: []\n', dir));
    expect(err.message).to.equal('current-context is not set');
  });

  it('prefixes errors with the path', async () => {
    const path = join(dir, 'missing.kubeconfig');
    const err = await rejectionOf(() => loadKubeconfig(path));
    expect(err).to.be.instanceOf(KubeconfigError);
    expect(err.message).to.match(new RegExp(`^${path}: unable to read the file: ENOENT`));
  });
});
