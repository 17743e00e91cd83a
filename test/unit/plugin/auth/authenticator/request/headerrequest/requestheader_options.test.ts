import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RequestHeaderAuthenticationOptions,
  buildRequestHeaderAuthenticator,
} from '../../../../../../../cmd/apiserver/app/options/authentication_requestheader.js';
import { issueCertificate } from './testcerts.js';

function parse(args: string[]): RequestHeaderAuthenticationOptions {
  const options = new RequestHeaderAuthenticationOptions();
  const command = new Command().exitOverride();
  options.addFlags(command);
  command.parse(args, { from: 'user' });
  options.applyFlags(command.opts());
  return options;
}

describe('RequestHeaderAuthenticationOptions', function () {
  it('defaults to empty lists', function () {
    const options = parse([]);
    expect(options.clientCAFile).to.equal('');
    expect(options.allowedNames).to.deep.equal([]);
    expect(options.usernameHeaders).to.deep.equal([]);
    expect(options.uidHeaders).to.deep.equal([]);
    expect(options.groupHeaders).to.deep.equal([]);
    expect(options.extraHeaderPrefixes).to.deep.equal([]);
    expect(options.validate()).to.deep.equal([]);
    expect(options.warnings()).to.deep.equal([]);
  });

  it('reads every flag', function () {
    const options = parse([
      '--requestheader-client-ca-file=/ca.crt',
      '--requestheader-allowed-names=front-proxy,aggregator',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-username-headers=X-Forwarded-User',
      '--requestheader-uid-headers=X-Remote-Uid',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    ]);
    expect(options.clientCAFile).to.equal('/ca.crt');
    expect(options.allowedNames).to.deep.equal(['front-proxy', 'aggregator']);
    expect(options.usernameHeaders).to.deep.equal(['X-Remote-User', 'X-Forwarded-User']);
    expect(options.uidHeaders).to.deep.equal(['X-Remote-Uid']);
    expect(options.groupHeaders).to.deep.equal(['X-Remote-Group']);
    expect(options.extraHeaderPrefixes).to.deep.equal(['X-Remote-Extra-']);
    expect(options.validate()).to.deep.equal([]);
    expect(options.warnings()).to.deep.equal([]);
  });

  const cases: { name: string; args: string[]; expectErrors: string[] }[] = [
    {
      name: 'headers without CA file',
      args: ['--requestheader-username-headers=X-Remote-User'],
      expectErrors: [
        '--requestheader-client-ca-file: required when --requestheader-username-headers is set; give the CA bundle that signs the front proxy client certificate',
      ],
    },
    {
      name: 'several flags without CA file',
      args: ['--requestheader-group-headers=X-Remote-Group', '--requestheader-allowed-names=p'],
      expectErrors: [
        '--requestheader-client-ca-file: required when --requestheader-group-headers, --requestheader-allowed-names are set; give the CA bundle that signs the front proxy client certificate',
      ],
    },
    {
      name: 'empty list entry',
      args: [
        '--requestheader-client-ca-file=/ca.crt',
        '--requestheader-username-headers=X-Remote-User,,X-User',
        '--requestheader-extra-headers-prefix= ',
      ],
      expectErrors: [
        '--requestheader-username-headers: empty entry in the list; remove the extra comma',
        '--requestheader-extra-headers-prefix: empty entry in the list; remove the extra comma',
      ],
    },
  ];
  for (const tc of cases) {
    it(`rejects ${tc.name}`, function () {
      const messages = parse(tc.args)
        .validate()
        .map((error) => error.message);
      expect(messages).to.deep.equal(tc.expectErrors);
    });
  }

  it('warns about non-standard header names', function () {
    const warnings = parse([
      '--requestheader-client-ca-file=/ca.crt',
      '--requestheader-username-headers=X-Forwarded-User',
    ]).warnings();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(
      /^--requestheader-username-headers is set without .*X-Remote-User/,
    );
  });

  it('warns about CA file without username headers', function () {
    const warnings = parse(['--requestheader-client-ca-file=/ca.crt']).warnings();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^--requestheader-client-ca-file is set without/);
  });
});

describe('buildRequestHeaderAuthenticator', function () {
  let dir: string;
  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'requestheader-'));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns undefined without CA file', async function () {
    expect(
      await buildRequestHeaderAuthenticator(new RequestHeaderAuthenticationOptions()),
    ).to.equal(undefined);
  });

  it('builds authenticator and header list', async function () {
    const path = join(dir, 'ca.crt');
    await writeFile(path, issueCertificate({ cn: 'ca', ca: true }).certPem);
    const options = parse([
      `--requestheader-client-ca-file=${path}`,
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    ]);
    const built = await buildRequestHeaderAuthenticator(options);
    expect(built?.headersToRemove.names).to.deep.equal(['x-remote-user']);
    expect(built?.headersToRemove.prefixes).to.deep.equal(['x-remote-extra-']);
    expect(built?.headersToRemove.matches('x-remote-extra-scopes')).to.equal(true);
    expect(built?.authenticator).to.have.property('authenticateRequest');
  });

  const cases: { name: string; file: string; content?: string; expectMessage: RegExp }[] = [
    { name: 'missing file', file: 'missing.crt', expectMessage: /unable to read the file/ },
    {
      name: 'no certificate',
      file: 'empty.crt',
      content: 'not a PEM file\n',
      expectMessage: /no PEM certificate found/,
    },
  ];
  for (const tc of cases) {
    it(`rejects ${tc.name}`, async function () {
      const path = join(dir, tc.file);
      if (tc.content !== undefined) await writeFile(path, tc.content);
      const options = parse([`--requestheader-client-ca-file=${path}`]);
      let error: unknown;
      try {
        await buildRequestHeaderAuthenticator(options);
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(Error);
      const message = (error as Error).message;
      expect(message.startsWith(`--requestheader-client-ca-file: ${path}: `)).to.equal(true);
      expect(message).to.match(tc.expectMessage);
    });
  }
});
