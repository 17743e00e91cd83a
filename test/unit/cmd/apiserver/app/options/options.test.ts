import { expect } from 'chai';
import { CommanderError } from 'commander';
import { APIServerOptions } from '../../../../../../cmd/apiserver/app/options/options.js';
import { newAPIServerCommand } from '../../../../../../cmd/apiserver/app/server.js';

const CERT_DIR = '/tmp/x';

/** Parses `args` through the real command line and applies them to a fresh options object. */
function parseFlags(args: string[]): APIServerOptions {
  const options = new APIServerOptions(CERT_DIR);
  const command = newAPIServerCommand(options)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  command.parse(args, { from: 'user' });
  options.applyFlags(command.opts());
  return options;
}

/** Parses `args`, which must fail, and returns the error and what commander printed. */
function parseFailure(args: string[]): { error: CommanderError; printed: string } {
  let printed = '';
  const command = newAPIServerCommand(new APIServerOptions(CERT_DIR))
    .exitOverride()
    .configureOutput({
      writeErr: (text) => {
        printed += text;
      },
      writeOut: () => undefined,
    });
  try {
    command.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { error: err, printed };
    throw err;
  }
  return expect.fail(`expected ${args.join(' ')} to be rejected`);
}

describe('APIServerOptions defaults', () => {
  const options = parseFlags([]);
  const cases: { name: string; actual: () => unknown; expect: unknown }[] = [
    { name: 'secure-port 6443', actual: () => options.secureServing.securePort, expect: 6443 },
    {
      name: 'bind-address loopback',
      actual: () => options.secureServing.bindAddress,
      expect: '127.0.0.1',
    },
    { name: 'cert-dir from caller', actual: () => options.secureServing.certDir, expect: CERT_DIR },
    {
      name: 'tls-min-version TLS 1.2',
      actual: () => options.secureServing.tlsMinVersion,
      expect: 'VersionTLS12',
    },
    {
      name: 'max-requests-inflight 400',
      actual: () => options.serverRun.maxRequestsInFlight,
      expect: 400,
    },
    {
      name: 'max-mutating-requests-inflight 200',
      actual: () => options.serverRun.maxMutatingRequestsInFlight,
      expect: 200,
    },
    {
      name: 'request-timeout one minute',
      actual: () => options.serverRun.requestTimeoutMs,
      expect: 60_000,
    },
    {
      name: 'min-request-timeout 1800',
      actual: () => options.serverRun.minRequestTimeoutSeconds,
      expect: 1800,
    },
    { name: 'no CORS origins', actual: () => options.serverRun.corsAllowedOrigins, expect: [] },
    { name: 'anonymous-auth on', actual: () => options.authentication.anonymousAuth, expect: true },
    { name: 'no api-audiences', actual: () => options.authentication.apiAudiences, expect: [] },
    { name: 'no token-auth-file', actual: () => options.authentication.tokenAuthFile, expect: '' },
    { name: 'no client-ca-file', actual: () => options.authentication.clientCAFile, expect: '' },
    {
      name: 'authorization-mode AlwaysAllow',
      actual: () => options.authorization.modes,
      expect: ['AlwaysAllow'],
    },
    { name: 'insecure port off', actual: () => options.insecureServing.insecurePort, expect: 0 },
    { name: 'no audit log', actual: () => options.audit.logPath, expect: '' },
    { name: 'verbosity 0', actual: () => options.logging.verbosity, expect: 0 },
    { name: 'defaults validate', actual: () => options.validate(), expect: [] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(tc.actual()).to.deep.equal(tc.expect);
    });
  }
});

