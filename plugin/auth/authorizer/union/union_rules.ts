import type {
  PolicyRule,
  ResolvedRules,
  RuleResolver,
} from '../../../../pkg/auth/authorizer/interfaces.js';

/**
 * Joins error messages as k8s.io/apimachinery's utilerrors.Aggregate prints them: one message
 * as is, several as `[first, second]`.
 */
function aggregateMessage(messages: readonly string[]): string {
  if (messages.length <= 1) return messages[0] ?? '';
  return `[${messages.join(', ')}]`;
}

/**
 * Asks every resolver and concatenates their rules in order, as kube-apiserver's
 * union.NewRuleResolvers does. The result is incomplete when any resolver reports incomplete
 * or fails. A resolver that throws counts as incomplete and adds no rules. The evaluation error
 * joins every resolver's error in the form of utilerrors.Aggregate.
 */
export function unionRuleResolver(...resolvers: RuleResolver[]): RuleResolver {
  return {
    async rulesFor(user, namespace): Promise<ResolvedRules> {
      const resourceRules: PolicyRule[] = [];
      const nonResourceRules: PolicyRule[] = [];
      const errors: string[] = [];
      let incomplete = false;
      for (const resolver of resolvers) {
        let rules: ResolvedRules;
        try {
          rules = await resolver.rulesFor(user, namespace);
        } catch (err) {
          incomplete = true;
          errors.push(err instanceof Error ? err.message : String(err));
          continue;
        }
        resourceRules.push(...rules.resourceRules);
        nonResourceRules.push(...rules.nonResourceRules);
        if (rules.incomplete) incomplete = true;
        if (rules.evaluationError !== '') errors.push(rules.evaluationError);
      }
      return {
        resourceRules,
        nonResourceRules,
        incomplete,
        evaluationError: aggregateMessage(errors),
      };
    },
  };
}
