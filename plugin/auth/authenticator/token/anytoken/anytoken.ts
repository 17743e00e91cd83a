import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { authenticated, rejected } from '../../../../../pkg/auth/authenticator/interfaces.js';
import type { UserInfo } from '../../../../../pkg/auth/user/user.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import { parseGroups } from '../tokenfile/tokenfile.js';

/** The warning the server logs at start while --insecure-allow-any-token is set. */
export const INSECURE_ALLOW_ANY_TOKEN_WARNING =
  '--insecure-allow-any-token is set: every bearer token authenticates as the user it names ' +
  '("user/group1,group2"), so anyone can act as any user, system:masters included. ' +
  'Use it only on a test server that nobody else can reach.';

/** The reason a token without a user name is rejected. */
export const ANY_TOKEN_WITHOUT_USER =
  'any-token: the token names no user; write it as "user" or "user/group1,group2"';

/**
 * Reads the user from an any-token: the text before the last `/` is the user name and the text
 * after it a comma-separated list of groups. A token without `/` is the user name alone. Returns
 * undefined when the user name is empty.
 *
 * Groups are trimmed and empty ones dropped, as parseGroups does for the token file.
 */
export function userFromAnyToken(token: string): UserInfo | undefined {
  const slash = token.lastIndexOf('/');
  const name = slash === -1 ? token : token.slice(0, slash);
  if (name === '') return undefined;
  const groups = slash === -1 ? [] : parseGroups(token.slice(slash + 1));
  return newUserInfo({ name, groups });
}

/**
 * Creates the token authenticator of `--insecure-allow-any-token`, a hidden testing flag of early
 * kube-apiserver releases (k8s.io/kubernetes pkg/auth/authenticator/token/anytoken). Every token authenticates, as the user and
 * groups it names: `alice/devs,ops` is user alice in groups devs and ops.
 *
 * Differs from kube-apiserver: a token with an empty user name (`/devs`) is rejected, where
 * kube-apiserver authenticated a user named "". A nameless user cannot be matched by an RBAC
 * binding and reads as nobody in the audit log.
 */
export function anyTokenAuthenticator(): TokenAuthenticator {
  return {
    authenticateToken(token: string): Promise<AuthenticationResult> {
      const user = userFromAnyToken(token);
      return Promise.resolve(
        user === undefined ? rejected(ANY_TOKEN_WITHOUT_USER) : authenticated(user),
      );
    },
  };
}