describe('APIServerOptions flag parsing', () => {
  const cases: {
    name: string;
    args: string[];
    actual: (options: APIServerOptions) => unknown;
    expect: unknown;
  }[] = [
    {
      name: 'anonymous-auth=false',
      args: ['--anonymous-auth=false'],
      actual: (o) => o.authentication.anonymousAuth,
      expect: false,
    },
    {
      name: 'anonymous-auth=0',
      args: ['--anonymous-auth=0'],
      actual: (o) => o.authentication.anonymousAuth,
      expect: false,
    },
    {
      name: 'bare anonymous-auth',
      args: ['--anonymous-auth'],
      actual: (o) => o.authentication.anonymousAuth,
      expect: true,
    },
    {
      name: 'request-timeout=30s',
      args: ['--request-timeout=30s'],
      actual: (o) => o.serverRun.requestTimeoutMs,
      expect: 30_000,
    },
    {
      name: 'request-timeout=1m30s',
      args: ['--request-timeout', '1m30s'],
      actual: (o) => o.serverRun.requestTimeoutMs,
      expect: 90_000,
    },
    { name: 'short -v=4', args: ['-v=4'], actual: (o) => o.logging.verbosity, expect: 4 },
    { name: 'short -v 3', args: ['-v', '3'], actual: (o) => o.logging.verbosity, expect: 3 },
    { name: 'long --v=5', args: ['--v=5'], actual: (o) => o.logging.verbosity, expect: 5 },
    {
      name: 'secure-port=0',
      args: ['--secure-port=0'],
      actual: (o) => o.secureServing.securePort,
      expect: 0,
    },
    {
      name: 'max-requests-inflight=0',
      args: ['--max-requests-inflight=0'],
      actual: (o) => o.serverRun.maxRequestsInFlight,
      expect: 0,
    },
    {
      name: 'authorization-mode list',
      args: ['--authorization-mode=AlwaysDeny,AlwaysAllow'],
      actual: (o) => o.authorization.modes,
      expect: ['AlwaysDeny', 'AlwaysAllow'],
    },
    {
      name: 'repeated CORS origins add up',
      args: ['--cors-allowed-origins=a, b', '--cors-allowed-origins=c'],
      actual: (o) => o.serverRun.corsAllowedOrigins,
      expect: ['a', 'b', 'c'],
    },
    {
      name: 'api-audiences list',
      args: ['--api-audiences=https://kubernetes.default.svc,api'],
      actual: (o) => o.authentication.apiAudiences,
      expect: ['https://kubernetes.default.svc', 'api'],
    },
    {
      name: 'repeated tls-sni-cert-key',
      args: ['--tls-sni-cert-key=a.crt,a.key', '--tls-sni-cert-key=b.crt,b.key:b.example'],
      actual: (o) => o.secureServing.tlsSNICertKeys,
      expect: ['a.crt,a.key', 'b.crt,b.key:b.example'],
    },
    {
      name: 'tls-min-version TLS 1.3',
      args: ['--tls-min-version=VersionTLS13'],
      actual: (o) => o.secureServing.tlsMinVersion,
      expect: 'VersionTLS13',
    },
    {
      name: 'audit-log-path',
      args: ['--audit-log-path=-'],
      actual: (o) => o.audit.logPath,
      expect: '-',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(tc.actual(parseFlags(tc.args))).to.deep.equal(tc.expect);
    });
  }
});

describe('APIServerOptions rejected flags', () => {
  const cases: { name: string; args: string[]; expectCode: string; expectMessage: string }[] = [
    {
      name: 'unknown flag',
      args: ['--nope'],
      expectCode: 'commander.unknownOption',
      expectMessage: "error: unknown option '--nope'",
    },
    {
      name: 'non-numeric port',
      args: ['--secure-port=abc'],
      expectCode: 'commander.invalidArgument',
      expectMessage:
        "error: option '--secure-port <port>' argument 'abc' is invalid. expected a non-negative integer.",
    },
    {
      name: 'port out of range',
      args: ['--secure-port=70000'],
      expectCode: 'commander.invalidArgument',
      expectMessage:
        "error: option '--secure-port <port>' argument '70000' is invalid. expected a port between 0 and 65535.",
    },
    {
      name: 'negative in-flight limit',
      args: ['--max-requests-inflight=-1'],
      expectCode: 'commander.invalidArgument',
      expectMessage:
        "error: option '--max-requests-inflight <n>' argument '-1' is invalid. expected a non-negative integer.",
    },
    {
      name: 'bad boolean',
      args: ['--anonymous-auth=maybe'],
      expectCode: 'commander.invalidArgument',
      expectMessage:
        "error: option '--anonymous-auth [bool]' argument 'maybe' is invalid. expected true or false.",
    },
    {
      name: 'duration without unit',
      args: ['--request-timeout=10'],
      expectCode: 'commander.invalidArgument',
      expectMessage:
        "error: option '--request-timeout <duration>' argument '10' is invalid. invalid duration \"10\": use a number with a unit, such as 30s, 1m0s or 2h.",
    },
    {
      name: 'unknown TLS version',
      args: ['--tls-min-version=VersionTLS10'],
      expectCode: 'commander.invalidArgument',
      expectMessage:
        "error: option '--tls-min-version <version>' argument 'VersionTLS10' is invalid. expected one of VersionTLS12, VersionTLS13.",
    },
    {
      name: 'missing value',
      args: ['--secure-port'],
      expectCode: 'commander.optionMissingArgument',
      expectMessage: "error: option '--secure-port <port>' argument missing",
    },
    {
      name: 'positional argument',
      args: ['serve'],
      expectCode: 'commander.excessArguments',
      expectMessage: 'error: too many arguments. Expected 0 arguments but got 1.',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { error, printed } = parseFailure(tc.args);
      expect(error.code).to.equal(tc.expectCode);
      expect(error.exitCode).to.equal(1);
      expect(error.message).to.equal(tc.expectMessage);
      expect(printed.startsWith(tc.expectMessage)).to.equal(true);
    });
  }

  it('bad -v value names the flag', () => {
    const { error } = parseFailure(['-v=high']);
    expect(error.code).to.equal('commander.invalidArgument');
    expect(error.message).to.include("option '-v, --v <level>'");
    expect(error.message).to.include('expected a non-negative integer.');
  });
});

