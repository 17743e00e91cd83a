import type winston from 'winston';
import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { authenticated, rejected } from '../../../../../pkg/auth/authenticator/interfaces.js';
import type { KubeconfigConnection } from '../../../../../pkg/util/kubeconfig/kubeconfig.js';
import { loadKubeconfig } from '../../../../../pkg/util/kubeconfig/kubeconfig.js';
import { cachedTokenAuthenticator } from '../cache/cached_token_authenticator.js';
import type { RetryBackoff } from '../../../../../pkg/util/webhook/backoff.js';
import {
  DEFAULT_RETRY_BACKOFF,
  shouldRetryWebhookError,
  withExponentialBackoff,
} from '../../../../../pkg/util/webhook/backoff.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, postJSON } from '../../../../../pkg/util/webhook/client.js';
import type { TokenReviewVersion } from './tokenreview.js';
import { resultFromTokenReview, TOKEN_REVIEW_VERSIONS, tokenReviewRequest } from './tokenreview.js';

/** The flag whose file the webhook configuration comes from; error messages start with it. */
export const CONFIG_FILE_FLAG = '--authentication-token-webhook-config-file';

/** Options of webhookTokenAuthenticator. */
export interface WebhookTokenAuthenticatorOptions {
  /** The webhook's server and credentials. */
  readonly connection: KubeconfigConnection;
  /** The authentication.k8s.io version of the TokenReview sent and expected. */
  readonly version: TokenReviewVersion;
  readonly logger: winston.Logger;
  /** Retries of transient failures. Defaults to DEFAULT_RETRY_BACKOFF. */
  readonly retryBackoff?: RetryBackoff;
  /** Limit of one HTTP request, in ms. Defaults to DEFAULT_REQUEST_TIMEOUT_MS (30 s). */
  readonly requestTimeoutMs?: number;
  /**
   * The server's --api-audiences, sent as spec.audiences of every review. A success must share
   * one of them (see restrictToAPIAudiences). Empty or absent turns the audience check off.
   */
  readonly apiAudiences?: readonly string[];
}

/**
 * Keeps a success only when it is valid for one of `apiAudiences`, as kube-apiserver's webhook
 * token authenticator does. The audiences the webhook reported count, or `apiAudiences` when it
 * reported none. A success for none of them becomes a rejection, so that the next authenticator
 * of the union still gets the token, where a success with foreign audiences would fail the whole
 * request with 401. The success keeps only the shared audiences.
 */
export function restrictToAPIAudiences(
  result: AuthenticationResult,
  apiAudiences: readonly string[],
): AuthenticationResult {
  if (result.kind !== 'authenticated' || apiAudiences.length === 0) return result;
  const granted = result.audiences ?? apiAudiences;
  const shared = apiAudiences.filter((audience) => granted.includes(audience));
  if (shared.length === 0) {
    return rejected(
      `the webhook authenticated the token for the audiences ${JSON.stringify(granted)}, ` +
        `none of which is in --api-audiences ${JSON.stringify(apiAudiences)}`,
    );
  }
  return authenticated(result.user, shared);
}

/**
 * Builds a token authenticator that delegates to a remote service, as kube-apiserver's webhook token
 * authenticator does: it posts a TokenReview with the token to the configured server URL and
 * maps the status to a result (see resultFromTokenReview). Network failures, timeouts, non-2xx
 * responses and malformed reviews are thrown; transient ones are retried first (see
 * shouldRetryWebhookError). This authenticator does not cache; loadWebhookTokenAuthenticator
 * adds the cache.
 */
