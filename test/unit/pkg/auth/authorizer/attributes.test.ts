import { expect } from 'chai';
import { attributesFrom } from '../../../../../pkg/auth/authorizer/attributes.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import { resolveRequestInfo } from '../../../../../pkg/genericapiserver/request/requestinfo.js';

describe('attributesFrom', () => {
  const jane = newUserInfo({ name: 'jane' });

  it('copies resource request fields', () => {
    const info = resolveRequestInfo(
      '/apis/apps/v1/namespaces/foo/deployments/web/scale',
      new URLSearchParams(),
      'PUT',
    );
    expect(attributesFrom(jane, info)).to.deep.equal({
      user: jane,
      verb: 'update',
      isResourceRequest: true,
      path: '/apis/apps/v1/namespaces/foo/deployments/web/scale',
      namespace: 'foo',
      apiGroup: 'apps',
      apiVersion: 'v1',
      resource: 'deployments',
      subresource: 'scale',
      name: 'web',
    });
  });

  it('copies non-resource path and verb', () => {
    const info = resolveRequestInfo('/healthz', new URLSearchParams(), 'GET');
    expect(attributesFrom(jane, info)).to.deep.equal({
      user: jane,
      verb: 'get',
      isResourceRequest: false,
      path: '/healthz',
      namespace: '',
      apiGroup: '',
      apiVersion: '',
      resource: '',
      subresource: '',
      name: '',
    });
  });
});
