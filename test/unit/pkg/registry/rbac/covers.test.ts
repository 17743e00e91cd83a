import { expect } from 'chai';
import type { PolicyRule } from '../../../../../pkg/auth/authorizer/interfaces.js';
import {
  breakdownRule,
  compactRules,
  compactRuleString,
  uncoveredRules,
} from '../../../../../pkg/registry/rbac/covers.js';

/** Builds a rule for verbs on resources of API groups, restricted to names when given. */
function resourceRule(
  verbs: string[],
  apiGroups: string[],
  resources: string[],
  resourceNames?: string[],
): PolicyRule {
  return resourceNames === undefined
    ? { verbs, apiGroups, resources }
    : { verbs, apiGroups, resources, resourceNames };
}

function urlRule(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

describe('uncoveredRules', () => {
  const cases: {
    name: string;
    owner: PolicyRule[];
    servant: PolicyRule[];
    expectUncovered: PolicyRule[];
  }[] = [
    {
      name: 'exact match covered',
      owner: [resourceRule(['get', 'list'], [''], ['pods'])],
      servant: [resourceRule(['get'], [''], ['pods'])],
      expectUncovered: [],
    },
    {
      name: 'missing verb reported',
      owner: [resourceRule(['get'], [''], ['pods'])],
      servant: [resourceRule(['get', 'delete'], [''], ['pods'])],
      expectUncovered: [resourceRule(['delete'], [''], ['pods'])],
    },
    {
      name: 'star verb covers all',
      owner: [resourceRule(['*'], [''], ['pods'])],
      servant: [resourceRule(['get', 'escalate'], [''], ['pods'])],
      expectUncovered: [],
    },
    {
      name: 'star group covers all',
      owner: [resourceRule(['get'], ['*'], ['deployments'])],
      servant: [resourceRule(['get'], ['apps', 'extensions'], ['deployments'])],
      expectUncovered: [],
    },
    {
      name: 'other group not covered',
      owner: [resourceRule(['get'], [''], ['deployments'])],
      servant: [resourceRule(['get'], ['apps'], ['deployments'])],
      expectUncovered: [resourceRule(['get'], ['apps'], ['deployments'])],
    },
    {
      name: 'star resource covers subresources',
      owner: [resourceRule(['get'], [''], ['*'])],
      servant: [resourceRule(['get'], [''], ['pods', 'pods/log'])],
      expectUncovered: [],
    },
    {
      name: 'star subresource covers status',
      owner: [resourceRule(['update'], [''], ['*/status'])],
      servant: [resourceRule(['update'], [''], ['pods/status', 'services/status'])],
      expectUncovered: [],
    },
    {
      name: 'resource omits its subresources',
      owner: [resourceRule(['get'], [''], ['pods'])],
      servant: [resourceRule(['get'], [''], ['pods/log'])],
      expectUncovered: [resourceRule(['get'], [''], ['pods/log'])],
    },
    {
      name: 'star subresource omits main resource',
      owner: [resourceRule(['get'], [''], ['*/status'])],
      servant: [resourceRule(['get'], [''], ['pods'])],
      expectUncovered: [resourceRule(['get'], [''], ['pods'])],
    },
    {
      name: 'unnamed owner covers names',
      owner: [resourceRule(['get'], [''], ['secrets'])],
      servant: [resourceRule(['get'], [''], ['secrets'], ['a', 'b'])],
      expectUncovered: [],
    },
    {
      name: 'named owner covers its names',
      owner: [resourceRule(['get'], [''], ['secrets'], ['a', 'b'])],
      servant: [resourceRule(['get'], [''], ['secrets'], ['b', 'c'])],
      expectUncovered: [resourceRule(['get'], [''], ['secrets'], ['c'])],
    },
    {
      name: 'named owner omits unnamed servant',
      owner: [resourceRule(['get'], [''], ['secrets'], ['a'])],
      servant: [resourceRule(['get'], [''], ['secrets'])],
      expectUncovered: [resourceRule(['get'], [''], ['secrets'])],
    },
    {
      name: 'atoms covered by different owners',
      owner: [resourceRule(['get'], [''], ['pods']), resourceRule(['list'], [''], ['pods'])],
      servant: [resourceRule(['get', 'list'], [''], ['pods'])],
      expectUncovered: [],
    },
    {
      name: 'exact URL covered',
      owner: [urlRule(['get'], ['/healthz'])],
      servant: [urlRule(['get'], ['/healthz'])],
      expectUncovered: [],
    },
    {
      name: 'URL prefix star covers',
      owner: [urlRule(['get'], ['/apis/*'])],
      servant: [urlRule(['get'], ['/apis/apps', '/apis'])],
      expectUncovered: [urlRule(['get'], ['/apis'])],
    },
    {
      name: 'bare star URL covers all',
      owner: [urlRule(['*'], ['*'])],
      servant: [urlRule(['get', 'post'], ['/metrics'])],
      expectUncovered: [],
    },
    {
      name: 'resource rule omits URLs',
      owner: [resourceRule(['*'], ['*'], ['*'])],
      servant: [urlRule(['get'], ['/healthz'])],
      expectUncovered: [urlRule(['get'], ['/healthz'])],
    },
    {
      name: 'URL rule omits resources',
      owner: [urlRule(['*'], ['*'])],
      servant: [resourceRule(['get'], [''], ['pods'])],
      expectUncovered: [resourceRule(['get'], [''], ['pods'])],
    },
    {
      name: 'no owner rules',
      owner: [],
      servant: [resourceRule(['get'], [''], ['pods']), urlRule(['get'], ['/version'])],
      expectUncovered: [resourceRule(['get'], [''], ['pods']), urlRule(['get'], ['/version'])],
    },
    {
      name: 'servant without verbs covered',
      owner: [],
      servant: [resourceRule([], [''], ['pods'])],
      expectUncovered: [],
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(uncoveredRules(tc.owner, tc.servant)).to.deep.equal(tc.expectUncovered);
    });
  }
});

