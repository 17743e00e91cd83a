import type { Command } from 'commander';
import { formatGoDuration } from '../../../../pkg/util/duration.js';
import {
  SUBJECT_ACCESS_REVIEW_VERSIONS,
  type SubjectAccessReviewVersion,
} from '../../../../plugin/auth/authorizer/webhook/subjectaccessreview.js';
import { addFlag, type OptionGroup } from './flag_group.js';
import { oneOf, parseDurationMs, parseList } from './flag_values.js';

const HEADING = 'Authorization flags:';

/**
 * Authorization modes this server implements, in the order kube-apiserver lists its choices.
 * kube-apiserver's Node mode is left out, because this server serves no nodes.
 */
export const AUTHORIZATION_MODES = [
  'AlwaysAllow',
  'AlwaysDeny',
  'ABAC',
  'Webhook',
  'RBAC',
] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

/** kube-apiserver's default --authorization-webhook-cache-authorized-ttl: 5m0s. */
export const DEFAULT_WEBHOOK_CACHE_AUTHORIZED_TTL_MS = 5 * 60 * 1000;

/** kube-apiserver's default --authorization-webhook-cache-unauthorized-ttl: 30s. */
export const DEFAULT_WEBHOOK_CACHE_UNAUTHORIZED_TTL_MS = 30 * 1000;

/** kube-apiserver's default --authorization-webhook-version in 1.32. */
export const DEFAULT_WEBHOOK_VERSION: SubjectAccessReviewVersion = 'v1beta1';

/** Flags that choose the authorizers, named and defaulted as in kube-apiserver 1.32. */
export class AuthorizationOptions implements OptionGroup {
  modes: string[] = ['AlwaysAllow'];
  /** ABAC policy file; empty when ABAC is off. */
  policyFile = '';
  /** Kubeconfig file of the authorization webhook; empty when Webhook is off. */
  webhookConfigFile = '';
  webhookVersion: SubjectAccessReviewVersion = DEFAULT_WEBHOOK_VERSION;
  /** How long allowed webhook reviews are cached, in ms. */
  webhookCacheAuthorizedTTLMs = DEFAULT_WEBHOOK_CACHE_AUTHORIZED_TTL_MS;
  /** How long denied and no-opinion webhook reviews are cached, in ms. */
  webhookCacheUnauthorizedTTLMs = DEFAULT_WEBHOOK_CACHE_UNAUTHORIZED_TTL_MS;

