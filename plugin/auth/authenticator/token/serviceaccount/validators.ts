import {
  LEGACY_CLAIMS,
  splitUsername,
  type ServiceAccountInfo,
} from '../../../../../pkg/serviceaccount/claims.js';

/** Result of a lookup for an existing object: a service account, secret or pod. */
export interface ObjectRecord {
  uid: string;
  /** RFC 3339 time at which deletion was requested, when it was. */
  deletionTimestamp?: string;
}

/** Result of a service account lookup for an existing account. */
export type ServiceAccountRecord = ObjectRecord;

/** Finds a service account, or returns undefined when it does not exist. */
export type ServiceAccountLookup = (
  namespace: string,
  name: string,
) => Promise<ServiceAccountRecord | undefined>;

/** Kinds of object a bound token can be bound to, besides its service account. */
export type BoundObjectKind = 'Secret' | 'Pod';

/** Finds the secret or pod a token is bound to, or returns undefined when it does not exist. */
export type BoundObjectLookup = (
  kind: BoundObjectKind,
  namespace: string,
  name: string,
) => Promise<ObjectRecord | undefined>;

/** A verified token's payload. */
export type Claims = Record<string, unknown>;

/** The outcome of a validator: the identity, or why the token is invalid. */
export type ValidationResult =
  { ok: true; info: ServiceAccountInfo } | { ok: false; reason: string };

/** go-jose's default clock skew allowance, which kube-apiserver relies on: one minute. */
export const LEEWAY_SECONDS = 60;

function invalid(reason: string): ValidationResult {
  return { ok: false, reason };
}

