import { LRUCache } from 'lru-cache';
import type winston from 'winston';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
  ResolvedRules,
  RuleResolver,
} from '../../../../pkg/auth/authorizer/interfaces.js';
import type { KubeconfigConnection } from '../../../../pkg/util/kubeconfig/kubeconfig.js';
import { loadKubeconfig } from '../../../../pkg/util/kubeconfig/kubeconfig.js';
import type { RetryBackoff } from '../../../../pkg/util/webhook/backoff.js';
import {
  DEFAULT_RETRY_BACKOFF,
  shouldRetryWebhookError,
  withExponentialBackoff,
} from '../../../../pkg/util/webhook/backoff.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, postJSON } from '../../../../pkg/util/webhook/client.js';
import type {
  SubjectAccessReviewStatus,
  SubjectAccessReviewVersion,
} from './subjectaccessreview.js';
import {
  statusFromSubjectAccessReview,
  SUBJECT_ACCESS_REVIEW_VERSIONS,
  subjectAccessReviewRequest,
  subjectAccessReviewSpec,
} from './subjectaccessreview.js';

/** The flag whose file the webhook configuration comes from; error messages start with it. */
export const CONFIG_FILE_FLAG = '--authorization-webhook-config-file';

/** Maximum number of cached reviews, as kube-apiserver's LRUExpireCache(8192). */
export const MAX_CACHE_ENTRIES = 8192;

/**
 * Requests whose namespace, verb, group, version, resource, subresource, name and path together
 * reach this many characters are never cached, as in kube-apiserver, because the requester
 * controls them and could otherwise fill the cache with large keys.
 */
export const MAX_CACHED_ATTRIBUTES_LENGTH = 10_000;

/** The evaluation error of rulesFor, because a SubjectAccessReview cannot list rules. */
export const RULES_NOT_SUPPORTED = 'the webhook authorizer cannot list the rules of a user';

/** Options of webhookAuthorizer. */
export interface WebhookAuthorizerOptions {
  /** The webhook's server and credentials. */
  readonly connection: KubeconfigConnection;
  /** The authorization.k8s.io version of the SubjectAccessReview sent and expected. */
  readonly version: SubjectAccessReviewVersion;
  /** How long an allowed review is reused, in ms. 0 turns this off. */
  readonly authorizedTTLMs: number;
  /** How long a denied or no-opinion review is reused, in ms. 0 turns this off. */
  readonly unauthorizedTTLMs: number;
  readonly logger: winston.Logger;
  /** The cache's clock, in ms since the epoch. Defaults to Date.now. */
  readonly now?: () => number;
  /** Retries of transient failures. Defaults to DEFAULT_RETRY_BACKOFF. */
  readonly retryBackoff?: RetryBackoff;
  /** Limit of one HTTP request, in ms. Defaults to DEFAULT_REQUEST_TIMEOUT_MS (30 s). */
  readonly requestTimeoutMs?: number;
}

/** A webhook authorizer, which is also a rule resolver that always reports incomplete rules. */
export interface WebhookAuthorizer extends Authorizer, RuleResolver {
  /** Cancels webhook calls in flight and the retries they wait for. */
  close(): void;
}

interface CacheEntry {
  readonly status: SubjectAccessReviewStatus;
  readonly expiresAtMs: number;
}

function attributesLength(attributes: Attributes): number {
  return (
    attributes.namespace.length +
    attributes.verb.length +
    attributes.apiGroup.length +
    attributes.apiVersion.length +
    attributes.resource.length +
    attributes.subresource.length +
    attributes.name.length +
    attributes.path.length
  );
}

/**
 * Returns the reason of the result. The webhook's evaluation error is appended to its reason.
 *
 * Differs from kube-apiserver: there the webhook authorizer drops status.evaluationError, so a
 * 403 shows only status.reason.
 */
function reasonOf(status: SubjectAccessReviewStatus): string {
  if (status.evaluationError === '') return status.reason;
  if (status.reason === '') return `evaluation error: ${status.evaluationError}`;
  return `${status.reason} (evaluation error: ${status.evaluationError})`;
}

/**
 * Maps a review's status to a decision, as kube-apiserver's webhook authorizer does:
 * status.denied denies, status.allowed allows, and neither is no opinion.
 *
 * Differs from kube-apiserver: a review with both allowed and denied set is a deny together
 * with an error there, and its handler responds with 500. The Authorizer interface cannot
 * return both, so here it is a plain deny (403).
 */
export function resultFromStatus(status: SubjectAccessReviewStatus): AuthorizationResult {
  const reason = reasonOf(status);
  if (status.denied && status.allowed) {
    return {
      decision: 'deny',
      reason: `the webhook set both allowed and denied${reason === '' ? '' : `: ${reason}`}`,
    };
  }
  if (status.denied) return { decision: 'deny', reason };
  if (status.allowed) return { decision: 'allow', reason };
  return { decision: 'noOpinion', reason };
}

/**
 * Builds an authorizer that delegates to a remote service, as kube-apiserver's webhook
 * authorizer does (k8s.io/apiserver/plugin/pkg/authorizer/webhook, 1.32). It posts a
 * SubjectAccessReview with the request attributes and the user to the configured server URL,
 * and maps the status with resultFromStatus.
 *
 * Allowed reviews are cached for authorizedTTLMs and all others for unauthorizedTTLMs, keyed by
 * the JSON of the review's spec. Failures are never cached. Network failures, timeouts, non-2xx
 * responses and malformed reviews are thrown after the retries of shouldRetryWebhookError. The
 * union authorizer then goes on to the next mode, and when no mode decides, the request gets a
 * 500, as in kube-apiserver with its default failure policy NoOpinion.
 */
