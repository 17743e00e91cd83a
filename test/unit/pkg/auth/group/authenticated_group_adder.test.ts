import { expect } from 'chai';
import type {
  AuthenticationResult,
  RequestAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import {
  NOT_APPLICABLE,
  authenticated,
  rejected,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { authenticatedGroupAdder } from '../../../../../pkg/auth/group/authenticated_group_adder.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import { fakeRequest } from '../../../helpers/fake_request.js';

function fixed(result: AuthenticationResult): RequestAuthenticator {
  return { authenticateRequest: () => Promise.resolve(result) };
}

describe('authenticatedGroupAdder', () => {
  const cases: {
    name: string;
    result: AuthenticationResult;
    expectGroups: readonly string[];
  }[] = [
    {
      name: 'adds group to user without groups',
      result: authenticated(newUserInfo({ name: 'jane' })),
      expectGroups: ['system:authenticated'],
    },
    {
      name: 'appends group after existing groups',
      result: authenticated(newUserInfo({ name: 'jane', groups: ['devs', 'qa'] })),
      expectGroups: ['devs', 'qa', 'system:authenticated'],
    },
    {
      name: 'keeps existing system:authenticated',
      result: authenticated(
        newUserInfo({ name: 'jane', groups: ['system:authenticated', 'devs'] }),
      ),
      expectGroups: ['system:authenticated', 'devs'],
    },
    {
      name: 'skips user in system:unauthenticated',
      result: authenticated(newUserInfo({ name: 'guest', groups: ['system:unauthenticated'] })),
      expectGroups: ['system:unauthenticated'],
    },
    {
      name: 'skips system:anonymous',
      result: authenticated(newUserInfo({ name: 'system:anonymous' })),
      expectGroups: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const result = await authenticatedGroupAdder(fixed(tc.result)).authenticateRequest(
        fakeRequest(),
      );
      expect(result.kind).to.equal('authenticated');
      if (result.kind !== 'authenticated') return;
      expect(result.user.groups).to.deep.equal(tc.expectGroups);
    });
  }

  it('keeps name, uid, extra and audiences', async () => {
    const user = newUserInfo({ name: 'jane', uid: '42', extra: { scopes: ['a'] } });
    const adder = authenticatedGroupAdder(fixed(authenticated(user, ['api'])));

    const result = await adder.authenticateRequest(fakeRequest());

    expect(result.kind).to.equal('authenticated');
    if (result.kind !== 'authenticated') return;
    expect(result.user.name).to.equal('jane');
    expect(result.user.uid).to.equal('42');
    expect(result.user.extra).to.deep.equal({ scopes: ['a'] });
    expect(result.audiences).to.deep.equal(['api']);
  });

  it('leaves delegate user unchanged', async () => {
    const groups = Object.freeze(['devs']);
    const user = Object.freeze(newUserInfo({ name: 'jane', groups }));
    const adder = authenticatedGroupAdder(fixed(authenticated(user)));

    const first = await adder.authenticateRequest(fakeRequest());
    const second = await adder.authenticateRequest(fakeRequest());

    expect(user.groups).to.deep.equal(['devs']);
    expect(first.kind).to.equal('authenticated');
    expect(second.kind).to.equal('authenticated');
    if (first.kind !== 'authenticated' || second.kind !== 'authenticated') return;
    expect(first.user).to.not.equal(user);
    expect(second.user.groups).to.deep.equal(['devs', 'system:authenticated']);
  });

  const passThrough: { name: string; result: AuthenticationResult }[] = [
    { name: 'passes rejected through', result: rejected('invalid bearer token') },
    { name: 'passes notApplicable through', result: NOT_APPLICABLE },
  ];
  for (const tc of passThrough) {
    it(tc.name, async () => {
      const result = await authenticatedGroupAdder(fixed(tc.result)).authenticateRequest(
        fakeRequest(),
      );
      expect(result).to.deep.equal(tc.result);
    });
  }
});
