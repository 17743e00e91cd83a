import { expect } from 'chai';
import { insecureSuperuserAuthenticator } from '../../../../../../../plugin/auth/authenticator/request/insecure/insecure_superuser.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';

describe('insecureSuperuserAuthenticator', () => {
  it('authenticates as system:unsecured', async () => {
    const result = await insecureSuperuserAuthenticator().authenticateRequest(fakeRequest());

    expect(result.kind).to.equal('authenticated');
    if (result.kind !== 'authenticated') return;
    expect(result.user.name).to.equal('system:unsecured');
    expect(result.user.uid).to.equal('');
    expect(result.user.groups).to.deep.equal(['system:masters', 'system:authenticated']);
  });
});
