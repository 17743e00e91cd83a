import { expect } from 'chai';
import { defaultLongRunningFunc } from '../../../../../pkg/genericapiserver/filters/long_running.js';
import { requestInfoFor } from '../../../helpers/koa_context.js';

describe('defaultLongRunningFunc', () => {
  const cases: { name: string; method: string; path: string; expectLongRunning: boolean }[] = [
    {
      name: 'watch query',
      method: 'GET',
      path: '/api/v1/pods?watch=true',
      expectLongRunning: true,
    },
    { name: 'watch path', method: 'GET', path: '/api/v1/watch/pods', expectLongRunning: true },
    {
      name: 'proxy verb',
      method: 'GET',
      path: '/api/v1/proxy/namespaces/foo/pods/bar',
      expectLongRunning: true,
    },
    {
      name: 'exec subresource',
      method: 'POST',
      path: '/api/v1/namespaces/foo/pods/bar/exec',
      expectLongRunning: true,
    },
    {
      name: 'attach subresource',
      method: 'POST',
      path: '/api/v1/namespaces/foo/pods/bar/attach',
      expectLongRunning: true,
    },
    {
      name: 'log subresource',
      method: 'GET',
      path: '/api/v1/namespaces/foo/pods/bar/log',
      expectLongRunning: true,
    },
    {
      name: 'portforward subresource',
      method: 'POST',
      path: '/api/v1/namespaces/foo/pods/bar/portforward',
      expectLongRunning: true,
    },
    {
      name: 'proxy subresource',
      method: 'GET',
      path: '/api/v1/namespaces/foo/services/bar/proxy',
      expectLongRunning: true,
    },
    { name: 'list', method: 'GET', path: '/api/v1/pods', expectLongRunning: false },
    {
      name: 'status subresource',
      method: 'PUT',
      path: '/api/v1/namespaces/foo/pods/bar/status',
      expectLongRunning: false,
    },
    { name: 'non-resource path', method: 'GET', path: '/healthz', expectLongRunning: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(defaultLongRunningFunc(requestInfoFor(tc.path, tc.method))).to.equal(
        tc.expectLongRunning,
      );
    });
  }
});
