import type { Context } from 'koa';
import type winston from 'winston';
import type { Authorizer } from '../../../auth/authorizer/interfaces.js';
import { writeJSON } from '../../responsewriters/writers.js';
import {
  encodeAccessReviewSpec,
  evaluateAccessReview,
  readAccessReviewSpec,
  reviewAttributes,
  subjectOf,
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
  validateSubjectAccessReviewSpec,
} from './validation.js';

const SUBJECT_ACCESS_REVIEW: ReviewKind = {
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  modelName: 'V1SubjectAccessReview',
};

/**
 * Builds the handler of POST /apis/authorization.k8s.io/v1/subjectaccessreviews: may the user
 * in spec.user, spec.groups, spec.extra and spec.uid do what the spec's attributes describe?
 * It returns 201 with the spec echoed and the authorizer's decision in status. The caller needs
 * `create` on subjectaccessreviews, which the authorization filter checked.
 * @throws StatusError 400 for a body that does not decode, 422 for an invalid review.
 */
export function createSubjectAccessReview(
  authorizer: Authorizer,
  logger: winston.Logger,
): (ctx: Context) => Promise<void> {
  return async function subjectAccessReview(ctx: Context): Promise<void> {
    const { object, metadata } = await decodeReview(ctx, SUBJECT_ACCESS_REVIEW);
    const spec = readAccessReviewSpec(object);
    const errors = [
      ...validateSubjectAccessReviewSpec(spec),
      ...validateReviewMetadata(normalizeReviewMetadata(metadata, ''), false),
    ];
    if (errors.length > 0) throw newInvalidReview(errors);

    const attributes = reviewAttributes(subjectOf(spec), spec);
    const status = await evaluateAccessReview(authorizer, attributes, spec, logger);
    writeJSON(ctx, 201, {
      kind: SUBJECT_ACCESS_REVIEW.kind,
      apiVersion: AUTHORIZATION_GROUP_VERSION,
      metadata: responseMetadata(),
      spec: encodeAccessReviewSpec(spec),
      status,
    });
  };
}
