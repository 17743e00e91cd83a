import type { Context, Middleware, Next } from 'koa';
import type winston from 'winston';
import { distinctHeaders } from '../../auth/authenticator/request_view.js';
import type { Attributes, Authorizer } from '../../auth/authorizer/interfaces.js';
import {
  ALL_AUTHENTICATED_GROUP,
  ALL_UNAUTHENTICATED_GROUP,
  ANONYMOUS_USER,
  newUserInfo,
  type UserInfo,
} from '../../auth/user/user.js';
import { newBadRequest } from '../../apiserver/errors/statuserror.js';
import { forbiddenError } from '../../endpoints/responsewriters/forbidden.js';
import { writeStatusError } from '../../endpoints/responsewriters/writers.js';
import { mustUser, setImpersonatedBy, setUser } from '../request/context.js';
import { deleteRequestHeaders } from '../request/headers.js';

/** Impersonation header names, lower-cased as Node delivers them. */
export const IMPERSONATE_USER = 'impersonate-user';
export const IMPERSONATE_UID = 'impersonate-uid';
export const IMPERSONATE_GROUP = 'impersonate-group';
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/** The identity a request acts as, read from its Impersonate-* headers. */
export interface ImpersonationRequest {
  user: string | undefined;
  uid: string | undefined;
  groups: string[];
  extra: Record<string, string[]>;
}

/** One authorization check of the impersonate verb. */
export interface ImpersonationCheck {
  resource: string;
  subresource: string;
  apiGroup: string;
  namespace: string;
  name: string;
}

/**
 * Decodes the key of an Impersonate-Extra-KEY header: lower-cased, then percent-decoded, so
 * `Impersonate-Extra-Example.com%2fkey` names the extra key `example.com/key`. A key that does not
 * decode is kept as it arrived (lower-cased), as kube-apiserver does.
 */
export function decodeExtraKey(headerSuffix: string): string {
  const lowered = headerSuffix.toLowerCase();
  try {
    return decodeURIComponent(lowered);
  } catch {
    return lowered;
  }
}

/**
 * Reads the Impersonate-* headers, keeping one value per header line.
 * NOTE: over HTTP/2, Node's nghttp2 drops a header whose value starts or ends with a space
 * before it reaches this code, so `kubectl --as 'jane '` runs as the caller itself instead of
 * impersonating anyone. Over HTTP/1.1 the value arrives trimmed, as `jane`.
 */
export function parseImpersonationHeaders(rawHeaders: readonly string[]): ImpersonationRequest {
  const headers = distinctHeaders(rawHeaders);
  const extra: Record<string, string[]> = {};
  for (const [name, values] of headers) {
    if (!name.startsWith(IMPERSONATE_EXTRA_PREFIX)) continue;
    const key = decodeExtraKey(name.slice(IMPERSONATE_EXTRA_PREFIX.length));
    extra[key] = [...(extra[key] ?? []), ...values];
  }
  // An empty user or uid header counts as absent, as in kube-apiserver.
  return {
    user: headers.get(IMPERSONATE_USER)?.[0] || undefined,
    uid: headers.get(IMPERSONATE_UID)?.[0] || undefined,
    groups: headers.get(IMPERSONATE_GROUP) ?? [],
    extra,
  };
}

function isEmpty(request: ImpersonationRequest): boolean {
  return (
    request.user === undefined &&
    request.uid === undefined &&
    request.groups.length === 0 &&
    Object.keys(request.extra).length === 0
  );
}

/** Splits `system:serviceaccount:NS:NAME` into its namespace and name, or returns undefined. */
export function splitServiceAccountName(
  user: string,
): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { namespace: parts[0]!, name: parts[1]! };
}

/**
 * Lists the checks a request needs, in kube-apiserver's order: the user (or service account),
 * each group, each extra value, then the uid.
 * @throws StatusError 400 when groups, extra or a uid come without Impersonate-User.
 * Differs from kube-apiserver: 1.32 responds to that case with a plain-text 500, although the
 * client made the mistake, so this server sends the 400 `Status` a client can act on.
 */
