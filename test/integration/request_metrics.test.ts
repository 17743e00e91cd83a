import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { send } from '../helpers/e2e/http_client.js';
import { createPods, podManifest, requestAsAdmin } from '../helpers/rest/requests.js';

const NAMESPACE = 'metrics';
const PODS_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;

/** Labels of a pods request in NAMESPACE, in the order the server writes them. */
function podLabels(verb: string, scope: string, dryRun = ''): string {
  return `verb="${verb}",dry_run="${dryRun}",group="",version="v1",resource="pods",subresource="",scope="${scope}",component="apiserver"`;
}

/**
 * Returns the value of the sample `name{labels}` in Prometheus text output, or undefined when
 * the output has no such sample.
 */
function sampleValue(text: string, name: string, labels: string): number | undefined {
  const prefix = `${name}{${labels}} `;
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

describe('request metrics on /metrics', function () {
  let server: TestServer;
  let metricsText: string;

  before(async function () {
    server = await startTestServer();
    await createPods(server, NAMESPACE, [podManifest('first')]);

    const list = await requestAsAdmin(server, 'GET', PODS_PATH);
    expect(list.status, 'list status').to.equal(200);
    const missing = await requestAsAdmin(server, 'GET', `${PODS_PATH}/missing`);
    expect(missing.status, 'get status').to.equal(404);
    const dryRun = await requestAsAdmin(
      server,
      'POST',
      `${PODS_PATH}?dryRun=All`,
      podManifest('dry'),
    );
    expect(dryRun.status, 'dry-run create status').to.equal(201);
    const watch = await requestAsAdmin(server, 'GET', `${PODS_PATH}?watch=true&timeoutSeconds=1`);
    expect(watch.status, 'watch status').to.equal(200);
    const health = await send(server, { path: '/healthz' });
    expect(health.status, 'healthz status').to.equal(200);
    const unauthenticated = await send(server, {
      path: `${PODS_PATH}?limit=7`,
      credentials: { token: 'not-a-known-token' },
    });
    expect(unauthenticated.status, 'unauthenticated status').to.equal(401);

    const reply = await requestAsAdmin(server, 'GET', '/metrics');
    expect(reply.status, '/metrics status').to.equal(200);
    metricsText = reply.body;
  });

  after(async function () {
    await server?.stop();
  });

  it('counts list with 200', function () {
    const value = sampleValue(
      metricsText,
      'apiserver_request_total',
      `${podLabels('LIST', 'namespace')},code="200"`,
    );
    expect(value).to.equal(1);
  });

  it('counts missing get with 404', function () {
    const value = sampleValue(
      metricsText,
      'apiserver_request_total',
      `${podLabels('GET', 'resource')},code="404"`,
    );
    expect(value).to.equal(1);
  });

  it('counts creates with 201', function () {
    const created = sampleValue(
      metricsText,
      'apiserver_request_total',
      `${podLabels('POST', 'resource')},code="201"`,
    );
    expect(created, 'create').to.equal(1);
    const dryRun = sampleValue(
      metricsText,
      'apiserver_request_total',
      `${podLabels('POST', 'resource', 'All')},code="201"`,
    );
    expect(dryRun, 'dry-run create').to.equal(1);
  });

  it('counts ended watch once', function () {
    const count = sampleValue(
      metricsText,
      'apiserver_request_total',
      `${podLabels('WATCH', 'namespace')},code="200"`,
    );
    expect(count, 'request count').to.equal(1);
    const observed = sampleValue(
      metricsText,
      'apiserver_request_duration_seconds_count',
      podLabels('WATCH', 'namespace'),
    );
    expect(observed, 'duration count').to.equal(1);
  });

  it('observes list duration', function () {
    const observed = sampleValue(
      metricsText,
      'apiserver_request_duration_seconds_count',
      podLabels('LIST', 'namespace'),
    );
    expect(observed, 'count').to.equal(1);
    const inLastBucket = sampleValue(
      metricsText,
      'apiserver_request_duration_seconds_bucket',
      `le="60",${podLabels('LIST', 'namespace')}`,
    );
    expect(inLastBucket, 'le="60" bucket').to.equal(1);
  });

  it('counts healthz without component', function () {
    const value = sampleValue(
      metricsText,
      'apiserver_request_total',
      'verb="GET",dry_run="",group="",version="",resource="",subresource="/healthz",scope="",component="",code="200"',
    );
    expect(value).to.equal(1);
  });

  it('leaves 401 uncounted', function () {
    const unauthorized = metricsText
      .split('\n')
      .filter((line) => line.startsWith('apiserver_request_total{') && line.includes('code="401"'));
    expect(unauthorized).to.deep.equal([]);
  });
});
