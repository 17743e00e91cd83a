import { expect } from 'chai';
import {
  ANY_TOKEN_WITHOUT_USER,
  anyTokenAuthenticator,
} from '../../../../../../../plugin/auth/authenticator/token/anytoken/anytoken.js';

describe('anyTokenAuthenticator', function () {
  const cases: {
    name: string;
    token: string;
    expectName?: string;
    expectGroups?: string[];
    expectReason?: string;
  }[] = [
    { name: 'user only', token: 'alice', expectName: 'alice', expectGroups: [] },
    {
      name: 'user and groups',
      token: 'alice/group1,group2',
      expectName: 'alice',
      expectGroups: ['group1', 'group2'],
    },
    { name: 'trailing slash', token: 'alice/', expectName: 'alice', expectGroups: [] },
    {
      name: 'last slash splits',
      token: 'system:serviceaccount:ns/sa/system:masters',
      expectName: 'system:serviceaccount:ns/sa',
      expectGroups: ['system:masters'],
    },
    {
      name: 'empty groups dropped',
      token: 'bob/a,,b',
      expectName: 'bob',
      expectGroups: ['a', 'b'],
    },
    { name: 'no user name', token: '/devs', expectReason: ANY_TOKEN_WITHOUT_USER },
  ];
  for (const tc of cases) {
    it(tc.name, async function () {
      const result = await anyTokenAuthenticator().authenticateToken(
        tc.token,
        new AbortController().signal,
      );
      if (tc.expectReason !== undefined) {
        expect(result).to.deep.equal({ kind: 'rejected', reason: tc.expectReason });
        return;
      }
      if (result.kind !== 'authenticated')
        expect.fail(`expected authenticated, got ${result.kind}`);
      expect(result.user.name).to.equal(tc.expectName);
      expect(result.user.groups).to.deep.equal(tc.expectGroups);
      expect(result.user.uid).to.equal('');
      expect(result.user.extra).to.deep.equal({});
    });
  }
});