export function webhookTokenAuthenticator(
  options: WebhookTokenAuthenticatorOptions,
): TokenAuthenticator {
  const { connection, version, logger } = options;
  const apiAudiences = options.apiAudiences ?? [];
  const backoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const webhookLogger = logger.child({ component: 'webhook-token-authenticator' });
  // Origin and path only: a URL's user info or query could hold a secret.
  const server = `${connection.server.origin}${connection.server.pathname}`;

  return {
    async authenticateToken(token: string, signal: AbortSignal): Promise<AuthenticationResult> {
      // kube-apiserver sends the audiences of the request, which on the request path are the
      // --api-audiences. NOTE: TokenAuthenticator takes no audiences per call, so a TokenReview
      // posted to this server for other audiences still sends the --api-audiences, and the
      // webhook cannot grant those other audiences.
      const review = tokenReviewRequest(version, token, apiAudiences);
      let response: unknown;
      try {
        response = await withExponentialBackoff(
          () => postJSON(connection, review, timeoutMs, signal),
          shouldRetryWebhookError,
          backoff,
          signal,
          (err, delayMs) =>
            webhookLogger.debug('Retrying webhook authenticator request', {
              server,
              err: (err as Error).message,
              delayMs: Math.round(delayMs),
            }),
        );
      } catch (err) {
        webhookLogger.error('Failed to make webhook authenticator request', {
          server,
          err: (err as Error).message,
        });
        throw new Error(
          `unable to call the token webhook at ${server}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      try {
        return restrictToAPIAudiences(resultFromTokenReview(response), apiAudiences);
      } catch (err) {
        throw new Error(`invalid TokenReview response from ${server}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
  };
}

/** Options of loadWebhookTokenAuthenticator. */
export interface LoadWebhookTokenAuthenticatorOptions {
  /** Kubeconfig file naming the webhook (--authentication-token-webhook-config-file). */
  readonly configFile: string;
  /** How long results are cached, in ms; successes and rejections alike. 0 turns caching off. */
  readonly cacheTTLMs: number;
  /** TokenReview version (--authentication-token-webhook-version). */
  readonly version: TokenReviewVersion;
  readonly logger: winston.Logger;
  /** The cache's clock, in ms since the epoch. Defaults to Date.now. */
  readonly now?: () => number;
  readonly retryBackoff?: RetryBackoff;
  readonly requestTimeoutMs?: number;
  /** The server's --api-audiences; see WebhookTokenAuthenticatorOptions.apiAudiences. */
  readonly apiAudiences?: readonly string[];
}

/**
 * Reads the webhook's kubeconfig file and returns the webhook token authenticator behind a
 * cache. As in kube-apiserver 1.32 (pkg/kubeapiserver/authenticator/config.go), successes and
 * rejections are both kept for cacheTTLMs and errors are not kept.
 * @throws Error starting with `--authentication-token-webhook-config-file: <path>:` when the file
 * cannot be read or is invalid, or a TypeError for an unknown version.
 */
export async function loadWebhookTokenAuthenticator(
  options: LoadWebhookTokenAuthenticatorOptions,
): Promise<TokenAuthenticator> {
  if (!TOKEN_REVIEW_VERSIONS.includes(options.version)) {
    throw new TypeError(
      `unsupported authentication webhook version "${String(options.version)}"; ` +
        `use one of ${TOKEN_REVIEW_VERSIONS.join(', ')}`,
    );
  }
  let connection: KubeconfigConnection;
  try {
    connection = await loadKubeconfig(options.configFile);
  } catch (err) {
    throw new Error(`${CONFIG_FILE_FLAG}: ${(err as Error).message}`, { cause: err });
  }
  options.logger.info('Loaded the token webhook configuration', {
    configFile: options.configFile,
    server: `${connection.server.origin}${connection.server.pathname}`,
    version: options.version,
    cacheTTLMs: options.cacheTTLMs,
  });
  const webhook = webhookTokenAuthenticator({
    connection,
    version: options.version,
    logger: options.logger,
    retryBackoff: options.retryBackoff,
    requestTimeoutMs: options.requestTimeoutMs,
    apiAudiences: options.apiAudiences,
  });
  return cachedTokenAuthenticator(webhook, {
    successTTLMs: options.cacheTTLMs,
    failureTTLMs: options.cacheTTLMs,
    now: options.now,
  });
}
