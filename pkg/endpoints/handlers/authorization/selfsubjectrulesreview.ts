import type { Context } from 'koa';
import type winston from 'winston';
import { newBadRequest } from '../../../apiserver/errors/statuserror.js';
import type {
  PolicyRule,
  ResolvedRules,
  RuleResolver,
} from '../../../auth/authorizer/interfaces.js';
import type { UserInfo } from '../../../auth/user/user.js';
import { mustUser } from '../../../genericapiserver/request/context.js';
import { objectField, stringField } from '../../../registry/validation/unstructured.js';
import { writeJSON } from '../../responsewriters/writers.js';
import {
  AUTHORIZATION_GROUP_VERSION,
  decodeReview,
  responseMetadata,
  type ReviewKind,
} from './review.js';

const SELF_SUBJECT_RULES_REVIEW: ReviewKind = {
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  modelName: 'V1SelfSubjectRulesReview',
};

/** status.evaluationError when the server has no rule resolver. */
export const NO_RULE_RESOLVER_ERROR =
  'the configured authorizers do not support user rule resolution';

/** Encodes a rule on resources as authorization.k8s.io/v1 ResourceRule, with verbs always set. */
function encodeResourceRule(rule: PolicyRule): Record<string, unknown> {
  const encoded: Record<string, unknown> = { verbs: [...rule.verbs] };
  if (rule.apiGroups !== undefined && rule.apiGroups.length > 0) {
    encoded.apiGroups = [...rule.apiGroups];
  }
  if (rule.resources !== undefined && rule.resources.length > 0) {
    encoded.resources = [...rule.resources];
  }
  if (rule.resourceNames !== undefined && rule.resourceNames.length > 0) {
    encoded.resourceNames = [...rule.resourceNames];
  }
  return encoded;
}

/** Encodes a rule on paths as authorization.k8s.io/v1 NonResourceRule, with verbs always set. */
function encodeNonResourceRule(rule: PolicyRule): Record<string, unknown> {
  const encoded: Record<string, unknown> = { verbs: [...rule.verbs] };
  if (rule.nonResourceURLs !== undefined && rule.nonResourceURLs.length > 0) {
    encoded.nonResourceURLs = [...rule.nonResourceURLs];
  }
  return encoded;
}

/** Resolves the rules of `user`. A missing or failing resolver gives an empty, incomplete list. */
async function resolveRules(
  resolver: RuleResolver | undefined,
  user: UserInfo,
  namespace: string,
  logger: winston.Logger,
): Promise<ResolvedRules> {
  if (resolver === undefined) {
    return {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: NO_RULE_RESOLVER_ERROR,
    };
  }
  try {
    return await resolver.rulesFor(user, namespace);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    logger.warn('rule resolver failed during a rules review', {
      user: user.name,
      namespace,
      err: error,
    });
    return {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: error.message,
    };
  }
}

/**
 * Builds the handler of POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews, which
 * `kubectl auth can-i --list` calls: the rules the user of this request (after impersonation)
 * has in spec.namespace. It returns 201 with the rules in status.
 *
 * As kube-apiserver does, the response carries an empty spec, because the server builds a new
 * review rather than echoing the request. resourceRules and nonResourceRules are always
 * written, as empty lists when there are none.
 * @throws StatusError 400 for a body that does not decode or an empty spec.namespace, which
 *   kube-apiserver requires too.
 */
export function createSelfSubjectRulesReview(
  ruleResolver: RuleResolver | undefined,
  logger: winston.Logger,
): (ctx: Context) => Promise<void> {
  return async function selfSubjectRulesReview(ctx: Context): Promise<void> {
    const { object } = await decodeReview(ctx, SELF_SUBJECT_RULES_REVIEW);
    const namespace = stringField(objectField(object, 'spec'), 'namespace');
    if (namespace === '') throw newBadRequest('no namespace on request');

    const rules = await resolveRules(ruleResolver, mustUser(ctx), namespace, logger);
    const status: Record<string, unknown> = {
      resourceRules: rules.resourceRules.map(encodeResourceRule),
      nonResourceRules: rules.nonResourceRules.map(encodeNonResourceRule),
      incomplete: rules.incomplete,
    };
    if (rules.evaluationError !== '') status.evaluationError = rules.evaluationError;
    writeJSON(ctx, 201, {
      kind: SELF_SUBJECT_RULES_REVIEW.kind,
      apiVersion: AUTHORIZATION_GROUP_VERSION,
      metadata: responseMetadata(),
      spec: {},
      status,
    });
  };
}