export function impersonationChecks(request: ImpersonationRequest): ImpersonationCheck[] {
  const checks: ImpersonationCheck[] = [];
  const check = (fields: Partial<ImpersonationCheck>): void => {
    checks.push({
      resource: '',
      subresource: '',
      apiGroup: '',
      namespace: '',
      name: '',
      ...fields,
    });
  };
  if (request.user === undefined) {
    throw newBadRequest(`requested ${describeRequest(request)} without impersonating a user`);
  }
  const serviceAccount = splitServiceAccountName(request.user);
  if (serviceAccount !== undefined) check({ resource: 'serviceaccounts', ...serviceAccount });
  else check({ resource: 'users', name: request.user });
  for (const group of request.groups) check({ resource: 'groups', name: group });
  for (const [key, values] of Object.entries(request.extra)) {
    for (const value of values) {
      check({
        resource: 'userextras',
        subresource: key,
        apiGroup: AUTHENTICATION_GROUP,
        name: value,
      });
    }
  }
  if (request.uid !== undefined) {
    check({ resource: 'uids', apiGroup: AUTHENTICATION_GROUP, name: request.uid });
  }
  return checks;
}

function describeRequest(request: ImpersonationRequest): string {
  const parts = [
    ...request.groups.map((group) => `group ${JSON.stringify(group)}`),
    ...Object.keys(request.extra).map((key) => `extra ${JSON.stringify(key)}`),
  ];
  if (request.uid !== undefined) parts.push(`uid ${JSON.stringify(request.uid)}`);
  return parts.join(', ');
}

/**
 * Builds the user a request acts as once every check passed. Service accounts get their
 * groups when none were requested; everyone but system:anonymous gets system:authenticated.
 */
export function impersonatedUser(request: ImpersonationRequest): UserInfo {
  const name = request.user ?? '';
  let groups = [...request.groups];
  const serviceAccount = splitServiceAccountName(name);
  if (serviceAccount !== undefined && groups.length === 0) {
    groups = ['system:serviceaccounts', `system:serviceaccounts:${serviceAccount.namespace}`];
  }
  if (name === ANONYMOUS_USER) {
    if (!groups.includes(ALL_UNAUTHENTICATED_GROUP)) groups.push(ALL_UNAUTHENTICATED_GROUP);
  } else if (
    !groups.includes(ALL_AUTHENTICATED_GROUP) &&
    !groups.includes(ALL_UNAUTHENTICATED_GROUP)
  ) {
    groups.push(ALL_AUTHENTICATED_GROUP);
  }
  return newUserInfo({ name, uid: request.uid ?? '', groups, extra: request.extra });
}

function checkAttributes(requester: UserInfo, check: ImpersonationCheck): Attributes {
  return {
    user: requester,
    verb: 'impersonate',
    isResourceRequest: true,
    path: '',
    apiVersion: '',
    ...check,
  };
}

/**
 * Lets a request act as another user, as kube-apiserver's WithImpersonation does: each
 * Impersonate-* header is authorized with the verb impersonate, a denial is a 403 naming what
 * was denied, and on success the request continues as the impersonated user with the
 * impersonation headers removed. The original user is kept for the audit event.
 */
export function withImpersonation(authorizer: Authorizer, logger: winston.Logger): Middleware {
  return async function impersonation(ctx: Context, next: Next): Promise<void> {
    const request = parseImpersonationHeaders(ctx.req.rawHeaders);
    if (isEmpty(request)) {
      await next();
      return;
    }
    const requester = mustUser(ctx);
    let checks: ImpersonationCheck[];
    try {
      checks = impersonationChecks(request);
    } catch (err) {
      writeStatusError(ctx, err as ReturnType<typeof newBadRequest>);
      return;
    }
    for (const check of checks) {
      const attributes = checkAttributes(requester, check);
      let decision = 'noOpinion';
      let reason = '';
      try {
        ({ decision, reason } = await authorizer.authorize(attributes));
      } catch (err) {
        // kube-apiserver responds to a failed impersonation check with the same 403 as a denial.
        logger.error('authorizer failed on impersonation', { user: requester.name, err });
      }
      if (decision !== 'allow') {
        logger.debug('impersonation forbidden', { user: requester.name, ...check });
        writeStatusError(ctx, forbiddenError(attributes, reason));
        return;
      }
    }
    deleteRequestHeaders(
      ctx.req,
      (name) =>
        name === IMPERSONATE_USER ||
        name === IMPERSONATE_UID ||
        name === IMPERSONATE_GROUP ||
        name.startsWith(IMPERSONATE_EXTRA_PREFIX),
    );
    setImpersonatedBy(ctx, requester);
    setUser(ctx, impersonatedUser(request));
    await next();
  };
}
