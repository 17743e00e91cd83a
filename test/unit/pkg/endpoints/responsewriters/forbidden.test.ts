import { expect } from 'chai';
import type { Attributes } from '../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import {
  forbiddenError,
  forbiddenMessage,
} from '../../../../../pkg/endpoints/responsewriters/forbidden.js';

function attributes(fields: Partial<Attributes>): Attributes {
  return {
    user: newUserInfo({ name: 'jane' }),
    verb: 'get',
    isResourceRequest: true,
    path: '',
    namespace: '',
    apiGroup: '',
    apiVersion: 'v1',
    resource: '',
    subresource: '',
    name: '',
    ...fields,
  };
}

describe('forbiddenMessage', () => {
  const cases: { name: string; attributes: Attributes; expectMessage: string }[] = [
    {
      name: 'namespaced resource',
      attributes: attributes({ verb: 'list', resource: 'pods', namespace: 'default' }),
      expectMessage:
        'User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
    },
    {
      name: 'cluster-scoped resource',
      attributes: attributes({
        verb: 'create',
        apiGroup: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
      }),
      expectMessage:
        'User "jane" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
    },
    {
      name: 'subresource joined with slash',
      attributes: attributes({ resource: 'pods', subresource: 'exec', namespace: 'ns', name: 'p' }),
      expectMessage:
        'User "jane" cannot get resource "pods/exec" in API group "" in the namespace "ns"',
    },
    {
      name: 'non-resource path',
      attributes: attributes({ isResourceRequest: false, verb: 'post', path: '/logs' }),
      expectMessage: 'User "jane" cannot post path "/logs"',
    },
    {
      name: 'empty user name',
      attributes: attributes({ user: newUserInfo({ name: '' }), resource: 'pods' }),
      expectMessage: 'User "" cannot get resource "pods" in API group "" at the cluster scope',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(forbiddenMessage(tc.attributes)).to.equal(tc.expectMessage);
    });
  }
});

describe('forbiddenError', () => {
  it('named resource wraps with name', () => {
    const error = forbiddenError(
      attributes({
        verb: 'delete',
        apiGroup: 'apps',
        resource: 'deployments',
        namespace: 'foo',
        name: 'web',
      }),
      '',
    );
    expect(error.code).to.equal(403);
    expect(error.reason).to.equal('Forbidden');
    expect(error.status.message).to.equal(
      'deployments.apps "web" is forbidden: User "jane" cannot delete resource "deployments" in API group "apps" in the namespace "foo"',
    );
    expect(error.status.details).to.deep.equal({ name: 'web', group: 'apps', kind: 'deployments' });
  });

  it('subresource left out of details', () => {
    const error = forbiddenError(
      attributes({ resource: 'pods', subresource: 'log', namespace: 'ns', name: 'p' }),
      '',
    );
    expect(error.status.message).to.equal(
      'pods "p" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "ns"',
    );
    expect(error.status.details).to.deep.equal({ name: 'p', kind: 'pods' });
  });

  it('reason appended unquoted', () => {
    const error = forbiddenError(
      attributes({ resource: 'nodes', verb: 'list' }),
      'Everything is forbidden.',
    );
    expect(error.status.message).to.equal(
      'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope: Everything is forbidden.',
    );
  });

  it('reason not HTML-escaped', () => {
    const error = forbiddenError(attributes({ resource: 'nodes', verb: 'list' }), 'rule <a> & b');
    expect(error.status.message).to.match(/: rule <a> & b$/);
  });

  it('request part HTML-escaped', () => {
    const error = forbiddenError(
      attributes({ isResourceRequest: false, path: '/a<b>&c', apiVersion: '' }),
      '',
    );
    expect(error.status.message).to.equal(
      'forbidden: User "jane" cannot get path "/a&lt;b&gt;&amp;c"',
    );
  });

  it('non-resource has empty details', () => {
    const error = forbiddenError(
      attributes({ isResourceRequest: false, path: '/metrics', apiVersion: '' }),
      '',
    );
    expect(error.status.message).to.equal('forbidden: User "jane" cannot get path "/metrics"');
    expect(error.status.details).to.deep.equal({});
  });

  it('user name HTML-escaped', () => {
    const error = forbiddenError(
      attributes({ user: newUserInfo({ name: '<b>&co' }), resource: 'pods' }),
      '',
    );
    expect(error.status.message).to.equal(
      'pods is forbidden: User "&lt;b&gt;&amp;co" cannot get resource "pods" in API group "" at the cluster scope',
    );
  });
});
