/**
 * The identity of the caller of a request, as every authenticator and authorizer sees it.
 * Mirrors k8s.io/apiserver/pkg/authentication/user.Info.
 */
export interface UserInfo {
  /** Unique name among all active users, for example `admin` or `system:serviceaccount:ns:sa`. */
  readonly name: string;
  /** Stable identifier that changes when a user with the same name is deleted and recreated. */
  readonly uid: string;
  /** Groups the user belongs to, in the order the authenticator returned them. */
  readonly groups: readonly string[];
  /** Additional attributes (scopes, session ids) that authorizers may use. */
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

/** Well-known user and group names of kube-apiserver. */
export const SYSTEM_PRIVILEGED_GROUP = 'system:masters';
export const ALL_AUTHENTICATED_GROUP = 'system:authenticated';
export const ALL_UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
/** The user of the insecure port, which kube-apiserver served without authentication until 1.20. */
export const INSECURE_SUPERUSER = 'system:unsecured';

/** Builds a UserInfo, filling the optional fields with empty values. */
export function newUserInfo(fields: {
  name: string;
  uid?: string;
  groups?: readonly string[];
  extra?: Record<string, readonly string[]>;
}): UserInfo {
  return {
    name: fields.name,
    uid: fields.uid ?? '',
    groups: fields.groups ?? [],
    extra: fields.extra ?? {},
  };
}
