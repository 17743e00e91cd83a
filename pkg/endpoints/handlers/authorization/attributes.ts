import type winston from 'winston';
import type { Attributes, Authorizer, Decision } from '../../../auth/authorizer/interfaces.js';
import type { UserInfo } from '../../../auth/user/user.js';
import { newUserInfo } from '../../../auth/user/user.js';
import {
  isObject,
  objectField,
  stringArrayField,
  stringField,
} from '../../../registry/validation/unstructured.js';
import {
  encodeSelectorAttributes,
  readSelectorAttributes,
  selectorEvaluationNotes,
  type SelectorAttributes,
} from './selectors.js';

/** spec.resourceAttributes of a review: the resource request to check. */
export interface ResourceAttributesSpec {
  readonly namespace: string;
  readonly verb: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  readonly fieldSelector: SelectorAttributes | undefined;
  readonly labelSelector: SelectorAttributes | undefined;
}

/** spec.nonResourceAttributes of a review: the non-resource request to check. */
export interface NonResourceAttributesSpec {
  readonly path: string;
  readonly verb: string;
}

/**
 * The spec of a SubjectAccessReview or LocalSubjectAccessReview. A SelfSubjectAccessReview has
 * only the two attribute fields, and its subject fields stay empty.
 */
export interface AccessReviewSpec {
  readonly resourceAttributes: ResourceAttributesSpec | undefined;
  readonly nonResourceAttributes: NonResourceAttributesSpec | undefined;
  readonly user: string;
  readonly groups: readonly string[];
  readonly extra: Readonly<Record<string, readonly string[]>>;
  readonly uid: string;
}

function readResourceAttributes(value: unknown): ResourceAttributesSpec | undefined {
  if (!isObject(value)) return undefined;
  return {
    namespace: stringField(value, 'namespace'),
    verb: stringField(value, 'verb'),
    group: stringField(value, 'group'),
    version: stringField(value, 'version'),
    resource: stringField(value, 'resource'),
    subresource: stringField(value, 'subresource'),
    name: stringField(value, 'name'),
    fieldSelector: readSelectorAttributes(value.fieldSelector),
    labelSelector: readSelectorAttributes(value.labelSelector),
  };
}

function readNonResourceAttributes(value: unknown): NonResourceAttributesSpec | undefined {
  if (!isObject(value)) return undefined;
  return { path: stringField(value, 'path'), verb: stringField(value, 'verb') };
}

function readExtra(value: unknown): Record<string, readonly string[]> {
  if (!isObject(value)) return {};
  const extra: Record<string, readonly string[]> = {};
  for (const [key, values] of Object.entries(value)) {
    extra[key] = Array.isArray(values) ? values.filter((item) => typeof item === 'string') : [];
  }
  return extra;
}

/**
 * Reads the spec of a decoded review whose JSON types were checked already. A missing or null
 * attribute field reads as undefined, as a nil pointer does in Go.
 */
export function readAccessReviewSpec(review: Record<string, unknown>): AccessReviewSpec {
  const spec = objectField(review, 'spec') ?? {};
  return {
    resourceAttributes: readResourceAttributes(spec.resourceAttributes),
    nonResourceAttributes: readNonResourceAttributes(spec.nonResourceAttributes),
    user: stringField(spec, 'user'),
    groups: stringArrayField(spec, 'groups'),
    extra: readExtra(spec.extra),
    uid: stringField(spec, 'uid'),
  };
}

function encodeResourceAttributes(attributes: ResourceAttributesSpec): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  const fields = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
  for (const field of fields as (keyof ResourceAttributesSpec)[]) {
    const value = attributes[field];
    if (typeof value === 'string' && value !== '') encoded[field] = value;
  }
  if (attributes.fieldSelector !== undefined) {
    encoded.fieldSelector = encodeSelectorAttributes(attributes.fieldSelector);
  }
  if (attributes.labelSelector !== undefined) {
    encoded.labelSelector = encodeSelectorAttributes(attributes.labelSelector);
  }
  return encoded;
}

/**
 * Encodes a spec as kube-apiserver echoes it: fields in the order of the Go struct, empty
 * optional fields left out and unknown fields dropped.
 */
