import { expect } from 'chai';
import { anonymousAuthenticator } from '../../../../../../../plugin/auth/authenticator/request/anonymous/anonymous.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';

describe('anonymousAuthenticator', () => {
  const cases: { name: string; headers: Record<string, string> }[] = [
    { name: 'request without credentials', headers: {} },
    { name: 'request with bearer token', headers: { Authorization: 'Bearer abc' } },
  ];
  for (const tc of cases) {
    it(`authenticates ${tc.name}`, async () => {
      const result = await anonymousAuthenticator().authenticateRequest(
        fakeRequest({ headers: tc.headers }),
      );

      expect(result.kind).to.equal('authenticated');
      if (result.kind !== 'authenticated') return;
      expect(result.user.name).to.equal('system:anonymous');
      expect(result.user.uid).to.equal('');
      expect(result.user.groups).to.deep.equal(['system:unauthenticated']);
      expect(result.user.extra).to.deep.equal({});
    });
  }
});
