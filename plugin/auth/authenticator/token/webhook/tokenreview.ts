import type { AuthenticationResult } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { authenticated, rejected } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';

/** TokenReview versions a webhook may speak. */
export const TOKEN_REVIEW_VERSIONS = ['v1', 'v1beta1'] as const;
export type TokenReviewVersion = (typeof TOKEN_REVIEW_VERSIONS)[number];

/** Builds the TokenReview request body, shaped as Go's encoder writes it. */
export function tokenReviewRequest(
  version: TokenReviewVersion,
  token: string,
  audiences: readonly string[],
): Record<string, unknown> {
  const spec: Record<string, unknown> = { token };
  if (audiences.length > 0) spec.audiences = [...audiences];
  return {
    kind: 'TokenReview',
    apiVersion: `authentication.k8s.io/${version}`,
    metadata: { creationTimestamp: null },
    spec,
    status: { user: {} },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Record<string, unknown>, key: string): string {
  const value = object[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`${key} is not a string`);
  return value;
}

function optionalStrings(object: Record<string, unknown>, key: string): string[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`${key} is not a list of strings`);
  }
  return value;
}

function parseExtra(user: Record<string, unknown>): Record<string, readonly string[]> {
  const extra = user.extra;
  if (extra === undefined || extra === null) return {};
  if (!isObject(extra)) throw new Error('status.user.extra is not a map');
  const parsed: Record<string, readonly string[]> = {};
  for (const key of Object.keys(extra)) parsed[key] = optionalStrings(extra, key);
  return parsed;
}

/**
 * Turns a TokenReview response into an authentication result, as kube-apiserver's webhook
 * authenticator does: `status.authenticated` true is a success with the user and the audiences
 * the webhook reported; anything else is a rejection whose reason is `status.error`.
 *
 * Differs from kube-apiserver: there, a review with `status.error` set becomes an error, which
 * the cache does not keep. Here it is a rejection, as the authenticator interface asks, so it is
 * cached for the TTL like any other rejection.
 * @throws Error when the response is not a TokenReview of the expected shape.
 */
export function resultFromTokenReview(response: unknown): AuthenticationResult {
  if (!isObject(response)) throw new Error('webhook response is not a JSON object');
  const kind = optionalString(response, 'kind');
  if (kind !== '' && kind !== 'TokenReview') {
    throw new Error(`webhook response is a ${kind}, not a TokenReview`);
  }
  const status = response.status ?? {};
  if (!isObject(status)) throw new Error('webhook response status is not an object');
  if (status.authenticated !== true) {
    const reason = optionalString(status, 'error');
    return rejected(reason === '' ? 'the webhook did not authenticate the token' : reason);
  }
  const user = status.user ?? {};
  if (!isObject(user)) throw new Error('webhook response status.user is not an object');
  const info = newUserInfo({
    name: optionalString(user, 'username'),
    uid: optionalString(user, 'uid'),
    groups: optionalStrings(user, 'groups'),
    extra: parseExtra(user),
  });
  const audiences = optionalStrings(status, 'audiences');
  return authenticated(info, audiences.length > 0 ? audiences : undefined);
}
