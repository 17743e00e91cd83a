import type { Context } from 'koa';
import type winston from 'winston';
import { newBadRequest } from '../../../apiserver/errors/statuserror.js';
import type { Authorizer } from '../../../auth/authorizer/interfaces.js';
import { mustRequestInfo } from '../../../genericapiserver/request/context.js';
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
  validateLocalSubjectAccessReview,
  validateReviewMetadata,
  validateSubjectAccessReviewSpec,
} from './validation.js';

const LOCAL_SUBJECT_ACCESS_REVIEW: ReviewKind = {
  kind: 'LocalSubjectAccessReview',
  plural: 'localsubjectaccessreviews',
  modelName: 'V1LocalSubjectAccessReview',
};

/**
 * Builds the handler of POST
 * /apis/authorization.k8s.io/v1/namespaces/NAMESPACE/localsubjectaccessreviews: a
 * SubjectAccessReview limited to one namespace, so a namespace's administrators can be allowed
 * to ask it. It returns 201 with the review echoed and the authorizer's decision in status.
 *
 * As in kube-apiserver, metadata.namespace defaults to the URL's namespace and must equal it,
 * and spec.resourceAttributes.namespace must then equal metadata.namespace. kube-apiserver's
 * storage also has a 400 for a URL namespace that differs from metadata.namespace, which the
 * defaulting makes unreachable, so it is not repeated here.
 * @throws StatusError 400 for a body that does not decode or a metadata.namespace that differs
 *   from the URL's, 422 for an invalid review.
 */
export function createLocalSubjectAccessReview(
  authorizer: Authorizer,
  logger: winston.Logger,
): (ctx: Context) => Promise<void> {
  return async function localSubjectAccessReview(ctx: Context): Promise<void> {
    const { namespace } = mustRequestInfo(ctx);
    const { object, metadata } = await decodeReview(ctx, LOCAL_SUBJECT_ACCESS_REVIEW);
    const bodyNamespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
    if (bodyNamespace !== '' && bodyNamespace !== namespace) {
      throw newBadRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const spec = readAccessReviewSpec(object);
    const errors = [
      ...validateSubjectAccessReviewSpec(spec),
      ...validateReviewMetadata(normalizeReviewMetadata(metadata, namespace), true),
      ...validateLocalSubjectAccessReview(spec, namespace),
    ];
    if (errors.length > 0) throw newInvalidReview(errors);

    const attributes = reviewAttributes(subjectOf(spec), spec);
    const status = await evaluateAccessReview(authorizer, attributes, spec, logger);
    writeJSON(ctx, 201, {
      kind: LOCAL_SUBJECT_ACCESS_REVIEW.kind,
      apiVersion: AUTHORIZATION_GROUP_VERSION,
      metadata: responseMetadata(namespace),
      spec: encodeAccessReviewSpec(spec),
      status,
    });
  };
}
