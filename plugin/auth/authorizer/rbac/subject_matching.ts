import type { UserInfo } from '../../../../pkg/auth/user/user.js';
import { goQuote } from '../../../../pkg/registry/validation/field.js';
import { SERVICE_ACCOUNT_USERNAME_PREFIX } from '../../../../pkg/serviceaccount/claims.js';
import type { Subject } from './policy_objects.js';

/**
 * Matching of binding subjects against a user, as kube-apiserver does it in
 * pkg/registry/rbac/validation/rule.go (appliesToUser).
 */

/**
 * Returns the namespace a ServiceAccount subject refers to. A subject without a namespace refers
 * to the binding's namespace, so a RoleBinding can name its own namespace's accounts
 * unqualified. In a ClusterRoleBinding such a subject has no namespace and applies to no one.
 */
export function serviceAccountNamespace(subject: Subject, bindingNamespace: string): string {
  return subject.namespace !== '' ? subject.namespace : bindingNamespace;
}

/**
 * Returns the `namespace:name` key of a ServiceAccount subject, which is the rest of the
 * account's username after `system:serviceaccount:`, or undefined when the subject has no
 * namespace and so applies to no one.
 */
export function serviceAccountKey(subject: Subject, bindingNamespace: string): string | undefined {
  const namespace = serviceAccountNamespace(subject, bindingNamespace);
  return namespace === '' ? undefined : `${namespace}:${subject.name}`;
}

/**
 * Returns the `namespace:name` key of a service account user, or undefined when the username
 * does not start with `system:serviceaccount:`. The key is compared as a whole, as
 * kube-apiserver's serviceaccount.MatchesUsername compares the whole username.
 */
export function serviceAccountKeyOfUser(username: string): string | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  return username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length);
}

/**
 * Reports whether one subject applies to the user: a User by name, a Group by membership, and a
 * ServiceAccount by the username `system:serviceaccount:<namespace>:<name>`. Subjects of any
 * other kind apply to no one.
 */
export function appliesToUser(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const key = serviceAccountKey(subject, bindingNamespace);
      return key !== undefined && serviceAccountKeyOfUser(user.name) === key;
    }
    default:
      return false;
  }
}

/** Returns the index of the first subject that applies to the user, or -1 when none does. */
export function firstApplyingSubject(
  user: UserInfo,
  subjects: readonly Subject[],
  bindingNamespace: string,
): number {
  return subjects.findIndex((subject) => appliesToUser(user, subject, bindingNamespace));
}

/**
 * Describes a subject for an authorization reason: `User "jane"`, `Group "devs"`, or
 * `ServiceAccount "name/namespace"` with the namespace the subject refers to.
 */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    const namespace = serviceAccountNamespace(subject, bindingNamespace);
    return `${subject.kind} ${goQuote(`${subject.name}/${namespace}`)}`;
  }
  return `${subject.kind} ${goQuote(subject.name)}`;
}
