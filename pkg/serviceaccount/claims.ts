import { newUserInfo, type UserInfo } from '../auth/user/user.js';

/** The `iss` of tokens from the token controller, stored in secrets before bound tokens existed. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
export const SERVICE_ACCOUNT_GROUP_PREFIX = 'system:serviceaccounts:';

/** Keys of UserInfo.extra that kube-apiserver 1.32 sets for service account tokens. */
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';
export const POD_NAME_KEY = 'authentication.kubernetes.io/pod-name';
export const POD_UID_KEY = 'authentication.kubernetes.io/pod-uid';

/** The claims of legacy (secret-based) tokens, flat keys under `kubernetes.io/serviceaccount/`. */
export const LEGACY_CLAIMS = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  serviceAccountName: 'kubernetes.io/serviceaccount/service-account.name',
  serviceAccountUID: 'kubernetes.io/serviceaccount/service-account.uid',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
} as const;

/** A name and UID, as the `kubernetes.io` claim records the objects a token is bound to. */
export interface ObjectRef {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim of a bound token. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  /** Seconds since the epoch after which kube-apiserver counts the token as stale. */
  warnafter?: number;
}

/** The payload of a bound service account token. Times are seconds since the epoch. */
export interface BoundTokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

/** The identity a verified token stands for, as apiserver's ServiceAccountInfo. */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  /** The token's `jti`, reported as the credential ID. */
  credentialID?: string;
}

/** Builds the username of a service account: `system:serviceaccount:<namespace>:<name>`. */
export function makeUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** Returns the groups of every service account in a namespace. */
export function makeGroupNames(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNT_GROUP_PREFIX}${namespace}`];
}

/**
 * Splits a service account username into namespace and name.
 * @returns undefined when the username is not `system:serviceaccount:<namespace>:<name>` with
 *   two non-empty parts
 */
export function splitUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (namespace === '' || name === '') return undefined;
  return { namespace, name };
}

/**
 * Builds the user of a service account token. The pod keys are set only when both the pod name
 * and UID are known, and the credential ID only when the token has a `jti`, as in 1.32.
 */
export function serviceAccountUserInfo(info: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (info.podName !== undefined && info.podUID !== undefined) {
    extra[POD_NAME_KEY] = [info.podName];
    extra[POD_UID_KEY] = [info.podUID];
  }
  if (info.credentialID !== undefined && info.credentialID !== '') {
    extra[CREDENTIAL_ID_KEY] = [`JTI=${info.credentialID}`];
  }
  return newUserInfo({
    name: makeUsername(info.namespace, info.name),
    uid: info.uid,
    groups: makeGroupNames(info.namespace),
    extra,
  });
}