export function webhookAuthorizer(options: WebhookAuthorizerOptions): WebhookAuthorizer {
  const { connection, version, logger } = options;
  const now = options.now ?? Date.now;
  const backoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const webhookLogger = logger.child({ component: 'webhook-authorizer' });
  // Origin and path only: a URL's user info or query could hold a secret.
  const server = `${connection.server.origin}${connection.server.pathname}`;
  const cache = new LRUCache<string, CacheEntry>({ max: MAX_CACHE_ENTRIES });
  const closed = new AbortController();

  function cachedStatus(key: string): SubjectAccessReviewStatus | undefined {
    const entry = cache.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs > now()) return entry.status;
    cache.delete(key);
    return undefined;
  }

  function store(key: string, status: SubjectAccessReviewStatus): void {
    const ttlMs = status.allowed ? options.authorizedTTLMs : options.unauthorizedTTLMs;
    if (ttlMs > 0) cache.set(key, { status, expiresAtMs: now() + ttlMs });
  }

  async function review(spec: Record<string, unknown>): Promise<SubjectAccessReviewStatus> {
    const body = subjectAccessReviewRequest(version, spec);
    let response: unknown;
    try {
      response = await withExponentialBackoff(
        () => postJSON(connection, body, timeoutMs, closed.signal),
        shouldRetryWebhookError,
        backoff,
        closed.signal,
        (err, delayMs) =>
          webhookLogger.debug('Retrying the authorization webhook request', {
            server,
            err: (err as Error).message,
            delayMs: Math.round(delayMs),
          }),
      );
    } catch (err) {
      webhookLogger.error('Authorization webhook request failed', {
        server,
        err: (err as Error).message,
      });
      throw new Error(
        `unable to call the authorization webhook at ${server}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    try {
      return statusFromSubjectAccessReview(response);
    } catch (err) {
      webhookLogger.error('Authorization webhook returned an invalid SubjectAccessReview', {
        server,
        err: (err as Error).message,
      });
      throw new Error(
        `invalid SubjectAccessReview response from ${server}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  return {
    async authorize(attributes): Promise<AuthorizationResult> {
      const spec = subjectAccessReviewSpec(attributes);
      const key = JSON.stringify(spec);
      let status = cachedStatus(key);
      if (status === undefined) {
        status = await review(spec);
        if (attributesLength(attributes) < MAX_CACHED_ATTRIBUTES_LENGTH) store(key, status);
      }
      return resultFromStatus(status);
    },

    /** Reports no rules and incomplete, as kube-apiserver's webhook authorizer does. */
    rulesFor(): Promise<ResolvedRules> {
      return Promise.resolve({
        resourceRules: [],
        nonResourceRules: [],
        incomplete: true,
        evaluationError: RULES_NOT_SUPPORTED,
      });
    },

    close(): void {
      closed.abort(new Error('the authorization webhook authorizer was closed'));
    },
  };
}

/** Options of loadWebhookAuthorizer. */
export interface LoadWebhookAuthorizerOptions {
  /** Kubeconfig file naming the webhook (--authorization-webhook-config-file). */
  readonly configFile: string;
  /** SubjectAccessReview version (--authorization-webhook-version). */
  readonly version: SubjectAccessReviewVersion;
  /** --authorization-webhook-cache-authorized-ttl in ms. */
  readonly authorizedTTLMs: number;
  /** --authorization-webhook-cache-unauthorized-ttl in ms. */
  readonly unauthorizedTTLMs: number;
  readonly logger: winston.Logger;
  readonly now?: () => number;
  readonly retryBackoff?: RetryBackoff;
  readonly requestTimeoutMs?: number;
}

/**
 * Reads the webhook's kubeconfig file and returns the webhook authorizer.
 * @throws Error starting with `--authorization-webhook-config-file: <path>:` when the file
 * cannot be read or is invalid, or a TypeError for an unknown version.
 */
export async function loadWebhookAuthorizer(
  options: LoadWebhookAuthorizerOptions,
): Promise<WebhookAuthorizer> {
  if (!SUBJECT_ACCESS_REVIEW_VERSIONS.includes(options.version)) {
    throw new TypeError(
      `unsupported authorization webhook version "${String(options.version)}": ` +
        `use one of ${SUBJECT_ACCESS_REVIEW_VERSIONS.join(', ')}`,
    );
  }
  let connection: KubeconfigConnection;
  try {
    connection = await loadKubeconfig(options.configFile);
  } catch (err) {
    throw new Error(`${CONFIG_FILE_FLAG}: ${(err as Error).message}`, { cause: err });
  }
  options.logger.info('Loaded the authorization webhook configuration', {
    configFile: options.configFile,
    server: `${connection.server.origin}${connection.server.pathname}`,
    version: options.version,
    authorizedTTLMs: options.authorizedTTLMs,
    unauthorizedTTLMs: options.unauthorizedTTLMs,
  });
  return webhookAuthorizer({ ...options, connection });
}
