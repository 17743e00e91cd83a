import { expect } from 'chai';
import type { ResolvedRules, RuleResolver } from '../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import {
  alwaysAllowRuleResolver,
  alwaysDenyRuleResolver,
} from '../../../../../plugin/auth/authorizer/always/always.js';
import { privilegedGroupsRuleResolver } from '../../../../../plugin/auth/authorizer/privileged/privileged_groups.js';
import { unionRuleResolver } from '../../../../../plugin/auth/authorizer/union/union_rules.js';

const jane = newUserInfo({ name: 'jane', groups: ['system:authenticated'] });
const admin = newUserInfo({ name: 'admin', groups: ['system:masters', 'system:authenticated'] });

const ALL: ResolvedRules = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false,
  evaluationError: '',
};
const NONE: ResolvedRules = {
  resourceRules: [],
  nonResourceRules: [],
  incomplete: false,
  evaluationError: '',
};

/** Builds a resolver that returns fixed rules, or throws when given an Error. */
function fixed(outcome: ResolvedRules | Error): RuleResolver {
  return {
    rulesFor: () => (outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome)),
  };
}

describe('built-in rule resolvers', () => {
  const cases: {
    name: string;
    resolver: RuleResolver;
    user: typeof jane;
    expect: ResolvedRules;
  }[] = [
    {
      name: 'AlwaysAllow gives everything',
      resolver: alwaysAllowRuleResolver(),
      user: jane,
      expect: ALL,
    },
    {
      name: 'AlwaysDeny gives nothing',
      resolver: alwaysDenyRuleResolver(),
      user: jane,
      expect: NONE,
    },
    {
      name: 'privileged member gives everything',
      resolver: privilegedGroupsRuleResolver(['system:masters']),
      user: admin,
      expect: ALL,
    },
    {
      name: 'privileged non-member gives nothing',
      resolver: privilegedGroupsRuleResolver(['system:masters']),
      user: jane,
      expect: NONE,
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      expect(await tc.resolver.rulesFor(tc.user, 'default')).to.deep.equal(tc.expect);
    });
  }
});

describe('unionRuleResolver', () => {
  const podsRule = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const healthRule = { verbs: ['get'], nonResourceURLs: ['/healthz'] };
  const partial: ResolvedRules = {
    resourceRules: [podsRule],
    nonResourceRules: [],
    incomplete: true,
    evaluationError: 'rbac: role "missing" not found',
  };

  const cases: { name: string; members: (ResolvedRules | Error)[]; expect: ResolvedRules }[] = [
    { name: 'no members complete empty', members: [], expect: NONE },
    {
      name: 'rules concatenated in order',
      members: [
        { ...NONE, resourceRules: [podsRule] },
        ALL,
        { ...NONE, nonResourceRules: [healthRule] },
      ],
      expect: {
        resourceRules: [podsRule, ...ALL.resourceRules],
        nonResourceRules: [...ALL.nonResourceRules, healthRule],
        incomplete: false,
        evaluationError: '',
      },
    },
    {
      name: 'one incomplete member marks union',
      members: [partial, NONE],
      expect: { ...partial },
    },
    {
      name: 'thrown error marks incomplete',
      members: [new Error('webhook unreachable'), ALL],
      expect: { ...ALL, incomplete: true, evaluationError: 'webhook unreachable' },
    },
    {
      name: 'several errors joined bracketed',
      members: [partial, new Error('webhook unreachable')],
      expect: {
        resourceRules: [podsRule],
        nonResourceRules: [],
        incomplete: true,
        evaluationError: '[rbac: role "missing" not found, webhook unreachable]',
      },
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const union = unionRuleResolver(...tc.members.map(fixed));

      expect(await union.rulesFor(jane, 'default')).to.deep.equal(tc.expect);
    });
  }
});