describe('APIServerOptions validate', () => {
  const cases: { name: string; args: string[]; expectErrors: (string | RegExp)[] }[] = [
    {
      name: 'cert without key',
      args: ['--tls-cert-file=server.crt'],
      expectErrors: ['--tls-cert-file and --tls-private-key-file must be set together'],
    },
    {
      name: 'key without cert',
      args: ['--tls-private-key-file=server.key'],
      expectErrors: ['--tls-cert-file and --tls-private-key-file must be set together'],
    },
    {
      name: 'unsupported authorization mode',
      args: ['--authorization-mode=Bogus'],
      expectErrors: [
        '--authorization-mode: authorization mode "Bogus" is not supported: use AlwaysAllow, AlwaysDeny, ABAC, Webhook, RBAC',
      ],
    },
    {
      name: 'repeated authorization mode',
      args: ['--authorization-mode=AlwaysAllow,AlwaysAllow'],
      expectErrors: ['--authorization-mode: authorization mode "AlwaysAllow" is given twice'],
    },
    {
      name: 'empty authorization mode',
      args: ['--authorization-mode='],
      expectErrors: ['--authorization-mode: at least one authorization mode must be passed'],
    },
    {
      name: 'insecure port on non-loopback',
      args: ['--insecure-port=8080', '--insecure-bind-address=0.0.0.0'],
      expectErrors: [
        '--insecure-bind-address: "0.0.0.0" is not a loopback address: the insecure port skips authentication, so it may only listen on 127.0.0.0/8 or ::1',
      ],
    },
    {
      name: 'bad CORS regex',
      args: ['--cors-allowed-origins=(unclosed'],
      expectErrors: [/^--cors-allowed-origins: invalid regular expression "\(unclosed": /],
    },
    {
      name: 'SNI value without key',
      args: ['--tls-sni-cert-key=only.crt'],
      expectErrors: [
        '--tls-sni-cert-key: invalid value "only.crt": expected CERT,KEY or CERT,KEY:NAME1,NAME2',
      ],
    },
    {
      name: 'SNI value with empty name',
      args: ['--tls-sni-cert-key=a.crt,a.key:'],
      expectErrors: ['--tls-sni-cert-key: invalid value "a.crt,a.key:": empty server name'],
    },
    {
      name: 'bind-address not an IP',
      args: ['--bind-address=localhost'],
      expectErrors: ['--bind-address: "localhost" is not a valid IP address'],
    },
    {
      name: 'negative request-timeout',
      args: ['--request-timeout=-1s'],
      expectErrors: ['--request-timeout: must not be negative'],
    },
    {
      name: 'every problem collected',
      args: ['--tls-cert-file=server.crt', '--authorization-mode=Bogus'],
      expectErrors: [
        '--tls-cert-file and --tls-private-key-file must be set together',
        '--authorization-mode: authorization mode "Bogus" is not supported: use AlwaysAllow, AlwaysDeny, ABAC, Webhook, RBAC',
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const messages = parseFlags(tc.args)
        .validate()
        .map((err) => err.message);
      expect(messages).to.have.length(tc.expectErrors.length);
      tc.expectErrors.forEach((expected, i) => {
        if (typeof expected === 'string') expect(messages[i]).to.equal(expected);
        else expect(messages[i]).to.match(expected);
      });
    });
  }

  const accepted: { name: string; args: string[] }[] = [
    { name: 'cert with key', args: ['--tls-cert-file=s.crt', '--tls-private-key-file=s.key'] },
    { name: 'insecure port on loopback', args: ['--insecure-port=8080'] },
    { name: 'non-loopback without insecure port', args: ['--insecure-bind-address=0.0.0.0'] },
    { name: 'IPv6 bind-address', args: ['--bind-address=::'] },
    { name: 'both authorization modes', args: ['--authorization-mode=AlwaysDeny,AlwaysAllow'] },
  ];
  for (const tc of accepted) {
    it(`${tc.name} validates`, () => {
      expect(parseFlags(tc.args).validate()).to.deep.equal([]);
    });
  }
});
