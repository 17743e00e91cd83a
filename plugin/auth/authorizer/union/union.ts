import type {
  AuthorizationResult,
  Authorizer,
} from '../../../../pkg/auth/authorizer/interfaces.js';

/**
 * Asks each authorizer in turn; the first allow or deny decides. When all have no opinion, the
 * result is no opinion with their reasons joined by newlines. If any authorizer failed and none
 * decided, the union throws an AggregateError, so the request gets a 500 rather than a 403 that
 * hides the failure.
 */
export function unionAuthorizer(...authorizers: Authorizer[]): Authorizer {
  return {
    async authorize(attributes): Promise<AuthorizationResult> {
      const reasons: string[] = [];
      const errors: Error[] = [];
      for (const authorizer of authorizers) {
        let result: AuthorizationResult;
        try {
          result = await authorizer.authorize(attributes);
        } catch (err) {
          errors.push(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        if (result.decision !== 'noOpinion') return result;
        if (result.reason !== '') reasons.push(result.reason);
      }
      if (errors.length > 0) {
        throw new AggregateError(errors, errors.map((err) => err.message).join(', '));
      }
      return { decision: 'noOpinion', reason: reasons.join('\n') };
    },
  };
}
