import { expect } from 'chai';
import type { Attributes, PolicyRule } from '../../../../../../pkg/auth/authorizer/interfaces.js';
import {
  nonResourceURLMatches,
  resourceMatches,
  ruleAllows,
  rulesAllow,
} from '../../../../../../plugin/auth/authorizer/rbac/rule_matching.js';
import { pathRequest, resourceRequest, user } from './fixtures.js';

const jane = user('jane');

describe('ruleAllows resource requests', () => {
  const cases: { name: string; rule: PolicyRule; attributes: Attributes; expected: boolean }[] = [
    {
      name: 'exact verb, group and resource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods' }),
      expected: true,
    },
    {
      name: 'other verb rejected',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      attributes: resourceRequest(jane, { verb: 'delete', resource: 'pods' }),
      expected: false,
    },
    {
      name: 'wildcard verb matches any verb',
      rule: { verbs: ['*'], apiGroups: [''], resources: ['pods'] },
      attributes: resourceRequest(jane, { verb: 'escalate', resource: 'pods' }),
      expected: true,
    },
    {
      name: 'other group rejected',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['deployments'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'deployments', apiGroup: 'apps' }),
      expected: false,
    },
    {
      name: 'wildcard group matches named group',
      rule: { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'deployments', apiGroup: 'apps' }),
      expected: true,
    },
    {
      name: 'wildcard group matches core group',
      rule: { verbs: ['get'], apiGroups: ['*'], resources: ['pods'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods' }),
      expected: true,
    },
    {
      name: 'missing apiGroups matches nothing',
      rule: { verbs: ['get'], resources: ['pods'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods' }),
      expected: false,
    },
    {
      name: 'wildcard resource matches any resource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'secrets' }),
      expected: true,
    },
    {
      name: 'wildcard resource matches subresource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods', subresource: 'log' }),
      expected: true,
    },
    {
      name: 'resource does not cover subresource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods', subresource: 'log' }),
      expected: false,
    },
    {
      name: 'resource/subresource matches exactly',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods', subresource: 'log' }),
      expected: true,
    },
    {
      name: 'resource/subresource does not cover resource',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods' }),
      expected: false,
    },
    {
      name: 'star/subresource matches any resource',
      rule: { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] },
      attributes: resourceRequest(jane, {
        verb: 'update',
        resource: 'deployments',
        apiGroup: 'apps',
        subresource: 'scale',
      }),
      expected: true,
    },
    {
      name: 'star/subresource rejects other subresource',
      rule: { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] },
      attributes: resourceRequest(jane, {
        verb: 'update',
        resource: 'pods',
        subresource: 'status',
      }),
      expected: false,
    },
    {
      name: 'star/subresource rejects bare resource',
      rule: { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] },
      attributes: resourceRequest(jane, {
        verb: 'update',
        resource: 'deployments',
        apiGroup: 'apps',
      }),
      expected: false,
    },
    {
      name: 'listed resourceName matches',
      rule: {
        verbs: ['get'],
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['a', 'b'],
      },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'configmaps', name: 'b' }),
      expected: true,
    },
    {
      name: 'unlisted resourceName rejected',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'configmaps', name: 'c' }),
      expected: false,
    },
    {
      name: 'empty resourceNames matches every name',
      rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: [] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'configmaps', name: 'c' }),
      expected: true,
    },
    {
      name: 'resourceNames rule rejects create',
      rule: { verbs: ['create'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      attributes: resourceRequest(jane, { verb: 'create', resource: 'configmaps' }),
      expected: false,
    },
    {
      name: 'resourceNames rule rejects list',
      rule: { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      attributes: resourceRequest(jane, { verb: 'list', resource: 'configmaps' }),
      expected: false,
    },
    {
      name: 'resourceNames rule allows named list',
      rule: { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      attributes: resourceRequest(jane, { verb: 'list', resource: 'configmaps', name: 'a' }),
      expected: true,
    },
    {
      name: 'resourceNames rule rejects deletecollection',
      rule: {
        verbs: ['deletecollection'],
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['a'],
      },
      attributes: resourceRequest(jane, { verb: 'deletecollection', resource: 'configmaps' }),
      expected: false,
    },
    {
      name: 'URL rule ignores resource requests',
      rule: { verbs: ['*'], nonResourceURLs: ['*'] },
      attributes: resourceRequest(jane, { verb: 'get', resource: 'pods' }),
      expected: false,
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      expect(ruleAllows(testCase.attributes, testCase.rule)).to.equal(testCase.expected);
    });
  }
});

describe('ruleAllows non-resource requests', () => {
  const cases: { name: string; rule: PolicyRule; verb: string; path: string; expected: boolean }[] =
    [
      {
        name: 'exact path matches',
        rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] },
        verb: 'get',
        path: '/healthz',
        expected: true,
      },
      {
        name: 'exact path rejects longer path',
        rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] },
        verb: 'get',
        path: '/healthz/ping',
        expected: false,
      },
      {
        name: 'other verb rejected',
        rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] },
        verb: 'post',
        path: '/healthz',
        expected: false,
      },
      {
        name: 'wildcard URL matches any path',
        rule: { verbs: ['get'], nonResourceURLs: ['*'] },
        verb: 'get',
        path: '/metrics',
        expected: true,
      },
      {
        name: 'trailing star matches prefix',
        rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
        verb: 'get',
        path: '/apis/apps/v1',
        expected: true,
      },
      {
        name: 'trailing star matches bare prefix',
        rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
        verb: 'get',
        path: '/apis/',
        expected: true,
      },
      {
        name: 'trailing star needs the slash',
        rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
        verb: 'get',
        path: '/apis',
        expected: false,
      },
      {
        name: 'trailing star without slash matches',
        rule: { verbs: ['get'], nonResourceURLs: ['/readyz*'] },
        verb: 'get',
        path: '/readyzfoo',
        expected: true,
      },
      {
        name: 'star in middle is literal',
        rule: { verbs: ['get'], nonResourceURLs: ['/a/*/b'] },
        verb: 'get',
        path: '/a/x/b',
        expected: false,
      },
      {
        name: 'resource rule ignores paths',
        rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        verb: 'get',
        path: '/healthz',
        expected: false,
      },
    ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const attributes = pathRequest(jane, testCase.verb, testCase.path);
      expect(ruleAllows(attributes, testCase.rule)).to.equal(testCase.expected);
    });
  }
});

describe('rule matching helpers', () => {
  it('resourceMatches needs requested subresource', () => {
    const rule = { verbs: ['get'], resources: ['*/'] };
    expect(resourceMatches(rule, 'pods', '')).to.equal(false);
  });

  it('nonResourceURLMatches trims every trailing star', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/logs**'] };
    expect(nonResourceURLMatches(rule, '/logs/kube')).to.equal(true);
  });

  it('rulesAllow needs one allowing rule', () => {
    const attributes = resourceRequest(jane, { verb: 'get', resource: 'pods' });
    const denying = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
    const allowing = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    expect(rulesAllow(attributes, [denying])).to.equal(false);
    expect(rulesAllow(attributes, [denying, allowing])).to.equal(true);
  });
});
