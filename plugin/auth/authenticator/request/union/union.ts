import type {
  AuthenticationRequest,
  AuthenticationResult,
  RequestAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { NOT_APPLICABLE, rejected } from '../../../../../pkg/auth/authenticator/interfaces.js';

/** One attempt of a union: calls a member authenticator and returns its result. */
export type AuthenticationAttempt = () => Promise<AuthenticationResult>;

/** Returns the message of a thrown value, so that a failing member becomes a rejection reason. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one attempt and turns a thrown error into `rejected` with the error's message, so that
 * one broken member (an unreachable webhook, say) cannot make the whole union throw.
 */
export async function attemptSafely(attempt: AuthenticationAttempt): Promise<AuthenticationResult> {
  try {
    return await attempt();
  } catch (error) {
    return rejected(reasonOf(error));
  }
}

/**
 * Joins rejection reasons the way k8s.io/apimachinery's aggregate error prints: one reason as
 * it is, several as `[first, second]`.
 */
export function joinReasons(reasons: readonly string[]): string {
  const [only] = reasons;
  return reasons.length === 1 && only !== undefined ? only : `[${reasons.join(', ')}]`;
}

/**
 * Runs attempts in order and returns the first `authenticated` result. When none succeeds, it
 * returns one `rejected` whose reason joins every rejection, or NOT_APPLICABLE when every attempt
 * was not applicable. Thrown errors count as rejections. Later attempts do not run after a
 * success.
 */
export async function firstAuthenticated(
  attempts: Iterable<AuthenticationAttempt>,
): Promise<AuthenticationResult> {
  const reasons: string[] = [];
  for (const attempt of attempts) {
    const result = await attemptSafely(attempt);
    if (result.kind === 'authenticated') return result;
    if (result.kind === 'rejected') reasons.push(result.reason);
  }
  return reasons.length === 0 ? NOT_APPLICABLE : rejected(joinReasons(reasons));
}

/**
 * Combines request authenticators like kube-apiserver's union.New
 * (k8s.io/apiserver/pkg/authentication/request/union): each is tried in order and the first
 * success wins. A rejection by one member does not stop the others, because a request may carry
 * several credentials and only one of them needs to be valid. The union never throws.
 */
export function unionAuthenticator(
  ...authenticators: RequestAuthenticator[]
): RequestAuthenticator {
  return {
    authenticateRequest: (request: AuthenticationRequest) =>
      firstAuthenticated(authenticators.map((member) => () => member.authenticateRequest(request))),
  };
}

/**
 * Calls `fallback` only when `primary` found no credential of its kind, like kube-apiserver's
 * union.NewFailOnError with the anonymous authenticator as fallback. A rejection (or a thrown
 * error) from `primary` is returned as `rejected`, so an invalid credential gets 401 Unauthorized
 * instead of being served as `system:anonymous`. The result never throws.
 */
export function unionFailOnError(
  primary: RequestAuthenticator,
  fallback: RequestAuthenticator,
): RequestAuthenticator {
  return {
    async authenticateRequest(request: AuthenticationRequest): Promise<AuthenticationResult> {
      const result = await attemptSafely(() => primary.authenticateRequest(request));
      if (result.kind !== 'notApplicable') return result;
      return attemptSafely(() => fallback.authenticateRequest(request));
    },
  };
}
