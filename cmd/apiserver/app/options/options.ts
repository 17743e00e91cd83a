import type { Command } from 'commander';
import { AuditOptions } from './audit.js';
import { AuthenticationOptions } from './authentication.js';
import { BasicAuthenticationOptions } from './authentication_basic.js';
import { KeystoneAuthenticationOptions } from './authentication_keystone.js';
import { OIDCAuthenticationOptions } from './authentication_oidc.js';
import { RequestHeaderAuthenticationOptions } from './authentication_requestheader.js';
import { ServiceAccountAuthenticationOptions } from './authentication_serviceaccount.js';
import { WebhookAuthenticationOptions } from './authentication_webhook.js';
import { AuthorizationOptions } from './authorization.js';
import type { OptionGroup } from './flag_group.js';
import { InsecureServingOptions } from './insecure_serving.js';
import { LoggingOptions } from './logging.js';
import { SecureServingOptions } from './secure_serving.js';
import { ServerRunOptions } from './server_run.js';

/** Every flag of the API server, grouped by area as kube-apiserver's ServerRunOptions are. */
export class APIServerOptions {
  readonly secureServing: SecureServingOptions;
  readonly insecureServing = new InsecureServingOptions();
  readonly authentication = new AuthenticationOptions();
  readonly requestHeader = new RequestHeaderAuthenticationOptions();
  readonly basic = new BasicAuthenticationOptions();
  readonly keystone = new KeystoneAuthenticationOptions();
  readonly serviceAccount = new ServiceAccountAuthenticationOptions();
  readonly oidc = new OIDCAuthenticationOptions();
  readonly webhook = new WebhookAuthenticationOptions();
  readonly authorization = new AuthorizationOptions();
  readonly serverRun = new ServerRunOptions();
  readonly audit = new AuditOptions();
  readonly logging = new LoggingOptions();

  /** @param defaultCertDir the --cert-dir default, a data folder under the repository. */
  constructor(defaultCertDir: string) {
    this.secureServing = new SecureServingOptions(defaultCertDir);
  }

  private get groups(): OptionGroup[] {
    return [
      this.serverRun,
      this.secureServing,
      this.insecureServing,
      this.authentication,
      this.requestHeader,
      this.basic,
      this.keystone,
      this.serviceAccount,
      this.oidc,
      this.webhook,
      this.authorization,
      this.audit,
      this.logging,
    ];
  }

  addFlags(command: Command): void {
    for (const group of this.groups) group.addFlags(command);
  }

  applyFlags(values: Record<string, unknown>): void {
    for (const group of this.groups) group.applyFlags(values);
  }

  /** Returns every problem of every group, so the user can fix them in one go. */
  validate(): Error[] {
    return this.groups.flatMap((group) => group.validate());
  }
}
