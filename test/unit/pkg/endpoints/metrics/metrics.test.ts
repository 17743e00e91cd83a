import { expect } from 'chai';
import { Registry } from 'prom-client';
import {
  APISERVER_COMPONENT,
  REQUEST_DURATION_BUCKETS,
  cleanDryRun,
  requestLabels,
  requestMetricsFor,
  type RequestLabels,
} from '../../../../../pkg/endpoints/metrics/metrics.js';
import { requestInfoFor } from '../../../helpers/koa_context.js';

interface LabelCase {
  name: string;
  method: string;
  /** Path and query. */
  path: string;
  contentType?: string;
  expected: Omit<RequestLabels, 'dry_run' | 'component'>;
}

/** Labels of `path` and `method` as the API handler derives them. */
function labelsOf(method: string, path: string, contentType?: string): RequestLabels {
  const query = new URLSearchParams(path.split('?', 2)[1] ?? '');
  return requestLabels(
    requestInfoFor(path, method),
    { method, query, contentType },
    APISERVER_COMPONENT,
  );
}

describe('requestLabels', () => {
  const core = { group: '', version: 'v1' };
  const cases: LabelCase[] = [
    {
      name: 'namespaced list',
      method: 'GET',
      path: '/api/v1/namespaces/ns/pods',
      expected: { ...core, verb: 'LIST', resource: 'pods', subresource: '', scope: 'namespace' },
    },
    {
      name: 'cluster list',
      method: 'GET',
      path: '/api/v1/pods',
      expected: { ...core, verb: 'LIST', resource: 'pods', subresource: '', scope: 'cluster' },
    },
    {
      name: 'get of one object',
      method: 'GET',
      path: '/api/v1/namespaces/ns/pods/web',
      expected: { ...core, verb: 'GET', resource: 'pods', subresource: '', scope: 'resource' },
    },
    {
      name: 'watch by query',
      method: 'GET',
      path: '/api/v1/namespaces/ns/pods?watch=true',
      expected: { ...core, verb: 'WATCH', resource: 'pods', subresource: '', scope: 'namespace' },
    },
    {
      name: 'legacy watch path',
      method: 'GET',
      path: '/api/v1/watch/namespaces/ns/pods',
      expected: { ...core, verb: 'WATCH', resource: 'pods', subresource: '', scope: 'namespace' },
    },
    {
      name: 'create is resource scope',
      method: 'POST',
      path: '/api/v1/namespaces/ns/pods',
      expected: { ...core, verb: 'POST', resource: 'pods', subresource: '', scope: 'resource' },
    },
    {
      name: 'update',
      method: 'PUT',
      path: '/apis/apps/v1/namespaces/ns/deployments/web',
      expected: {
        group: 'apps',
        version: 'v1',
        verb: 'PUT',
        resource: 'deployments',
        subresource: '',
        scope: 'resource',
      },
    },
    {
      name: 'merge patch of status',
      method: 'PATCH',
      path: '/api/v1/namespaces/ns/pods/web/status',
      contentType: 'application/merge-patch+json',
      expected: {
        ...core,
        verb: 'PATCH',
        resource: 'pods',
        subresource: 'status',
        scope: 'resource',
      },
    },
    {
      name: 'apply patch',
      method: 'PATCH',
      path: '/api/v1/namespaces/ns/pods/web',
      contentType: 'application/apply-patch+yaml; charset=utf-8',
      expected: { ...core, verb: 'APPLY', resource: 'pods', subresource: '', scope: 'resource' },
    },
    {
      name: 'delete of one object',
      method: 'DELETE',
      path: '/api/v1/namespaces/ns/pods/web',
      expected: { ...core, verb: 'DELETE', resource: 'pods', subresource: '', scope: 'resource' },
    },
    {
      name: 'delete of a collection',
      method: 'DELETE',
      path: '/api/v1/namespaces/ns/pods',
      expected: { ...core, verb: 'DELETE', resource: 'pods', subresource: '', scope: 'namespace' },
    },
    {
      name: 'cluster-scoped get',
      method: 'GET',
      path: '/api/v1/namespaces/ns',
      expected: {
        ...core,
        verb: 'GET',
        resource: 'namespaces',
        subresource: '',
        scope: 'resource',
      },
    },
    {
      name: 'non-resource path',
      method: 'GET',
      path: '/healthz',
      expected: {
        group: '',
        version: '',
        verb: 'GET',
        resource: '',
        subresource: '/healthz',
        scope: '',
      },
    },
    {
      name: 'unknown method is other',
      method: 'OPTIONS',
      path: '/api/v1/namespaces/ns/pods',
      expected: { ...core, verb: 'other', resource: 'pods', subresource: '', scope: 'namespace' },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const labels = labelsOf(c.method, c.path, c.contentType);
      expect(labels.verb, 'verb').to.equal(c.expected.verb);
      expect(labels.group, 'group').to.equal(c.expected.group);
      expect(labels.version, 'version').to.equal(c.expected.version);
      expect(labels.resource, 'resource').to.equal(c.expected.resource);
      expect(labels.subresource, 'subresource').to.equal(c.expected.subresource);
      expect(labels.scope, 'scope').to.equal(c.expected.scope);
      expect(labels.component, 'component').to.equal(APISERVER_COMPONENT);
    });
  }
});

describe('cleanDryRun', () => {
  const cases: { query: string; expected: string }[] = [
    { query: '', expected: '' },
    { query: 'dryRun=All', expected: 'All' },
    { query: 'dryRun=All&dryRun=All', expected: 'All' },
    { query: 'dryRun=true', expected: 'invalid' },
    { query: 'dryRun=All&dryRun=', expected: 'invalid' },
  ];
  for (const c of cases) {
    it(`query "${c.query}"`, () => {
      expect(cleanDryRun(new URLSearchParams(c.query))).to.equal(c.expected);
    });
  }
});

describe('RequestMetrics', () => {
  it('one set per registry', () => {
    const registry = new Registry();
    expect(requestMetricsFor(registry)).to.equal(requestMetricsFor(registry));
    expect(requestMetricsFor(new Registry())).to.not.equal(requestMetricsFor(registry));
  });

  it('records code, duration and terminations', async () => {
    const registry = new Registry();
    const metrics = requestMetricsFor(registry);
    const labels = labelsOf('GET', '/api/v1/namespaces/ns/pods');
    metrics.recordRequest(labels, 200, 0.03);
    metrics.recordDroppedRequest(labels);

    const text = await registry.metrics();
    expect(text).to.include(
      'apiserver_request_total{verb="LIST",dry_run="",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver",code="200"} 1',
    );
    expect(text).to.include(
      'apiserver_request_total{verb="LIST",dry_run="",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver",code="429"} 1',
    );
    expect(text).to.include(
      'apiserver_request_terminations_total{verb="LIST",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver",code="429"} 1',
    );
    expect(text).to.include(
      'apiserver_request_duration_seconds_bucket{le="0.05",verb="LIST",dry_run="",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver"} 1',
    );
    expect(text).to.include(
      'apiserver_request_duration_seconds_count{verb="LIST",dry_run="",group="",version="v1",resource="pods",subresource="",scope="namespace",component="apiserver"} 1',
    );
  });

  it('uses kube-apiserver buckets', () => {
    expect(REQUEST_DURATION_BUCKETS).to.have.length(23);
    expect(REQUEST_DURATION_BUCKETS[0]).to.equal(0.005);
    expect(REQUEST_DURATION_BUCKETS.at(-1)).to.equal(60);
  });
});