export function encodeAccessReviewSpec(spec: AccessReviewSpec): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  if (spec.resourceAttributes !== undefined) {
    encoded.resourceAttributes = encodeResourceAttributes(spec.resourceAttributes);
  }
  if (spec.nonResourceAttributes !== undefined) {
    const { path, verb } = spec.nonResourceAttributes;
    const nonResource: Record<string, unknown> = {};
    if (path !== '') nonResource.path = path;
    if (verb !== '') nonResource.verb = verb;
    encoded.nonResourceAttributes = nonResource;
  }
  if (spec.user !== '') encoded.user = spec.user;
  if (spec.groups.length > 0) encoded.groups = [...spec.groups];
  if (Object.keys(spec.extra).length > 0) {
    const keys = Object.keys(spec.extra).sort();
    encoded.extra = Object.fromEntries(keys.map((key) => [key, [...(spec.extra[key] ?? [])]]));
  }
  if (spec.uid !== '') encoded.uid = spec.uid;
  return encoded;
}

/** Returns the user a SubjectAccessReview checks, from spec.user, groups, extra and uid. */
export function subjectOf(spec: AccessReviewSpec): UserInfo {
  return newUserInfo({ name: spec.user, uid: spec.uid, groups: spec.groups, extra: spec.extra });
}

/**
 * Builds the authorizer attributes of a validated spec for `user`. An empty version means every
 * version (`*`), as in kube-apiserver's ResourceAttributesFrom.
 */
export function reviewAttributes(user: UserInfo, spec: AccessReviewSpec): Attributes {
  const resource = spec.resourceAttributes;
  if (resource !== undefined) {
    return {
      user,
      verb: resource.verb,
      isResourceRequest: true,
      path: '',
      namespace: resource.namespace,
      apiGroup: resource.group,
      apiVersion: resource.version === '' ? '*' : resource.version,
      resource: resource.resource,
      subresource: resource.subresource,
      name: resource.name,
    };
  }
  const nonResource = spec.nonResourceAttributes ?? { path: '', verb: '' };
  return {
    user,
    verb: nonResource.verb,
    isResourceRequest: false,
    path: nonResource.path,
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
}

/** The authorizer's decision, or the error it failed with. */
type Outcome =
  | { readonly decision: Decision; readonly reason: string; readonly error: undefined }
  | { readonly decision: 'noOpinion'; readonly reason: ''; readonly error: Error };

async function authorize(authorizer: Authorizer, attributes: Attributes): Promise<Outcome> {
  try {
    const result = await authorizer.authorize(attributes);
    return { decision: result.decision, reason: result.reason, error: undefined };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return { decision: 'noOpinion', reason: '', error };
  }
}

/**
 * Asks the authorizer about `attributes` and builds a SubjectAccessReviewStatus: `allowed`
 * always, `denied`, `reason` and `evaluationError` only when set. An authorizer that fails gives
 * allowed false with its error in evaluationError, not an HTTP error, as in kube-apiserver.
 * Notes about selectors that do not parse are appended to evaluationError, joined by `; `.
 */
export async function evaluateAccessReview(
  authorizer: Authorizer,
  attributes: Attributes,
  spec: AccessReviewSpec,
  logger: winston.Logger,
): Promise<Record<string, unknown>> {
  const outcome = await authorize(authorizer, attributes);
  if (outcome.error !== undefined) {
    logger.warn('authorizer failed during an access review', {
      user: attributes.user.name,
      verb: attributes.verb,
      resource: attributes.resource,
      path: attributes.path,
      err: outcome.error,
    });
  }
  const errors = outcome.error === undefined ? [] : [outcome.error.message];
  const resource = spec.resourceAttributes;
  if (resource !== undefined) {
    errors.push(...selectorEvaluationNotes(resource.fieldSelector, resource.labelSelector));
  }
  const status: Record<string, unknown> = { allowed: outcome.decision === 'allow' };
  if (outcome.decision === 'deny') status.denied = true;
  if (outcome.reason !== '') status.reason = outcome.reason;
  if (errors.length > 0) status.evaluationError = errors.join('; ');
  return status;
}
