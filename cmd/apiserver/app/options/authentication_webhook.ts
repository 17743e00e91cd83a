import type { Command } from 'commander';
import type winston from 'winston';
import type { TokenAuthenticator } from '../../../../pkg/auth/authenticator/interfaces.js';
import { formatGoDuration } from '../../../../pkg/util/duration.js';
import {
  TOKEN_REVIEW_VERSIONS,
  type TokenReviewVersion,
} from '../../../../plugin/auth/authenticator/token/webhook/tokenreview.js';
import { loadWebhookTokenAuthenticator } from '../../../../plugin/auth/authenticator/token/webhook/webhook.js';
import { addFlag, type OptionGroup } from './flag_group.js';
import { oneOf, parseDurationMs } from './flag_values.js';

const HEADING = 'Authentication flags:';

/** kube-apiserver's default --authentication-token-webhook-cache-ttl: 2m0s. */
export const DEFAULT_WEBHOOK_CACHE_TTL_MS = 2 * 60 * 1000;

/**
 * kube-apiserver's default --authentication-token-webhook-version in 1.32. Set v1 to use another
 * instance of this server, which serves only authentication.k8s.io/v1, as the webhook.
 */
export const DEFAULT_WEBHOOK_VERSION: TokenReviewVersion = 'v1beta1';

/** Flags of the webhook token authenticator, named and defaulted as in kube-apiserver 1.32. */
export class WebhookAuthenticationOptions implements OptionGroup {
  /** Kubeconfig file of the webhook; empty turns the webhook off. */
  configFile = '';
  /** How long webhook results are cached, in ms. */
  cacheTTLMs = DEFAULT_WEBHOOK_CACHE_TTL_MS;
  version: TokenReviewVersion = DEFAULT_WEBHOOK_VERSION;

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--authentication-token-webhook-config-file <file>',
      'File with webhook configuration for token authentication in kubeconfig format. The API server will query the remote service to determine authentication for bearer tokens.',
    );
    addFlag(
      command,
      HEADING,
      '--authentication-token-webhook-cache-ttl <duration>',
      'The duration to cache responses from the webhook token authenticator, successes and rejections alike. A Go duration such as 30s or 2m0s; 0 turns the cache off.',
      (o) =>
        o.default(this.cacheTTLMs, formatGoDuration(this.cacheTTLMs)).argParser(parseDurationMs),
    );
    addFlag(
      command,
      HEADING,
      '--authentication-token-webhook-version <version>',
      'The API version of the authentication.k8s.io TokenReview to send to and expect from the webhook: v1 or v1beta1.',
      (o) => o.default(this.version).argParser(oneOf(TOKEN_REVIEW_VERSIONS)),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.configFile = (values.authenticationTokenWebhookConfigFile as string | undefined) ?? '';
    this.cacheTTLMs =
      (values.authenticationTokenWebhookCacheTtl as number | undefined) ?? this.cacheTTLMs;
    this.version =
      (values.authenticationTokenWebhookVersion as TokenReviewVersion | undefined) ?? this.version;
  }

  validate(): Error[] {
    const errors: Error[] = [];
    if (!Number.isFinite(this.cacheTTLMs) || this.cacheTTLMs < 0) {
      errors.push(new Error('--authentication-token-webhook-cache-ttl: must not be negative'));
    }
    if (!TOKEN_REVIEW_VERSIONS.includes(this.version)) {
      errors.push(
        new Error(
          `--authentication-token-webhook-version: unsupported version "${this.version}"; ` +
            `use one of ${TOKEN_REVIEW_VERSIONS.join(', ')}`,
        ),
      );
    }
    return errors;
  }

  /**
   * Builds the cached webhook token authenticator, or returns undefined when no config file is
   * set. Reviews request `apiAudiences`, the server's --api-audiences. `now` replaces the cache's
   * clock in tests.
   * @throws Error starting with the flag when the config file cannot be read or is invalid.
   */
  async toAuthenticator(
    logger: winston.Logger,
    apiAudiences: readonly string[] = [],
    now?: () => number,
  ): Promise<TokenAuthenticator | undefined> {
    if (this.configFile === '') return undefined;
    return loadWebhookTokenAuthenticator({
      configFile: this.configFile,
      cacheTTLMs: this.cacheTTLMs,
      version: this.version,
      logger,
      now,
      apiAudiences,
    });
  }
}