describe('breakdownRule', () => {
  it('splits every combination', () => {
    const atoms = breakdownRule(resourceRule(['get', 'list'], ['', 'apps'], ['pods'], ['a']));
    expect(atoms).to.deep.equal([
      resourceRule(['get'], [''], ['pods'], ['a']),
      resourceRule(['list'], [''], ['pods'], ['a']),
      resourceRule(['get'], ['apps'], ['pods'], ['a']),
      resourceRule(['list'], ['apps'], ['pods'], ['a']),
    ]);
  });

  it('splits URLs by verb', () => {
    const atoms = breakdownRule(urlRule(['get', 'post'], ['/a']));
    expect(atoms).to.deep.equal([urlRule(['get'], ['/a']), urlRule(['post'], ['/a'])]);
  });

  it('resources without groups give none', () => {
    expect(breakdownRule({ verbs: ['get'], resources: ['pods'] })).to.deep.equal([]);
  });
});

describe('compactRules', () => {
  const cases: { name: string; rules: PolicyRule[]; expectRules: PolicyRule[] }[] = [
    {
      name: 'merges verbs per resource',
      rules: [
        resourceRule(['get'], [''], ['pods']),
        resourceRule(['list'], [''], ['pods']),
        resourceRule(['get'], ['apps'], ['deployments']),
      ],
      expectRules: [
        resourceRule(['get', 'list'], [''], ['pods']),
        resourceRule(['get'], ['apps'], ['deployments']),
      ],
    },
    {
      name: 'merges per resource name',
      rules: [
        resourceRule(['get'], [''], ['secrets'], ['a']),
        resourceRule(['update'], [''], ['secrets'], ['a']),
        resourceRule(['get'], [''], ['secrets'], ['b']),
        resourceRule(['get'], [''], ['secrets']),
      ],
      expectRules: [
        resourceRule(['get', 'update'], [''], ['secrets'], ['a']),
        resourceRule(['get'], [''], ['secrets'], ['b']),
        resourceRule(['get'], [''], ['secrets']),
      ],
    },
    {
      name: 'keeps other rules first',
      rules: [
        resourceRule(['get'], [''], ['pods']),
        urlRule(['get'], ['/healthz']),
        resourceRule(['get'], ['', 'apps'], ['pods']),
      ],
      expectRules: [
        urlRule(['get'], ['/healthz']),
        resourceRule(['get'], ['', 'apps'], ['pods']),
        resourceRule(['get'], [''], ['pods']),
      ],
    },
    {
      name: 'keeps repeated verbs',
      rules: [resourceRule(['get'], [''], ['pods']), resourceRule(['get'], [''], ['pods'])],
      expectRules: [resourceRule(['get', 'get'], [''], ['pods'])],
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(compactRules(tc.rules)).to.deep.equal(tc.expectRules);
    });
  }

  it('leaves its input unchanged', () => {
    const rules = [resourceRule(['get'], [''], ['pods']), resourceRule(['list'], [''], ['pods'])];
    compactRules(rules);
    expect(rules[0]?.verbs).to.deep.equal(['get']);
  });
});

describe('compactRuleString', () => {
  const cases: { name: string; rule: PolicyRule; expectString: string }[] = [
    {
      name: 'resource rule',
      rule: resourceRule(['get', 'list'], [''], ['pods']),
      expectString: '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}',
    },
    {
      name: 'rule with names',
      rule: resourceRule(['get'], ['apps'], ['deployments'], ['web']),
      expectString:
        '{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get"]}',
    },
    {
      name: 'URL rule',
      rule: urlRule(['get'], ['/healthz', '/livez']),
      expectString: '{NonResourceURLs:["/healthz" "/livez"], Verbs:["get"]}',
    },
    {
      name: 'empty lists left out',
      rule: { verbs: ['get'], apiGroups: [], resources: [], resourceNames: [] },
      expectString: '{Verbs:["get"]}',
    },
    {
      name: 'quotes as Go does',
      rule: resourceRule(['get'], ['a"b'], ['x\ty']),
      expectString: '{APIGroups:["a\\"b"], Resources:["x\\ty"], Verbs:["get"]}',
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(compactRuleString(tc.rule)).to.equal(tc.expectString);
    });
  }
});
