import type { Attributes } from '../../../../pkg/auth/authorizer/interfaces.js';

/** SubjectAccessReview versions a webhook may speak (--authorization-webhook-version). */
export const SUBJECT_ACCESS_REVIEW_VERSIONS = ['v1', 'v1beta1'] as const;
export type SubjectAccessReviewVersion = (typeof SUBJECT_ACCESS_REVIEW_VERSIONS)[number];

/** The spec of an authorization.k8s.io/v1 SubjectAccessReview, with empty fields left out. */
export type SubjectAccessReviewSpec = Record<string, unknown>;

/** The status fields of a SubjectAccessReview that the authorizer reads. */
export interface SubjectAccessReviewStatus {
  readonly allowed: boolean;
  readonly denied: boolean;
  readonly reason: string;
  readonly evaluationError: string;
}

/** Copies the entries whose value is not empty, as Go's `omitempty` encodes them. */
function withoutEmpty(fields: [string, string][]): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [key, value] of fields) if (value !== '') object[key] = value;
  return object;
}

/**
 * Builds the v1 spec for the request attributes, with the fields in the order of Go's
 * SubjectAccessReviewSpec: resourceAttributes or nonResourceAttributes, user, groups, extra and
 * uid. Empty fields are left out, as `omitempty` does, and extra keys are sorted, as Go sorts
 * map keys. The JSON of this spec is also the authorizer's cache key, as in kube-apiserver.
 */
export function subjectAccessReviewSpec(attributes: Attributes): SubjectAccessReviewSpec {
  const spec: SubjectAccessReviewSpec = {};
  if (attributes.isResourceRequest) {
    spec.resourceAttributes = withoutEmpty([
      ['namespace', attributes.namespace],
      ['verb', attributes.verb],
      ['group', attributes.apiGroup],
      ['version', attributes.apiVersion],
      ['resource', attributes.resource],
      ['subresource', attributes.subresource],
      ['name', attributes.name],
    ]);
  } else {
    spec.nonResourceAttributes = withoutEmpty([
      ['path', attributes.path],
      ['verb', attributes.verb],
    ]);
  }
  const user = attributes.user;
  if (user.name !== '') spec.user = user.name;
  if (user.groups.length > 0) spec.groups = [...user.groups];
  const extraKeys = Object.keys(user.extra).sort();
  if (extraKeys.length > 0) {
    const extra: Record<string, string[]> = {};
    for (const key of extraKeys) extra[key] = [...(user.extra[key] ?? [])];
    spec.extra = extra;
  }
  if (user.uid !== '') spec.uid = user.uid;
  return spec;
}

/**
 * Builds the request body, shaped as kube-apiserver's client encodes it. v1beta1 names the
 * groups field `group`, while v1 names it `groups`, and the other fields are the same.
 */
export function subjectAccessReviewRequest(
  version: SubjectAccessReviewVersion,
  spec: SubjectAccessReviewSpec,
): Record<string, unknown> {
  let versionedSpec = spec;
  if (version === 'v1beta1') {
    versionedSpec = {};
    for (const [key, value] of Object.entries(spec)) {
      versionedSpec[key === 'groups' ? 'group' : key] = value;
    }
  }
  return {
    kind: 'SubjectAccessReview',
    apiVersion: `authorization.k8s.io/${version}`,
    metadata: { creationTimestamp: null },
    spec: versionedSpec,
    status: { allowed: false },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Record<string, unknown>, key: string): string {
  const value = object[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`status.${key} is not a string`);
  return value;
}

function optionalBool(object: Record<string, unknown>, key: string): boolean {
  const value = object[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new Error(`status.${key} is not a boolean`);
  return value;
}

/**
 * Reads the status of a SubjectAccessReview response. Missing fields are false or empty, as
 * Go's decoder leaves them.
 * @throws Error when the response is not a SubjectAccessReview of the expected shape.
 */
export function statusFromSubjectAccessReview(response: unknown): SubjectAccessReviewStatus {
  if (!isObject(response)) throw new Error('the response is not a JSON object');
  const kind = response.kind;
  if (kind !== undefined && kind !== null && kind !== 'SubjectAccessReview') {
    const name = typeof kind === 'string' ? kind : JSON.stringify(kind);
    throw new Error(`the response is a ${name}, not a SubjectAccessReview`);
  }
  const status = response.status ?? {};
  if (!isObject(status)) throw new Error('status is not an object');
  return {
    allowed: optionalBool(status, 'allowed'),
    denied: optionalBool(status, 'denied'),
    reason: optionalString(status, 'reason'),
    evaluationError: optionalString(status, 'evaluationError'),
  };
}
