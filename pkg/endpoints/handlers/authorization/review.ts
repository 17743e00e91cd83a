import type { Context } from 'koa';
import {
  failureStatus,
  newBadRequest,
  StatusError,
} from '../../../apiserver/errors/statuserror.js';
import type { FieldError } from '../../../registry/resource.js';
import { newInvalid } from '../../../registry/validation/invalid.js';
import { fieldTypeErrors } from '../../../apis/schema/type_errors.js';
import { findUnknownFields, pruneUnknownFields } from '../../../apis/schema/unknown_fields.js';
import {
  decodeKubernetesProtobuf,
  UnsupportedProtobufKindError,
} from '../../../runtime/protobuf/decode.js';
import { PROTOBUF_MEDIA_TYPE } from '../../../runtime/protobuf_envelope.js';
import { isObject } from '../../../registry/validation/unstructured.js';
import { decodeBody, readBody } from '../body.js';
import { parseDryRun, parseFieldValidation } from '../rest/decode.js';

/** The API group and version of the authorization reviews. */
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHORIZATION_VERSION = 'v1';
export const AUTHORIZATION_GROUP_VERSION = `${AUTHORIZATION_GROUP}/${AUTHORIZATION_VERSION}`;

/** A review kind: its name and the @kubernetes/client-node model its JSON fields are checked with. */
export interface ReviewKind {
  readonly kind: string;
  readonly plural: string;
  readonly modelName: string;
}

/** A decoded review body. */
export interface DecodedReview {
  /** The review without unknown fields, as kube-apiserver decodes it into its Go type. */
  readonly object: Record<string, unknown>;
  /** metadata of the body, `{}` when it has none. */
  readonly metadata: Record<string, unknown>;
}

function isProtobuf(contentType: string): boolean {
  return contentType.split(';')[0]?.trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

/**
 * Turns each spec.extra value of a protobuf-decoded review from the ExtraValue message form
 * `{ items: [...] }` into the list of strings that the same review has in JSON.
 */
function unwrapExtraValues(object: Record<string, unknown>): void {
  const spec = object.spec;
  if (!isObject(spec) || !isObject(spec.extra)) return;
  for (const [key, value] of Object.entries(spec.extra)) {
    const items = isObject(value) ? value.items : undefined;
    spec.extra[key] = Array.isArray(items) ? items : [];
  }
}

function decodeProtobufReview(body: Buffer, review: ReviewKind): Record<string, unknown> {
  try {
    const defaults = { apiVersion: AUTHORIZATION_GROUP_VERSION, kind: review.kind };
    const { object } = decodeKubernetesProtobuf(body, defaults);
    unwrapExtraValues(object);
    return object;
  } catch (err) {
    if (err instanceof UnsupportedProtobufKindError) {
      throw new StatusError(failureStatus(415, 'UnsupportedMediaType', err.message));
    }
    throw newBadRequest(`unable to decode protobuf body: ${(err as Error).message}`);
  }
}

function cannotHandle(review: ReviewKind, kind: string, detail: string): StatusError {
  return newBadRequest(
    `${kind} in version ${JSON.stringify(AUTHORIZATION_VERSION)} cannot be handled as a ${review.kind}: ${detail}`,
  );
}

/** Checks the body's kind and apiVersion, either of which may be left out. */
function checkType(object: Record<string, unknown>, review: ReviewKind): void {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  if (kind !== '' && kind !== review.kind) {
    // NOTE: kube-apiserver's detail names a failed conversion for a registered kind and its
    // scheme for an unregistered one. This uses the wording of the REST handlers' decoder.
    throw cannotHandle(
      review,
      kind,
      `no kind ${JSON.stringify(kind)} is registered for the resource ${JSON.stringify(review.plural)}`,
    );
  }
  if (apiVersion !== '' && apiVersion !== AUTHORIZATION_GROUP_VERSION) {
    throw newBadRequest(
      `the API version in the data (${apiVersion}) does not match the expected API version (${AUTHORIZATION_GROUP_VERSION})`,
    );
  }
}

/**
 * Applies ?fieldValidation= to a JSON or YAML body: values of the wrong JSON type are rejected,
 * unknown fields are rejected (Strict), reported in Warning headers (Warn, the default) or
 * dropped silently (Ignore). The result never keeps unknown fields.
 */
function checkFields(
  ctx: Context,
  object: Record<string, unknown>,
  review: ReviewKind,
  mode: string,
): Record<string, unknown> {
  const typeErrors = fieldTypeErrors(review.modelName, object);
  if (typeErrors.length > 0) throw cannotHandle(review, review.kind, typeErrors[0]!.message);
  const unknown = findUnknownFields(review.modelName, object);
  if (unknown.length === 0) return object;
  if (mode === 'Strict') {
    const list = unknown.map((path) => `unknown field ${JSON.stringify(path)}`).join(', ');
    throw cannotHandle(review, review.kind, `strict decoding error: ${list}`);
  }
  if (mode === 'Warn') {
    for (const path of unknown) {
      ctx.append('Warning', `299 - ${JSON.stringify(`unknown field ${JSON.stringify(path)}`)}`);
    }
  }
  return pruneUnknownFields(review.modelName, object);
}

/**
 * Reads the body of a review POST as kube-apiserver's create handler does: JSON, YAML or
 * Kubernetes protobuf, whose kind and apiVersion default to the URL's. ?dryRun= and
 * ?fieldValidation= are checked. A review stores nothing, so dry run changes nothing.
 * @throws StatusError 400 for a body that does not decode or is of another type, 413 for a body
 *   over the size limit, 415 for another media type.
 */
export async function decodeReview(ctx: Context, review: ReviewKind): Promise<DecodedReview> {
  const query = new URLSearchParams(ctx.querystring);
  const mode = parseFieldValidation(query.get('fieldValidation'));
  parseDryRun(query.getAll('dryRun'));
  const contentType = ctx.get('Content-Type');
  const body = await readBody(ctx);
  let object: Record<string, unknown>;
  if (isProtobuf(contentType)) {
    object = decodeProtobufReview(body, review);
    checkType(object, review);
  } else {
    object = decodeBody(contentType, body).object!;
    checkType(object, review);
    object = checkFields(ctx, object, review, mode);
  }
  const metadata = isObject(object.metadata) ? object.metadata : {};
  return { object, metadata };
}

/**
 * Builds the 422 of a review that failed validation. kube-apiserver names the kind of its
 * internal object, whose kind is empty after decoding, so the message reads
 * `.authorization.k8s.io "" is invalid: ...`.
 */
export function newInvalidReview(errors: readonly FieldError[]): StatusError {
  return newInvalid({ group: AUTHORIZATION_GROUP, kind: '' }, '', errors);
}

/**
 * Returns the metadata of a review response. kube-apiserver clears creationTimestamp on create
 * and writes the zero time as null.
 */
export function responseMetadata(namespace = ''): Record<string, unknown> {
  return namespace === '' ? { creationTimestamp: null } : { namespace, creationTimestamp: null };
}
