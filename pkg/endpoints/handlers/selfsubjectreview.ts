import type { Context } from 'koa';
import { newBadRequest } from '../../apiserver/errors/statuserror.js';
import type { UserInfo } from '../../auth/user/user.js';
import { mustUser } from '../../genericapiserver/request/context.js';
import { writeJSON } from '../responsewriters/writers.js';
import { decodeBody, readBody } from './body.js';

const GROUP_VERSION = 'authentication.k8s.io/v1';
const KIND = 'SelfSubjectReview';

/** The userInfo of a review; empty fields are left out as in authentication.k8s.io/v1. */
export function reviewUserInfo(user: UserInfo): Record<string, unknown> {
  const info: Record<string, unknown> = { username: user.name };
  if (user.uid !== '') info.uid = user.uid;
  if (user.groups.length > 0) info.groups = [...user.groups];
  if (Object.keys(user.extra).length > 0) info.extra = user.extra;
  return info;
}

/** RFC 3339 with second precision, as metav1.Time encodes. */
function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Serves POST /apis/authentication.k8s.io/v1/selfsubjectreviews: returns 201 with the user the
 * request acts as (after impersonation), which `kubectl auth whoami` prints. The body may be
 * JSON, YAML or protobuf; it must be a SelfSubjectReview when it names a kind.
 */
export async function createSelfSubjectReview(ctx: Context): Promise<void> {
  const decoded = decodeBody(ctx.get('Content-Type'), await readBody(ctx));
  if (decoded.kind !== '' && decoded.kind !== KIND) {
    throw newBadRequest(`not a SelfSubjectReview: ${decoded.apiVersion}, Kind=${decoded.kind}`);
  }
  if (decoded.apiVersion !== '' && decoded.apiVersion !== GROUP_VERSION) {
    throw newBadRequest(
      `the API version in the data (${decoded.apiVersion}) does not match the expected API version (${GROUP_VERSION})`,
    );
  }
  writeJSON(ctx, 201, {
    kind: KIND,
    apiVersion: GROUP_VERSION,
    metadata: { creationTimestamp: nowTimestamp() },
    status: { userInfo: reviewUserInfo(mustUser(ctx)) },
  });
}
