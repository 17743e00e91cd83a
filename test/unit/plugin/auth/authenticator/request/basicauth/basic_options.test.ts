import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BasicAuthenticationOptions,
  buildAnyTokenAuthenticator,
  buildBasicAuthenticator,
} from '../../../../../../../cmd/apiserver/app/options/authentication_basic.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';

function parse(args: string[]): BasicAuthenticationOptions {
  const options = new BasicAuthenticationOptions();
  const command = new Command().exitOverride();
  options.addFlags(command);
  command.parse(args, { from: 'user' });
  options.applyFlags(command.opts());
  return options;
}

describe('BasicAuthenticationOptions', function () {
  const cases: { name: string; args: string[]; expectFile: string; expectAnyToken: boolean }[] = [
    { name: 'defaults', args: [], expectFile: '', expectAnyToken: false },
    {
      name: 'basic auth file',
      args: ['--basic-auth-file=/users.csv'],
      expectFile: '/users.csv',
      expectAnyToken: false,
    },
    {
      name: 'bare any-token flag',
      args: ['--insecure-allow-any-token'],
      expectFile: '',
      expectAnyToken: true,
    },
    {
      name: 'any-token false',
      args: ['--insecure-allow-any-token=false'],
      expectFile: '',
      expectAnyToken: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, function () {
      const options = parse(tc.args);
      expect(options.basicAuthFile).to.equal(tc.expectFile);
      expect(options.insecureAllowAnyToken).to.equal(tc.expectAnyToken);
      expect(options.validate()).to.deep.equal([]);
    });
  }

  it('warns while any-token is on', function () {
    expect(parse([]).warnings()).to.deep.equal([]);
    const warnings = parse(['--insecure-allow-any-token']).warnings();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^--insecure-allow-any-token is set: /);
  });

  it('builds any-token only when set', async function () {
    expect(buildAnyTokenAuthenticator(parse([]))).to.equal(undefined);
    const anyToken = buildAnyTokenAuthenticator(parse(['--insecure-allow-any-token']));
    const result = await anyToken?.authenticateToken('alice/devs', new AbortController().signal);
    expect(result?.kind).to.equal('authenticated');
  });
});

describe('buildBasicAuthenticator', function () {
  let dir: string;
  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'basicauth-'));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns undefined without file', async function () {
    expect(await buildBasicAuthenticator(parse([]))).to.equal(undefined);
  });

  it('builds authenticator with challenge', async function () {
    const path = join(dir, 'users.csv');
    await writeFile(path, 's3cret,alice,1000\n');
    const built = await buildBasicAuthenticator(parse([`--basic-auth-file=${path}`]));
    expect(built?.challenge).to.equal('Basic realm="kubernetes-master"');
    const authorization = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
    const result = await built?.authenticator.authenticateRequest(
      fakeRequest({ headers: { Authorization: authorization } }),
    );
    expect(result?.kind).to.equal('authenticated');
  });

  it('rejects malformed file with line', async function () {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 's3cret,alice\n');
    let error: unknown;
    try {
      await buildBasicAuthenticator(parse([`--basic-auth-file=${path}`]));
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(new RegExp(`^--basic-auth-file: ${path}: line 1: `));
  });
});
