/**
 * The review APIs of authentication.k8s.io/v1 and authorization.k8s.io/v1. They have no
 * storage, because the server replies to a POST and stores nothing. kube-apiserver therefore
 * lists them with the single verb `create` and no storageVersionHash. The server passes the ones it serves to
 * servedResourcesFrom.
 */
import type { ServedResource } from './served.js';

function review(group: string, name: string, kind: string, namespaced: boolean): ServedResource {
  return {
    group,
    version: 'v1',
    name,
    singularName: name.replace(/s$/, ''),
    kind,
    namespaced,
    verbs: ['create'],
    shortNames: [],
    categories: [],
    subresources: [],
  };
}

/** POST /apis/authentication.k8s.io/v1/selfsubjectreviews, used by `kubectl auth whoami`. */
export const SELF_SUBJECT_REVIEWS = review(
  'authentication.k8s.io',
  'selfsubjectreviews',
  'SelfSubjectReview',
  false,
);

/** POST /apis/authentication.k8s.io/v1/tokenreviews. */
export const TOKEN_REVIEWS = review('authentication.k8s.io', 'tokenreviews', 'TokenReview', false);

/** POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews, used by `kubectl auth can-i`. */
export const SELF_SUBJECT_ACCESS_REVIEWS = review(
  'authorization.k8s.io',
  'selfsubjectaccessreviews',
  'SelfSubjectAccessReview',
  false,
);

/** POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews, used by `kubectl auth can-i --list`. */
export const SELF_SUBJECT_RULES_REVIEWS = review(
  'authorization.k8s.io',
  'selfsubjectrulesreviews',
  'SelfSubjectRulesReview',
  false,
);

/** POST /apis/authorization.k8s.io/v1/subjectaccessreviews. */
export const SUBJECT_ACCESS_REVIEWS = review(
  'authorization.k8s.io',
  'subjectaccessreviews',
  'SubjectAccessReview',
  false,
);

/** POST /apis/authorization.k8s.io/v1/namespaces/NAMESPACE/localsubjectaccessreviews. */
export const LOCAL_SUBJECT_ACCESS_REVIEWS = review(
  'authorization.k8s.io',
  'localsubjectaccessreviews',
  'LocalSubjectAccessReview',
  true,
);
