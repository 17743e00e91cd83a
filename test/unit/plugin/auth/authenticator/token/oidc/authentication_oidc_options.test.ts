import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCA } from '../../../../../../../cmd/apiserver/app/bootstrap/pki.js';
import {
  OIDCAuthenticationOptions,
  loadCABundle,
  resolveUsernamePrefix,
} from '../../../../../../../cmd/apiserver/app/options/authentication_oidc.js';

const ISSUER = 'https://issuer.example';

/** Parses `args` with only the OIDC flags declared, as the server's command would. */
function parseOptions(args: string[]): OIDCAuthenticationOptions {
  const options = new OIDCAuthenticationOptions();
  const command = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  options.addFlags(command);
  command.parse(args, { from: 'user' });
  options.applyFlags(command.opts());
  return options;
}

/** Returns the message commander raises for `args`, and fails when parsing succeeds. */
function parseError(args: string[]): string {
  try {
    parseOptions(args);
  } catch (err) {
    return (err as Error).message;
  }
  expect.fail('expected a parse error, but none was raised');
}

describe('OIDCAuthenticationOptions', () => {
  it('keeps defaults without flags', () => {
    const options = parseOptions([]);

    expect(options.usernameClaim).to.equal('sub');
    expect(options.signingAlgs).to.deep.equal(['RS256']);
    expect(options.flagsSet).to.equal(false);
    expect(options.validate()).to.deep.equal([]);
    expect(options.toAuthenticatorConfig()).to.equal(undefined);
  });

  it('reads every flag', () => {
    const options = parseOptions([
      `--oidc-issuer-url=${ISSUER}`,
      '--oidc-client-id=kubernetes',
      '--oidc-username-claim=email',
      '--oidc-username-prefix=corp:',
      '--oidc-groups-claim=groups',
      '--oidc-groups-prefix=oidc:',
      '--oidc-required-claim=tenant=blue',
      '--oidc-required-claim',
      'expr=a=b',
      '--oidc-signing-algs=ES256,RS512',
      '--oidc-signing-algs=PS256',
    ]);

    expect(options.validate()).to.deep.equal([]);
    expect(options.toAuthenticatorConfig()).to.deep.equal({
      issuerURL: ISSUER,
      clientID: 'kubernetes',
      caBundle: undefined,
      usernameClaim: 'email',
      usernamePrefix: 'corp:',
      groupsClaim: 'groups',
      groupsPrefix: 'oidc:',
      requiredClaims: { tenant: 'blue', expr: 'a=b' },
      signingAlgs: ['ES256', 'RS512', 'PS256'],
    });
  });

  const invalidValues: { name: string; args: string[]; expectMessage: string }[] = [
    {
      name: 'required claim without =',
      args: ['--oidc-required-claim=tenant'],
      expectMessage:
        "option '--oidc-required-claim <key=value>' argument 'tenant' is invalid. expected key=value.",
    },
    {
      name: 'required claim without name',
      args: ['--oidc-required-claim==blue'],
      expectMessage: 'the claim name before "=" must not be empty.',
    },
  ];
  for (const tc of invalidValues) {
    it(`rejects ${tc.name}`, () => {
      expect(parseError(tc.args)).to.contain(tc.expectMessage);
    });
  }

  const validation: { name: string; args: string[]; expectErrors: string[] }[] = [
    {
      name: 'issuer without client',
      args: [`--oidc-issuer-url=${ISSUER}`],
      expectErrors: [
        '--oidc-issuer-url and --oidc-client-id must be specified together when any --oidc-* flag is set',
      ],
    },
    {
      name: 'only groups claim',
      args: ['--oidc-groups-claim=groups'],
      expectErrors: [
        '--oidc-issuer-url and --oidc-client-id must be specified together when any --oidc-* flag is set',
      ],
    },
    {
      name: 'http issuer',
      args: ['--oidc-issuer-url=http://issuer.example', '--oidc-client-id=k'],
      expectErrors: ['--oidc-issuer-url: the scheme must be https, got http:'],
    },
    {
      name: 'issuer with query, fragment and user',
      args: ['--oidc-issuer-url=https://u:p@issuer.example/?a=1#f', '--oidc-client-id=k'],
      expectErrors: [
        '--oidc-issuer-url: the URL must not contain a query',
        '--oidc-issuer-url: the URL must not contain a fragment',
        '--oidc-issuer-url: the URL must not contain a user name or password',
      ],
    },
    {
      name: 'issuer not a URL',
      args: ['--oidc-issuer-url=issuer.example', '--oidc-client-id=k'],
      expectErrors: ['--oidc-issuer-url: invalid URL "issuer.example"'],
    },
    {
      name: 'empty username claim',
      args: [`--oidc-issuer-url=${ISSUER}`, '--oidc-client-id=k', '--oidc-username-claim='],
      expectErrors: ['--oidc-username-claim: must not be empty'],
    },
    {
      name: 'symmetric algorithm',
      args: [`--oidc-issuer-url=${ISSUER}`, '--oidc-client-id=k', '--oidc-signing-algs=HS256'],
      expectErrors: [
        '--oidc-signing-algs: unsupported signing algorithm "HS256", use one of ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512',
      ],
    },
    {
      name: 'empty algorithm list',
      args: [`--oidc-issuer-url=${ISSUER}`, '--oidc-client-id=k', '--oidc-signing-algs='],
      expectErrors: ['--oidc-signing-algs: must list at least one algorithm'],
    },
  ];
  for (const tc of validation) {
    it(`validates ${tc.name}`, () => {
      const errors = parseOptions(tc.args).validate();

      expect(errors.map((e) => e.message)).to.deep.equal(tc.expectErrors);
    });
  }
});

describe('resolveUsernamePrefix', () => {
  const cases = [
    { name: 'sub, no prefix', claim: 'sub', prefix: '', expect: `${ISSUER}#` },
    { name: 'email, no prefix', claim: 'email', prefix: '', expect: '' },
    { name: 'explicit prefix', claim: 'sub', prefix: 'oidc:', expect: 'oidc:' },
    { name: 'dash turns prefix off', claim: 'sub', prefix: '-', expect: '' },
    { name: 'dash with email', claim: 'email', prefix: '-', expect: '' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(resolveUsernamePrefix(ISSUER, tc.claim, tc.prefix)).to.equal(tc.expect);
    });
  }
});

describe('loadCABundle', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oidc-ca-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads PEM certificates', () => {
    const path = join(dir, 'ca.crt');
    const pem = generateCA('oidc-test-ca').certPem;
    writeFileSync(path, pem);

    expect(loadCABundle(path)).to.equal(pem);
  });

  it('rejects file without certificates', () => {
    const path = join(dir, 'empty.crt');
    writeFileSync(path, 'not a certificate\n');

    expect(() => loadCABundle(path)).to.throw(
      Error,
      `--oidc-ca-file: ${path} contains no PEM certificate`,
    );
  });

  it('rejects missing file', () => {
    const path = join(dir, 'missing.crt');

    expect(() => loadCABundle(path)).to.throw(
      Error,
      `--oidc-ca-file: unable to read ${path}: ENOENT`,
    );
  });
});