  addFlags(command: Command): void {
    // As with Go's pflag string slices, the first use of the flag replaces the default and
    // later uses append. Commander passes the default object itself to the first parse.
    const defaultModes = ['AlwaysAllow'];
    addFlag(
      command,
      HEADING,
      '--authorization-mode <modes>',
      `Ordered list of plug-ins to do authorization on the secure port, comma-separated: ${AUTHORIZATION_MODES.join(', ')}. The first plug-in that allows or denies decides. Members of system:masters are always allowed, as in kube-apiserver.`,
      (o) =>
        o
          .default(defaultModes, 'AlwaysAllow')
          .argParser((value: string, previous: string[]) =>
            parseList(value, previous === defaultModes ? [] : previous),
          ),
    );
    addFlag(
      command,
      HEADING,
      '--authorization-policy-file <file>',
      'File with the ABAC authorization policy, one JSON Policy object per line, used with --authorization-mode=ABAC.',
    );
    addFlag(
      command,
      HEADING,
      '--authorization-webhook-config-file <file>',
      'File with webhook configuration in kubeconfig format, used with --authorization-mode=Webhook. The API server sends a SubjectAccessReview to the remote service to decide each request on the secure port.',
    );
    addFlag(
      command,
      HEADING,
      '--authorization-webhook-version <version>',
      'The API version of the authorization.k8s.io SubjectAccessReview to send to and expect from the webhook: v1 or v1beta1.',
      (o) => o.default(this.webhookVersion).argParser(oneOf(SUBJECT_ACCESS_REVIEW_VERSIONS)),
    );
    addFlag(
      command,
      HEADING,
      '--authorization-webhook-cache-authorized-ttl <duration>',
      'How long to cache the allowed decisions of the webhook authorizer. A Go duration such as 30s or 5m0s, or 0 to turn this cache off.',
      (o) =>
        o
          .default(
            this.webhookCacheAuthorizedTTLMs,
            formatGoDuration(this.webhookCacheAuthorizedTTLMs),
          )
          .argParser(parseDurationMs),
    );
    addFlag(
      command,
      HEADING,
      '--authorization-webhook-cache-unauthorized-ttl <duration>',
      'How long to cache the denied and no-opinion decisions of the webhook authorizer. A Go duration such as 30s or 5m0s, or 0 to turn this cache off.',
      (o) =>
        o
          .default(
            this.webhookCacheUnauthorizedTTLMs,
            formatGoDuration(this.webhookCacheUnauthorizedTTLMs),
          )
          .argParser(parseDurationMs),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.modes = values.authorizationMode as string[];
    this.policyFile = (values.authorizationPolicyFile as string | undefined) ?? '';
    this.webhookConfigFile = (values.authorizationWebhookConfigFile as string | undefined) ?? '';
    this.webhookVersion =
      (values.authorizationWebhookVersion as SubjectAccessReviewVersion | undefined) ??
      this.webhookVersion;
    this.webhookCacheAuthorizedTTLMs =
      (values.authorizationWebhookCacheAuthorizedTtl as number | undefined) ??
      this.webhookCacheAuthorizedTTLMs;
    this.webhookCacheUnauthorizedTTLMs =
      (values.authorizationWebhookCacheUnauthorizedTtl as number | undefined) ??
      this.webhookCacheUnauthorizedTTLMs;
  }

  /**
   * Checks the modes and the files they need, with the rules of kube-apiserver's
   * BuiltInAuthorizationOptions.Validate: ABAC needs a policy file and Webhook a config file,
   * each file needs its mode, and no mode may repeat.
   */
  validate(): Error[] {
    return [...this.validateModes(), ...this.validateFiles(), ...this.validateWebhook()];
  }

  private validateModes(): Error[] {
    const errors: Error[] = [];
    if (this.modes.length === 0) {
      errors.push(
        new Error('--authorization-mode: at least one authorization mode must be passed'),
      );
    }
    const seen = new Set<string>();
    for (const mode of this.modes) {
      if (!(AUTHORIZATION_MODES as readonly string[]).includes(mode)) {
        errors.push(
          new Error(
            `--authorization-mode: authorization mode ${JSON.stringify(mode)} is not supported: use ${AUTHORIZATION_MODES.join(', ')}`,
          ),
        );
      } else if (seen.has(mode)) {
        errors.push(
          new Error(
            `--authorization-mode: authorization mode ${JSON.stringify(mode)} is given twice`,
          ),
        );
      }
      seen.add(mode);
    }
    return errors;
  }

  private validateFiles(): Error[] {
    const errors: Error[] = [];
    const hasABAC = this.modes.includes('ABAC');
    const hasWebhook = this.modes.includes('Webhook');
    if (hasABAC && this.policyFile === '') {
      errors.push(
        new Error(
          '--authorization-mode: mode ABAC needs a policy file: set --authorization-policy-file',
        ),
      );
    }
    if (hasWebhook && this.webhookConfigFile === '') {
      errors.push(
        new Error(
          '--authorization-mode: mode Webhook needs a configuration file: set --authorization-webhook-config-file',
        ),
      );
    }
    if (!hasABAC && this.policyFile !== '') {
      errors.push(
        new Error(
          '--authorization-policy-file: the policy file is used only by mode ABAC: add ABAC to --authorization-mode or remove this flag',
        ),
      );
    }
    if (!hasWebhook && this.webhookConfigFile !== '') {
      errors.push(
        new Error(
          '--authorization-webhook-config-file: the configuration file is used only by mode Webhook: add Webhook to --authorization-mode or remove this flag',
        ),
      );
    }
    return errors;
  }

  /**
   * Differs from kube-apiserver: it accepts negative cache TTLs, which then cache nothing. Here
   * they are rejected, as for --authentication-token-webhook-cache-ttl.
   */
  private validateWebhook(): Error[] {
    const errors: Error[] = [];
    if (!SUBJECT_ACCESS_REVIEW_VERSIONS.includes(this.webhookVersion)) {
      errors.push(
        new Error(
          `--authorization-webhook-version: unsupported version "${this.webhookVersion}": ` +
            `use one of ${SUBJECT_ACCESS_REVIEW_VERSIONS.join(', ')}`,
        ),
      );
    }
    const ttls: [string, number][] = [
      ['--authorization-webhook-cache-authorized-ttl', this.webhookCacheAuthorizedTTLMs],
      ['--authorization-webhook-cache-unauthorized-ttl', this.webhookCacheUnauthorizedTTLMs],
    ];
    for (const [flag, ttlMs] of ttls) {
      if (!Number.isFinite(ttlMs) || ttlMs < 0) {
        errors.push(new Error(`${flag}: must not be negative`));
      }
    }
    return errors;
  }
}
