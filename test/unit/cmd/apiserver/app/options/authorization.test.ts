import { expect } from 'chai';
import { CommanderError } from 'commander';
import { APIServerOptions } from '../../../../../../cmd/apiserver/app/options/options.js';
import { newAPIServerCommand } from '../../../../../../cmd/apiserver/app/server.js';

/** Parses `args` through the real command line and applies them to a fresh options object. */
function parseFlags(args: string[]): APIServerOptions {
  const options = new APIServerOptions('/tmp/x');
  const command = newAPIServerCommand(options)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  command.parse(args, { from: 'user' });
  options.applyFlags(command.opts());
  return options;
}

describe('AuthorizationOptions defaults', () => {
  const authorization = parseFlags([]).authorization;
  const cases: { name: string; actual: () => unknown; expect: unknown }[] = [
    { name: 'mode AlwaysAllow', actual: () => authorization.modes, expect: ['AlwaysAllow'] },
    { name: 'no policy file', actual: () => authorization.policyFile, expect: '' },
    { name: 'no webhook config', actual: () => authorization.webhookConfigFile, expect: '' },
    {
      name: 'webhook version v1beta1',
      actual: () => authorization.webhookVersion,
      expect: 'v1beta1',
    },
    {
      name: 'authorized TTL five minutes',
      actual: () => authorization.webhookCacheAuthorizedTTLMs,
      expect: 300_000,
    },
    {
      name: 'unauthorized TTL thirty seconds',
      actual: () => authorization.webhookCacheUnauthorizedTTLMs,
      expect: 30_000,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(tc.actual()).to.deep.equal(tc.expect);
    });
  }
});

describe('AuthorizationOptions flags', () => {
  it('every flag applied', () => {
    const authorization = parseFlags([
      '--authorization-mode=ABAC,Webhook,RBAC',
      '--authorization-policy-file=policy.jsonl',
      '--authorization-webhook-config-file=authz.kubeconfig',
      '--authorization-webhook-version=v1',
      '--authorization-webhook-cache-authorized-ttl=1m30s',
      '--authorization-webhook-cache-unauthorized-ttl=0',
    ]).authorization;

    expect(authorization.modes).to.deep.equal(['ABAC', 'Webhook', 'RBAC']);
    expect(authorization.policyFile).to.equal('policy.jsonl');
    expect(authorization.webhookConfigFile).to.equal('authz.kubeconfig');
    expect(authorization.webhookVersion).to.equal('v1');
    expect(authorization.webhookCacheAuthorizedTTLMs).to.equal(90_000);
    expect(authorization.webhookCacheUnauthorizedTTLMs).to.equal(0);
  });

  it('unknown webhook version rejected', () => {
    let error: unknown;
    try {
      parseFlags(['--authorization-webhook-version=v2']);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(CommanderError);
    expect((error as CommanderError).message).to.include('expected one of v1, v1beta1.');
  });
});

describe('AuthorizationOptions validate', () => {
  const UNSUPPORTED =
    '--authorization-mode: authorization mode "Node" is not supported: use AlwaysAllow, AlwaysDeny, ABAC, Webhook, RBAC';
  const ABAC_WITHOUT_FILE =
    '--authorization-mode: mode ABAC needs a policy file: set --authorization-policy-file';
  const WEBHOOK_WITHOUT_FILE =
    '--authorization-mode: mode Webhook needs a configuration file: set --authorization-webhook-config-file';
  const POLICY_WITHOUT_ABAC =
    '--authorization-policy-file: the policy file is used only by mode ABAC: add ABAC to --authorization-mode or remove this flag';
  const CONFIG_WITHOUT_WEBHOOK =
    '--authorization-webhook-config-file: the configuration file is used only by mode Webhook: add Webhook to --authorization-mode or remove this flag';

  const cases: { name: string; args: string[]; expectErrors: string[] }[] = [
    { name: 'default accepted', args: [], expectErrors: [] },
    {
      name: 'every mode accepted',
      args: [
        '--authorization-mode=AlwaysDeny,ABAC,Webhook,RBAC,AlwaysAllow',
        '--authorization-policy-file=policy.jsonl',
        '--authorization-webhook-config-file=authz.kubeconfig',
      ],
      expectErrors: [],
    },
    {
      name: 'repeated flag adds modes',
      args: ['--authorization-mode=RBAC', '--authorization-mode=AlwaysDeny'],
      expectErrors: [],
    },
    {
      name: 'empty mode list',
      args: ['--authorization-mode='],
      expectErrors: ['--authorization-mode: at least one authorization mode must be passed'],
    },
    { name: 'unknown mode', args: ['--authorization-mode=RBAC,Node'], expectErrors: [UNSUPPORTED] },
    {
      name: 'mode names case-sensitive',
      args: ['--authorization-mode=rbac'],
      expectErrors: [
        '--authorization-mode: authorization mode "rbac" is not supported: use AlwaysAllow, AlwaysDeny, ABAC, Webhook, RBAC',
      ],
    },
    {
      name: 'duplicate mode',
      args: ['--authorization-mode=RBAC,AlwaysDeny,RBAC'],
      expectErrors: ['--authorization-mode: authorization mode "RBAC" is given twice'],
    },
    {
      name: 'ABAC without policy file',
      args: ['--authorization-mode=ABAC'],
      expectErrors: [ABAC_WITHOUT_FILE],
    },
    {
      name: 'policy file without ABAC',
      args: ['--authorization-mode=RBAC', '--authorization-policy-file=policy.jsonl'],
      expectErrors: [POLICY_WITHOUT_ABAC],
    },
    {
      name: 'Webhook without config file',
      args: ['--authorization-mode=Webhook'],
      expectErrors: [WEBHOOK_WITHOUT_FILE],
    },
    {
      name: 'config file without Webhook',
      args: ['--authorization-webhook-config-file=authz.kubeconfig'],
      expectErrors: [CONFIG_WITHOUT_WEBHOOK],
    },
    {
      name: 'negative authorized TTL',
      args: ['--authorization-webhook-cache-authorized-ttl=-1s'],
      expectErrors: ['--authorization-webhook-cache-authorized-ttl: must not be negative'],
    },
    {
      name: 'negative unauthorized TTL',
      args: ['--authorization-webhook-cache-unauthorized-ttl=-5m'],
      expectErrors: ['--authorization-webhook-cache-unauthorized-ttl: must not be negative'],
    },
    {
      name: 'every problem reported',
      args: [
        '--authorization-mode=ABAC,Webhook,ABAC,Node',
        '--authorization-webhook-cache-authorized-ttl=-1s',
      ],
      expectErrors: [
        '--authorization-mode: authorization mode "ABAC" is given twice',
        UNSUPPORTED,
        ABAC_WITHOUT_FILE,
        WEBHOOK_WITHOUT_FILE,
        '--authorization-webhook-cache-authorized-ttl: must not be negative',
      ],
    },
    {
      name: 'both files without modes',
      args: [
        '--authorization-policy-file=policy.jsonl',
        '--authorization-webhook-config-file=authz.kubeconfig',
      ],
      expectErrors: [POLICY_WITHOUT_ABAC, CONFIG_WITHOUT_WEBHOOK],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const messages = parseFlags(tc.args)
        .authorization.validate()
        .map((err) => err.message);

      expect(messages).to.deep.equal(tc.expectErrors);
    });
  }
});
