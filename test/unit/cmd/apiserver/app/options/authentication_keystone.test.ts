import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCA } from '../../../../../../cmd/apiserver/app/bootstrap/pki.js';
import {
  KeystoneAuthenticationOptions,
  buildKeystoneAuthenticator,
  loadKeystoneCABundle,
} from '../../../../../../cmd/apiserver/app/options/authentication_keystone.js';
import { silentLogger } from '../../../../helpers/koa_context.js';

const URL_FLAG = '--experimental-keystone-url';
const CA_FILE_FLAG = '--experimental-keystone-ca-file';

function newCommand(options: KeystoneAuthenticationOptions): Command {
  const command = new Command().exitOverride();
  options.addFlags(command);
  return command;
}

function parse(args: string[]): KeystoneAuthenticationOptions {
  const options = new KeystoneAuthenticationOptions();
  const command = newCommand(options);
  command.parse(args, { from: 'user' });
  options.applyFlags(command.opts());
  return options;
}

/** Returns the error a promise rejects with, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  return expect.fail('expected a rejection, but the promise resolved');
}

describe('KeystoneAuthenticationOptions', function () {
  it('defaults leave Keystone off', function () {
    const options = parse([]);

    expect(options.url).to.equal('');
    expect(options.caFile).to.equal('');
    expect(options.isEnabled()).to.equal(false);
    expect(options.validate()).to.deep.equal([]);
  });

  it('help lists both flags', function () {
    const help = newCommand(new KeystoneAuthenticationOptions()).helpInformation();

    expect(help).to.include(`${URL_FLAG} <url>`);
    expect(help).to.include(`${CA_FILE_FLAG} <file>`);
  });

  const validCases: { name: string; args: string[] }[] = [
    { name: 'https URL', args: [`${URL_FLAG}=https://keystone.example.com:5000`] },
    { name: 'https v3 endpoint', args: [`${URL_FLAG}=https://10.0.0.5/identity/v3`] },
    {
      name: 'URL and CA file',
      args: [`${URL_FLAG}=https://keystone.example.com`, `${CA_FILE_FLAG}=/etc/keystone/ca.pem`],
    },
  ];
  for (const tc of validCases) {
    it(`accepts ${tc.name}`, function () {
      const options = parse(tc.args);

      expect(options.isEnabled()).to.equal(true);
      expect(options.validate()).to.deep.equal([]);
    });
  }

  const invalidCases: { name: string; args: string[]; expectErrors: string[] }[] = [
    {
      name: 'http URL',
      args: [`${URL_FLAG}=http://keystone.example.com:5000`],
      expectErrors: [
        `${URL_FLAG}: "http://keystone.example.com:5000" must use https, because user passwords are sent to it`,
      ],
    },
    {
      name: 'unparsable URL',
      args: [`${URL_FLAG}=keystone.example.com:5000`],
      expectErrors: [
        `${URL_FLAG}: "keystone.example.com:5000" must use https, because user passwords are sent to it`,
      ],
    },
    {
      name: 'relative URL',
      args: [`${URL_FLAG}=/v3`],
      expectErrors: [
        `${URL_FLAG}: invalid URL "/v3"; pass an https URL such as https://keystone.example.com:5000`,
      ],
    },
    {
      name: 'user and password',
      args: [`${URL_FLAG}=https://admin:secret@keystone.example.com`],
      expectErrors: [
        `${URL_FLAG}: "https://admin:secret@keystone.example.com" must not contain a user name or password`,
      ],
    },
    {
      name: 'query and fragment',
      args: [`${URL_FLAG}=https://keystone.example.com/?a=b#top`],
      expectErrors: [
        `${URL_FLAG}: "https://keystone.example.com/?a=b#top" must not contain a query`,
        `${URL_FLAG}: "https://keystone.example.com/?a=b#top" must not contain a fragment`,
      ],
    },
    {
      name: 'v2.0 endpoint',
      args: [`${URL_FLAG}=https://keystone.example.com:5000/v2.0/`],
      expectErrors: [
        `${URL_FLAG}: "https://keystone.example.com:5000/v2.0/" points at the identity API v2.0, which is not supported; pass the server URL or its /v3 endpoint`,
      ],
    },
    {
      name: 'CA file without URL',
      args: [`${CA_FILE_FLAG}=/etc/keystone/ca.pem`],
      expectErrors: [
        `${CA_FILE_FLAG}: /etc/keystone/ca.pem: the flag requires ${URL_FLAG}; set both or neither`,
      ],
    },
  ];
  for (const tc of invalidCases) {
    it(`rejects ${tc.name}`, function () {
      const errors = parse(tc.args).validate();

      expect(errors.map((error) => error.message)).to.deep.equal(tc.expectErrors);
      for (const error of errors) expect(error.message).to.not.include('\n');
    });
  }
});

describe('loadKeystoneCABundle', function () {
  let dir: string;
  let caPem: string;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'keystone-ca-'));
    caPem = generateCA('keystone-options-test-ca').certPem;
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns valid bundle text', async function () {
    const path = join(dir, 'ca.pem');
    await writeFile(path, caPem);

    expect(await loadKeystoneCABundle(path)).to.equal(caPem);
  });

  const invalidCases: { name: string; file: string; content?: string; expect: RegExp }[] = [
    {
      name: 'missing file',
      file: 'missing.pem',
      expect: /: unable to read the file \(ENOENT: .*\); check the path and its permissions$/,
    },
    {
      name: 'directory',
      file: '.',
      expect: /: unable to read the file \(EISDIR: .*\); check the path and its permissions$/,
    },
    {
      name: 'file without PEM',
      file: 'empty.pem',
      content: 'not a certificate\n',
      expect: /: the file contains no PEM certificate; pass a file with BEGIN CERTIFICATE blocks$/,
    },
    {
      name: 'corrupt certificate',
      file: 'corrupt.pem',
      content: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      expect: /: certificate 1 is invalid \(.+\)$/,
    },
  ];
  for (const tc of invalidCases) {
    it(`rejects ${tc.name}`, async function () {
      const path = join(dir, tc.file);
      if (tc.content !== undefined) await writeFile(path, tc.content);
      const error = await rejectionOf(loadKeystoneCABundle(path));

      expect(error.message.startsWith(`${CA_FILE_FLAG}: ${path}: `)).to.equal(true);
      expect(error.message).to.match(tc.expect);
      expect(error.message).to.not.include('\n');
    });
  }
});

describe('buildKeystoneAuthenticator', function () {
  it('returns undefined without URL', async function () {
    expect(await buildKeystoneAuthenticator(parse([]), silentLogger())).to.equal(undefined);
  });

  it('builds authenticator with challenge', async function () {
    const options = parse([`${URL_FLAG}=https://127.0.0.1:1`]);
    const built = await buildKeystoneAuthenticator(options, silentLogger());

    expect(built?.challenge).to.equal('Basic realm="kubernetes-master"');
    expect(built?.authenticator).to.have.property('authenticateRequest');
  });

  it('missing CA file fails build', async function () {
    const options = parse([
      `${URL_FLAG}=https://127.0.0.1:1`,
      `${CA_FILE_FLAG}=/nonexistent/keystone-ca.pem`,
    ]);
    const error = await rejectionOf(buildKeystoneAuthenticator(options, silentLogger()));

    expect(error.message).to.match(
      new RegExp(`^${CA_FILE_FLAG}: /nonexistent/keystone-ca.pem: unable to read the file`),
    );
  });
});