function stringClaim(object: unknown, key: string): string {
  if (typeof object !== 'object' || object === null) return '';
  const value = (object as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

function numericClaim(claims: Claims, key: string): number | undefined {
  const value = claims[key];
  return typeof value === 'number' ? value : undefined;
}

/**
 * Checks exp, nbf and iat with go-jose's one-minute leeway, in kube-apiserver's words.
 * @returns the reason the token is not valid now, or undefined when it is
 */
export function checkTimes(claims: Claims, nowSeconds: number): string | undefined {
  const notBefore = numericClaim(claims, 'nbf');
  if (notBefore !== undefined && nowSeconds + LEEWAY_SECONDS < notBefore) {
    return 'service account token is not valid yet';
  }
  const expiry = numericClaim(claims, 'exp');
  if (expiry !== undefined && nowSeconds - LEEWAY_SECONDS > expiry) {
    return 'service account token has expired';
  }
  const issuedAt = numericClaim(claims, 'iat');
  if (issuedAt !== undefined && nowSeconds + LEEWAY_SECONDS < issuedAt) {
    return 'service account token claims could not be validated due to unexpected validation error';
  }
  return undefined;
}

function deletedBefore(record: ObjectRecord, limitSeconds: number): boolean {
  if (record.deletionTimestamp === undefined) return false;
  return Date.parse(record.deletionTimestamp) / 1000 < limitSeconds;
}

/**
 * Checks that the secret or pod named in a bound token's `kubernetes.io` claim still exists with
 * the UID in the token, as kube-apiserver's validator does (pkg/serviceaccount/claims.go, 1.32).
 * A missing object, or one deleted more than the leeway ago, invalidates the token.
 * @returns the reason the token is invalid, or undefined when the object backs it
 */
async function checkBoundObject(
  kind: BoundObjectKind,
  reference: unknown,
  namespace: string,
  nowSeconds: number,
  lookup: BoundObjectLookup,
): Promise<string | undefined> {
  const name = stringClaim(reference, 'name');
  const uid = stringClaim(reference, 'uid');
  const record = await lookup(kind, namespace, name);
  // kube-apiserver does not say why, so a client cannot probe which objects exist.
  if (record === undefined) return 'service account token has been invalidated';
  if (deletedBefore(record, nowSeconds - LEEWAY_SECONDS)) {
    return 'service account token has been invalidated';
  }
  if (record.uid !== uid) {
    const claimName = kind === 'Secret' ? 'secret' : 'pod';
    return `${claimName} UID (${record.uid}) does not match service account ${claimName} ref claim (${uid})`;
  }
  return undefined;
}

/** Lookups a bound token is validated with; kube-apiserver always has both. */
export interface BoundTokenLookups {
  /** Finds the token's service account, so a deleted or recreated account rejects it. */
  serviceAccount?: ServiceAccountLookup;
  /** Finds the secret or pod the token is bound to, so deleting it revokes the token. */
  boundObject?: BoundObjectLookup;
}

/**
 * Validates the private claims of a bound token, as the validator in pkg/serviceaccount/claims.go
 * (1.32) does. The service account, and the secret or pod the token is bound to, must still
 * exist with the UIDs in the token. Each check is skipped when its lookup is not given.
 */
export async function validateBoundToken(
  claims: Claims,
  nowSeconds: number,
  lookups: BoundTokenLookups,
): Promise<ValidationResult> {
  const timeError = checkTimes(claims, nowSeconds);
  if (timeError !== undefined) return invalid(timeError);

  const kubernetes = claims['kubernetes.io'];
  const namespace = stringClaim(kubernetes, 'namespace');
  const serviceAccount = (kubernetes as Record<string, unknown> | undefined)?.serviceaccount;
  const name = stringClaim(serviceAccount, 'name');
  const uid = stringClaim(serviceAccount, 'uid');
  // Differs from kube-apiserver: it would look up a service account with an empty name and fail
  // there; a token without the claim is rejected up front so it never reaches a lookup.
  if (namespace === '' || name === '') {
    return invalid('service account token is missing the kubernetes.io claim');
  }

  if (lookups.serviceAccount !== undefined) {
    const record = await lookups.serviceAccount(namespace, name);
    if (record === undefined) return invalid(`serviceaccounts "${name}" not found`);
    // Objects deleted more than the leeway ago no longer back a token.
    if (deletedBefore(record, nowSeconds - LEEWAY_SECONDS)) {
      return invalid(`service account ${namespace}/${name} has been deleted`);
    }
    if (record.uid !== uid) {
      return invalid(`service account UID (${record.uid}) does not match claim (${uid})`);
    }
  }

  const { secret, pod } = kubernetes as Record<string, unknown>;
  if (lookups.boundObject !== undefined) {
    const bound: [BoundObjectKind, unknown][] = [
      ['Secret', secret],
      ['Pod', pod],
    ];
    for (const [kind, reference] of bound) {
      if (reference === undefined || reference === null) continue;
      const reason = await checkBoundObject(
        kind,
        reference,
        namespace,
        nowSeconds,
        lookups.boundObject,
      );
      if (reason !== undefined) return invalid(reason);
    }
  }

  const info: ServiceAccountInfo = { namespace, name, uid };
  if (pod !== undefined) {
    info.podName = stringClaim(pod, 'name');
    info.podUID = stringClaim(pod, 'uid');
  }
  const jti = claims.jti;
  if (typeof jti === 'string' && jti !== '') info.credentialID = jti;
  return { ok: true, info };
}

/** Returns the first missing legacy claim's reason, in legacy.go's words. */
function missingLegacyClaim(claims: Claims): string | undefined {
  const required: [string, string][] = [
    ['sub', 'sub'],
    [LEGACY_CLAIMS.namespace, 'namespace'],
    [LEGACY_CLAIMS.secretName, 'secretName'],
    [LEGACY_CLAIMS.serviceAccountName, 'serviceAccountName'],
    [LEGACY_CLAIMS.serviceAccountUID, 'serviceAccountUID'],
  ];
  const missing = required.find(([key]) => stringClaim(claims, key) === '');
  return missing === undefined ? undefined : `${missing[1]} claim is missing`;
}

/**
 * Validates a legacy token, as the legacy validator in pkg/serviceaccount/legacy.go (1.32)
 * does: the flat claims must be present and agree with `sub`. With a lookup, the service account
 * must still exist with the UID in the token.
 */
export async function validateLegacyToken(
  claims: Claims,
  lookup: ServiceAccountLookup | undefined,
): Promise<ValidationResult> {
  const missing = missingLegacyClaim(claims);
  if (missing !== undefined) return invalid(missing);
  const namespace = stringClaim(claims, LEGACY_CLAIMS.namespace);
  const name = stringClaim(claims, LEGACY_CLAIMS.serviceAccountName);
  const uid = stringClaim(claims, LEGACY_CLAIMS.serviceAccountUID);
  const subject = splitUsername(stringClaim(claims, 'sub'));
  if (subject === undefined || subject.namespace !== namespace || subject.name !== name) {
    return invalid('sub claim is invalid');
  }

  if (lookup !== undefined) {
    // NOTE: kube-apiserver also requires the token's secret to exist and to hold this exact
    // token. Secrets are not looked up here, so deleting the secret does not revoke the token.
    const record = await lookup(namespace, name);
    if (record === undefined) return invalid(`serviceaccounts "${name}" not found`);
    if (record.deletionTimestamp !== undefined) {
      return invalid(`ServiceAccount ${namespace}/${name} has been deleted`);
    }
    if (record.uid !== uid) {
      return invalid(`ServiceAccount UID (${record.uid}) does not match claim (${uid})`);
    }
  }
  return { ok: true, info: { namespace, name, uid } };
}
