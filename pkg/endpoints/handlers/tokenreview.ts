import type { Context } from 'koa';
import { newBadRequest, newUnsupportedMediaType } from '../../apiserver/errors/statuserror.js';
import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../auth/authenticator/interfaces.js';
import type { UserInfo } from '../../auth/user/user.js';
import { ALL_AUTHENTICATED_GROUP } from '../../auth/user/user.js';
import { writeJSON } from '../responsewriters/writers.js';
import { decodeBody, readBody } from './body.js';

const GROUP_VERSION = 'authentication.k8s.io/v1';
const KIND = 'TokenReview';

/**
 * The error a review reports when the token was rejected or not recognised. kube-apiserver's
 * bearer token authenticator returns this text whenever no token authenticator accepts a token.
 */
export const INVALID_BEARER_TOKEN = 'invalid bearer token';

/** Options of createTokenReview. */
export interface TokenReviewOptions {
  /**
   * The server's --api-audiences: the audiences checked when the review names none, and the
   * audiences a token counts as issued for when its authenticator reports none.
   */
  readonly apiAudiences?: readonly string[];
}

/** The fields of a TokenReview spec. */
export interface TokenReviewSpec {
  readonly token: string;
  readonly audiences: readonly string[];
}

/**
 * Reads spec.token and spec.audiences of a decoded TokenReview.
 * @throws StatusError 400 when the token is missing or empty, as kube-apiserver's TokenReview
 * storage does, or when a field has the wrong type.
 */
export function tokenReviewSpec(object: Record<string, unknown>): TokenReviewSpec {
  const spec = object.spec ?? {};
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw newBadRequest('spec of the TokenReview is not an object');
  }
  const { token, audiences } = spec as Record<string, unknown>;
  if (token !== undefined && token !== null && typeof token !== 'string') {
    throw newBadRequest('spec.token of the TokenReview is not a string');
  }
  if (typeof token !== 'string' || token === '') {
    throw newBadRequest('token is required for TokenReview in authentication');
  }
  if (audiences === undefined || audiences === null) return { token, audiences: [] };
  if (!Array.isArray(audiences) || !audiences.every((item) => typeof item === 'string')) {
    throw newBadRequest('spec.audiences of the TokenReview is not a list of strings');
  }
  return { token, audiences: audiences };
}

/** Encodes a user as authentication.k8s.io/v1 UserInfo, leaving out empty fields (omitempty). */
function tokenReviewUserInfo(user: UserInfo): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  if (user.name !== '') info.username = user.name;
  if (user.uid !== '') info.uid = user.uid;
  // kube-apiserver reviews tokens with its whole request authenticator, whose last step adds
  // system:authenticated to every authenticated user.
  const groups = user.groups.includes(ALL_AUTHENTICATED_GROUP)
    ? [...user.groups]
    : [...user.groups, ALL_AUTHENTICATED_GROUP];
  info.groups = groups;
  if (Object.keys(user.extra).length > 0) info.extra = user.extra;
  return info;
}

/**
 * Builds the status of a review from the authenticator's outcome. `requested` are the audiences
 * to check, empty for none.
 *
 * Differs from kube-apiserver: there the audiences go to the authenticators, which reject tokens
 * issued for other audiences. TokenAuthenticator takes no audiences, so the check runs here,
 * with the same outcome: no common audience means not authenticated and no error.
 */
export function tokenReviewStatus(
  outcome: AuthenticationResult | Error,
  requested: readonly string[],
  apiAudiences: readonly string[],
): Record<string, unknown> {
  if (outcome instanceof Error) return { user: {}, error: outcome.message };
  if (outcome.kind !== 'authenticated') return { user: {}, error: INVALID_BEARER_TOKEN };
  let audiences = outcome.audiences ?? [];
  if (requested.length > 0) {
    const granted = outcome.audiences ?? apiAudiences;
    audiences = requested.filter((audience) => granted.includes(audience));
    if (audiences.length === 0) return { user: {} };
  }
  const status: Record<string, unknown> = {
    authenticated: true,
    user: tokenReviewUserInfo(outcome.user),
  };
  if (audiences.length > 0) status.audiences = [...audiences];
  return status;
}

/** Runs the authenticator, aborting it when the client goes away before the response. */
async function authenticate(
  authenticator: TokenAuthenticator,
  token: string,
  ctx: Context,
): Promise<AuthenticationResult | Error> {
  const controller = new AbortController();
  const abort = (): void => {
    if (!ctx.res.writableFinished) controller.abort();
  };
  ctx.res.once('close', abort);
  try {
    return await authenticator.authenticateToken(token, controller.signal);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    ctx.res.off('close', abort);
  }
}

/**
 * Builds the handler of POST /apis/authentication.k8s.io/v1/tokenreviews, which lets another
 * server (for example this one, configured with --authentication-token-webhook-config-file) ask
 * whether a token is valid. It returns 201 with the TokenReview, its spec echoed (token
 * included, as kube-apiserver does) and a status with `authenticated`, `user`, `audiences` and
 * `error`. A failing authenticator is reported in status.error, not as an HTTP error.
 *
 * The body may be JSON or YAML. Differs from kube-apiserver: protobuf bodies get 415, because
 * decoding a TokenReview from protobuf is not implemented.
 */
export function createTokenReview(
  authenticator: TokenAuthenticator,
  options: TokenReviewOptions = {},
): (ctx: Context) => Promise<void> {
  const apiAudiences = options.apiAudiences ?? [];
  return async function tokenReview(ctx: Context): Promise<void> {
    const decoded = decodeBody(ctx.get('Content-Type'), await readBody(ctx));
    if (decoded.object === undefined) {
      throw newUnsupportedMediaType(['application/json', 'application/yaml']);
    }
    if (decoded.kind !== '' && decoded.kind !== KIND) {
      throw newBadRequest(`not a TokenReview: ${decoded.apiVersion}, Kind=${decoded.kind}`);
    }
    if (decoded.apiVersion !== '' && decoded.apiVersion !== GROUP_VERSION) {
      throw newBadRequest(
        `the API version in the data (${decoded.apiVersion}) does not match the expected API version (${GROUP_VERSION})`,
      );
    }
    const spec = tokenReviewSpec(decoded.object);
    const requested = spec.audiences.length > 0 ? spec.audiences : apiAudiences;
    const outcome = await authenticate(authenticator, spec.token, ctx);
    const echoedSpec: Record<string, unknown> = { token: spec.token };
    if (spec.audiences.length > 0) echoedSpec.audiences = [...spec.audiences];
    writeJSON(ctx, 201, {
      kind: KIND,
      apiVersion: GROUP_VERSION,
      metadata: { creationTimestamp: null },
      spec: echoedSpec,
      status: tokenReviewStatus(outcome, requested, apiAudiences),
    });
  };
}
