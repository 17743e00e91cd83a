import type { Context } from 'koa';
import type winston from 'winston';
import type { Authorizer } from '../../../auth/authorizer/interfaces.js';
import { mustUser } from '../../../genericapiserver/request/context.js';
import { writeJSON } from '../../responsewriters/writers.js';
import {
  encodeAccessReviewSpec,
  evaluateAccessReview,
  readAccessReviewSpec,
  reviewAttributes,
} from './attributes.js';
import {
  AUTHORIZATION_GROUP_VERSION,
  decodeReview,
  newInvalidReview,
  responseMetadata,
  type ReviewKind,
} from './review.js';
import {
  normalizeReviewMetadata,
  validateReviewMetadata,
  validateSelfSubjectAccessReviewSpec,
} from './validation.js';

const SELF_SUBJECT_ACCESS_REVIEW: ReviewKind = {
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  modelName: 'V1SelfSubjectAccessReview',
};

/**
 * Builds the handler of POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews, which
 * `kubectl auth can-i` calls: may the user of this request (after impersonation) do what
 * spec.resourceAttributes or spec.nonResourceAttributes describe? It returns 201 with the spec
 * echoed and the authorizer's decision in status.
 * @throws StatusError 400 for a body that does not decode, 422 for an invalid review.
 */
export function createSelfSubjectAccessReview(
  authorizer: Authorizer,
  logger: winston.Logger,
): (ctx: Context) => Promise<void> {
  return async function selfSubjectAccessReview(ctx: Context): Promise<void> {
    const { object, metadata } = await decodeReview(ctx, SELF_SUBJECT_ACCESS_REVIEW);
    const spec = readAccessReviewSpec(object);
    const errors = [
      ...validateSelfSubjectAccessReviewSpec(spec),
      ...validateReviewMetadata(normalizeReviewMetadata(metadata, ''), false),
    ];
    if (errors.length > 0) throw newInvalidReview(errors);

    const attributes = reviewAttributes(mustUser(ctx), spec);
    const status = await evaluateAccessReview(authorizer, attributes, spec, logger);
    writeJSON(ctx, 201, {
      kind: SELF_SUBJECT_ACCESS_REVIEW.kind,
      apiVersion: AUTHORIZATION_GROUP_VERSION,
      metadata: responseMetadata(),
      spec: encodeAccessReviewSpec(spec),
      status,
    });
  };
}
