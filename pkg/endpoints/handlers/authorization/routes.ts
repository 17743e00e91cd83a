import type Router from '@koa/router';
import type winston from 'winston';
import type { Authorizer, RuleResolver } from '../../../auth/authorizer/interfaces.js';
import {
  LOCAL_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
  SUBJECT_ACCESS_REVIEWS,
} from '../../discovery/reviews.js';
import type { ServedResource } from '../../discovery/served.js';
import { createLocalSubjectAccessReview } from './localsubjectaccessreview.js';
import { createSelfSubjectAccessReview } from './selfsubjectaccessreview.js';
import { createSelfSubjectRulesReview } from './selfsubjectrulesreview.js';
import { createSubjectAccessReview } from './subjectaccessreview.js';

/** The authorization.k8s.io/v1 reviews, for discovery. */
export const AUTHORIZATION_REVIEWS: readonly ServedResource[] = [
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
  SUBJECT_ACCESS_REVIEWS,
  LOCAL_SUBJECT_ACCESS_REVIEWS,
];

/** Dependencies of the authorization review handlers. */
export interface AuthorizationReviewOptions {
  /** The same authorizer chain that authorizes requests. */
  readonly authorizer: Authorizer;
  /** Lists rules for SelfSubjectRulesReview. Without it, every rules review is incomplete. */
  readonly ruleResolver: RuleResolver | undefined;
  readonly logger: winston.Logger;
}

/** Adds the POST routes of the four authorization.k8s.io/v1 reviews. */
export function addAuthorizationReviewRoutes(
  router: Router,
  options: AuthorizationReviewOptions,
): void {
  const { authorizer, ruleResolver, logger } = options;
  const prefix = '/apis/authorization.k8s.io/v1';
  router.post(
    `${prefix}/selfsubjectaccessreviews`,
    createSelfSubjectAccessReview(authorizer, logger),
  );
  router.post(
    `${prefix}/selfsubjectrulesreviews`,
    createSelfSubjectRulesReview(ruleResolver, logger),
  );
  router.post(`${prefix}/subjectaccessreviews`, createSubjectAccessReview(authorizer, logger));
  router.post(
    `${prefix}/namespaces/:namespace/localsubjectaccessreviews`,
    createLocalSubjectAccessReview(authorizer, logger),
  );
}
