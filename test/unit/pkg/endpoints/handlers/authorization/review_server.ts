import type { Context, Middleware } from 'koa';
import { StatusError } from '../../../../../../pkg/apiserver/errors/statuserror.js';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
} from '../../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../../pkg/auth/user/user.js';
import { writeStatusError } from '../../../../../../pkg/endpoints/responsewriters/writers.js';
import {
  provideRequestInfo,
  provideUser,
  requestInfoFor,
  serveOnce,
} from '../../../../helpers/koa_context.js';

/** The group version of every review under test. */
export const GROUP_VERSION = 'authorization.k8s.io/v1';

/** The user the request info filter and authentication filter would have set. */
export const REQUEST_USER: UserInfo = newUserInfo({
  name: 'jane',
  uid: 'uid-jane',
  groups: ['devs', 'system:authenticated'],
  extra: { scopes: ['a', 'b'] },
});

/** An authorizer that records the attributes it checks and returns a fixed result. */
export class RecordingAuthorizer implements Authorizer {
  readonly checked: Attributes[] = [];

  /** @param result the decision to return, or an Error to throw */
  constructor(private readonly result: AuthorizationResult | Error) {}

  authorize(attributes: Attributes): Promise<AuthorizationResult> {
    this.checked.push(attributes);
    if (this.result instanceof Error) return Promise.reject(this.result);
    return Promise.resolve(this.result);
  }
}

/** Writes a thrown StatusError as the response, as the API handler does. */
const statusErrors: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    writeStatusError(ctx, err);
  }
};

/** A response with its body parsed as JSON. */
export interface ReviewResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

/** One POST to a review handler behind the filters it needs. */
export interface ReviewRequest {
  /** The URL path and query, such as `/apis/authorization.k8s.io/v1/subjectaccessreviews`. */
  readonly path: string;
  readonly body: string | Buffer;
  /** Content-Type, application/json when left out. */
  readonly contentType?: string;
  /** The request's user, REQUEST_USER when left out. */
  readonly user?: UserInfo;
}

/**
 * Serves `handler` on a test server with the request info and user set, sends one POST and
 * returns the response with its JSON body.
 */
export async function postReview(
  handler: (ctx: Context) => Promise<void>,
  request: ReviewRequest,
): Promise<ReviewResponse> {
  const response = await serveOnce(
    [
      statusErrors,
      provideRequestInfo(requestInfoFor(request.path, 'POST')),
      provideUser(request.user ?? REQUEST_USER),
      handler,
    ],
    {
      method: 'POST',
      path: request.path,
      headers: { 'Content-Type': request.contentType ?? 'application/json' },
      body: request.body,
    },
  );
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(response.body) as Record<string, unknown>,
  };
}
