import { expect } from 'chai';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
} from '../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../pkg/auth/user/user.js';
import {
  alwaysAllowAuthorizer,
  alwaysDenyAuthorizer,
} from '../../../../../plugin/auth/authorizer/always/always.js';
import { privilegedGroupsAuthorizer } from '../../../../../plugin/auth/authorizer/privileged/privileged_groups.js';
import { unionAuthorizer } from '../../../../../plugin/auth/authorizer/union/union.js';

// These tests cover the authorizers under plugin/auth/authorizer. They are kept beside the
// authorizer interface that those authorizers implement.

function attributesFor(user: UserInfo): Attributes {
  return {
    user,
    verb: 'list',
    isResourceRequest: true,
    path: '/api/v1/pods',
    namespace: '',
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'pods',
    subresource: '',
    name: '',
  };
}

const jane = newUserInfo({ name: 'jane', groups: ['system:authenticated'] });

/** Builds a union member with a fixed result, thrown when it is an Error, that counts calls. */
function member(outcome: AuthorizationResult | Error): Authorizer & { calls: number } {
  const counting = {
    calls: 0,
    authorize(): Promise<AuthorizationResult> {
      counting.calls++;
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  };
  return counting;
}

const allow: AuthorizationResult = { decision: 'allow', reason: 'rbac allowed' };
const deny: AuthorizationResult = { decision: 'deny', reason: 'blocked by policy' };
const noOpinion = (reason: string): AuthorizationResult => ({ decision: 'noOpinion', reason });

describe('alwaysAllowAuthorizer', () => {
  it('allows with empty reason', async () => {
    expect(await alwaysAllowAuthorizer().authorize(attributesFor(jane))).to.deep.equal({
      decision: 'allow',
      reason: '',
    });
  });
});

describe('alwaysDenyAuthorizer', () => {
  it('has no opinion with reason', async () => {
    expect(await alwaysDenyAuthorizer().authorize(attributesFor(jane))).to.deep.equal({
      decision: 'noOpinion',
      reason: 'Everything is forbidden.',
    });
  });
});

describe('privilegedGroupsAuthorizer', () => {
  const cases: { name: string; groups: string[]; expect: AuthorizationResult }[] = [
    {
      name: 'member allowed',
      groups: ['system:authenticated', 'system:masters'],
      expect: { decision: 'allow', reason: '' },
    },
    {
      name: 'non-member no opinion',
      groups: ['system:authenticated'],
      expect: { decision: 'noOpinion', reason: '' },
    },
    { name: 'no groups no opinion', groups: [], expect: { decision: 'noOpinion', reason: '' } },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const authorizer = privilegedGroupsAuthorizer(['system:masters']);
      const user = newUserInfo({ name: 'u', groups: tc.groups });
      expect(await authorizer.authorize(attributesFor(user))).to.deep.equal(tc.expect);
    });
  }
});

describe('unionAuthorizer', () => {
  const cases: {
    name: string;
    members: (AuthorizationResult | Error)[];
    expect: AuthorizationResult;
    expectCalls: number[];
  }[] = [
    { name: 'no members', members: [], expect: noOpinion(''), expectCalls: [] },
    { name: 'first allow wins', members: [allow, deny], expect: allow, expectCalls: [1, 0] },
    { name: 'deny stops union', members: [deny, allow], expect: deny, expectCalls: [1, 0] },
    {
      name: 'allow after no opinion',
      members: [noOpinion('not mine'), allow],
      expect: allow,
      expectCalls: [1, 1],
    },
    {
      name: 'reasons joined by newline',
      members: [noOpinion('first'), noOpinion(''), noOpinion('third')],
      expect: noOpinion('first\nthird'),
      expectCalls: [1, 1, 1],
    },
    {
      name: 'allow after error',
      members: [new Error('webhook down'), allow],
      expect: allow,
      expectCalls: [1, 1],
    },
    {
      name: 'deny after error',
      members: [new Error('webhook down'), deny],
      expect: deny,
      expectCalls: [1, 1],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const members = tc.members.map(member);
      const result = await unionAuthorizer(...members).authorize(attributesFor(jane));
      expect(result).to.deep.equal(tc.expect);
      expect(members.map((m) => m.calls)).to.deep.equal(tc.expectCalls);
    });
  }

  it('errors without decision throw', async () => {
    const union = unionAuthorizer(
      member(new Error('webhook down')),
      member(noOpinion('not mine')),
      member(new Error('timeout')),
    );
    let thrown: unknown;
    try {
      await union.authorize(attributesFor(jane));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(AggregateError);
    expect((thrown as AggregateError).message).to.equal('webhook down, timeout');
    expect((thrown as AggregateError).errors.map((err: Error) => err.message)).to.deep.equal([
      'webhook down',
      'timeout',
    ]);
  });

  it('thrown non-Error is wrapped', async () => {
    const throwing: Authorizer = {
      authorize: () => Promise.reject('plain string'), // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
    };
    let thrown: unknown;
    try {
      await unionAuthorizer(throwing).authorize(attributesFor(jane));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(AggregateError);
    expect((thrown as AggregateError).message).to.equal('plain string');
  });
});
