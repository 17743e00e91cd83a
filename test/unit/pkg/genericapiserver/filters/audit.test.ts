import { expect } from 'chai';
import type { Middleware } from 'koa';
import { Registry } from 'prom-client';
import type { AuditBackend, AuditEvent } from '../../../../../pkg/audit/event.js';
import { NOT_APPLICABLE } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import { addAuditAnnotation } from '../../../../../pkg/audit/context.js';
import {
  auditFailedAuthentication,
  withAudit,
  withAuditInit,
} from '../../../../../pkg/genericapiserver/filters/audit.js';
import { withAuthentication } from '../../../../../pkg/genericapiserver/filters/authentication.js';
import { AuthenticationMetrics } from '../../../../../pkg/genericapiserver/filters/authentication_metrics.js';
import { withImpersonation } from '../../../../../pkg/genericapiserver/filters/impersonation.js';
import { withRequestInfo } from '../../../../../pkg/genericapiserver/filters/request_info.js';
import { ChainMiswiredError } from '../../../../../pkg/genericapiserver/request/context.js';
import { alwaysAllowAuthorizer } from '../../../../../plugin/auth/authorizer/always/always.js';
import {
  KoaTestServer,
  newLatch,
  provideUser,
  respondOK,
  serveOnce,
  silentLogger,
  type TestRequest,
  type TestResponse,
} from '../../../helpers/koa_context.js';

const RECEIVED_AT_MS = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const bob = newUserInfo({
  name: 'bob',
  uid: 'uid-bob',
  groups: ['devs', 'system:authenticated'],
  extra: { scopes: ['a', 'b'] },
});

/** Builds a backend that keeps events and lets a test wait for the first one. */
function recordingBackend() {
  const events: AuditEvent[] = [];
  const first = newLatch<AuditEvent>();
  const backend: AuditBackend = {
    processEvent(event) {
      events.push(event);
      first.release(event);
    },
    shutdown: () => Promise.resolve(),
  };
  return { backend, events, first: first.promise };
}

/** Serves one request through `middleware` and waits for its audit event. */
async function audited(
  middleware: (backend: AuditBackend) => Middleware[],
  request: TestRequest,
): Promise<{ response: TestResponse; event: AuditEvent; events: AuditEvent[] }> {
  const recorder = recordingBackend();
  const server = await KoaTestServer.start(middleware(recorder.backend));
  try {
    const response = await server.request(request);
    const event = await recorder.first;
    return { response, event, events: recorder.events };
  } finally {
    await server.close();
  }
}

describe('withAudit', () => {
  it('records resource request event', async () => {
    const { response, event, events } = await audited(
      (backend) => [
        withRequestInfo(() => RECEIVED_AT_MS),
        provideUser(bob),
        withAudit(backend),
        respondOK,
      ],
      {
        path: '/api/v1/namespaces/foo/pods/bar?pretty=1',
        headers: { 'Audit-ID': 'audit-123', 'User-Agent': 'kubectl/v1.32.4' },
      },
    );
    expect(response.status).to.equal(200);
    expect(response.headers['audit-id']).to.equal('audit-123');
    expect(events).to.have.length(1);

    expect(event.kind).to.equal('Event');
    expect(event.apiVersion).to.equal('audit.k8s.io/v1');
    expect(event.level).to.equal('Metadata');
    expect(event.auditID).to.equal('audit-123');
    expect(event.stage).to.equal('ResponseComplete');
    expect(event.requestURI).to.equal('/api/v1/namespaces/foo/pods/bar?pretty=1');
    expect(event.verb).to.equal('get');

    expect(event.user).to.deep.equal({
      username: 'bob',
      uid: 'uid-bob',
      groups: ['devs', 'system:authenticated'],
      extra: { scopes: ['a', 'b'] },
    });
    expect(event.impersonatedUser).to.equal(undefined);
    expect(event.sourceIPs).to.deep.equal(['127.0.0.1']);
    expect(event.userAgent).to.equal('kubectl/v1.32.4');

    expect(event.objectRef).to.deep.equal({
      resource: 'pods',
      namespace: 'foo',
      name: 'bar',
      apiGroup: '',
      apiVersion: 'v1',
    });
    expect(event.responseStatus).to.deep.equal({ metadata: {}, code: 200 });
    expect(event.requestReceivedTimestamp).to.equal('2025-01-02T03:04:05.678Z');
    expect(Date.parse(event.stageTimestamp)).to.be.at.least(Date.parse('2025-01-02T03:04:05Z'));
  });

  it('serialises fields in kube-apiserver order', async () => {
    const { event } = await audited(
      (backend) => [withRequestInfo(), provideUser(bob), withAudit(backend), respondOK],
      { path: '/api/v1/namespaces/foo/pods/bar/log', headers: { 'User-Agent': 'curl/8' } },
    );
    expect(Object.keys(JSON.parse(JSON.stringify(event)) as object)).to.deep.equal([
      'kind',
      'apiVersion',
      'level',
      'auditID',
      'stage',
      'requestURI',
      'verb',
      'user',
      'sourceIPs',
      'userAgent',
      'objectRef',
      'responseStatus',
      'requestReceivedTimestamp',
      'stageTimestamp',
    ]);
    expect(event.objectRef?.subresource).to.equal('log');
  });

  it('generates Audit-Id when absent', async () => {
    const { response, event } = await audited(
      (backend) => [withRequestInfo(), provideUser(bob), withAudit(backend), respondOK],
      { path: '/api/v1/pods' },
    );
    expect(event.auditID).to.match(UUID);
    expect(response.headers['audit-id']).to.equal(event.auditID);
    expect(event.userAgent).to.equal(undefined);
  });

  it('non-resource request has no objectRef', async () => {
    const { event } = await audited(
      (backend) => [withRequestInfo(), provideUser(bob), withAudit(backend), respondOK],
      { method: 'POST', path: '/version' },
    );
    expect(event.verb).to.equal('post');
    expect(event.objectRef).to.equal(undefined);
  });

  it('records the response code', async () => {
    const { event } = await audited(
      (backend) => [
        withRequestInfo(),
        provideUser(bob),
        withAudit(backend),
        (ctx) => {
          ctx.status = 403;
          ctx.body = 'denied';
        },
      ],
      { method: 'DELETE', path: '/api/v1/namespaces/foo/pods' },
    );
    expect(event.verb).to.equal('deletecollection');
    expect(event.responseStatus).to.deep.equal({ metadata: {}, code: 403 });
  });

  it('records impersonated user', async () => {
    const { response, event } = await audited(
      (backend) => [
        withRequestInfo(),
        provideUser(bob),
        withAudit(backend),
        withImpersonation(alwaysAllowAuthorizer(), silentLogger()),
        respondOK,
      ],
      {
        path: '/api/v1/pods',
        headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': ['qa', 'ops'] },
      },
    );
    expect(response.status).to.equal(200);
    expect(event.user.username).to.equal('bob');
    expect(event.impersonatedUser).to.deep.equal({
      username: 'jane',
      groups: ['qa', 'ops', 'system:authenticated'],
    });
  });

  it('missing user is a miswired chain', async () => {
    const recorder = recordingBackend();
    const server = await KoaTestServer.start([
      withRequestInfo(),
      withAudit(recorder.backend),
      respondOK,
    ]);
    try {
      const response = await server.request({ path: '/api/v1/pods' });
      expect(response.status).to.equal(500);
      expect(server.appErrors).to.have.length(1);
      expect(server.appErrors[0]).to.be.instanceOf(ChainMiswiredError);
      expect(recorder.events).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });
});

describe('auditFailedAuthentication', () => {
  it('records 401 with empty user', async () => {
    const { response, event } = await audited(
      (backend) => [
        withRequestInfo(() => RECEIVED_AT_MS),
        withAuthentication({
          authenticator: { authenticateRequest: () => Promise.resolve(NOT_APPLICABLE) },
          apiAudiences: [],
          metrics: new AuthenticationMetrics(new Registry()),
          logger: silentLogger(),
          onFailure: auditFailedAuthentication(backend),
        }),
        respondOK,
      ],
      { path: '/api/v1/namespaces/foo/pods', headers: { 'Audit-ID': 'failed-1' } },
    );
    expect(response.status).to.equal(401);
    expect(response.headers['audit-id']).to.equal('failed-1');
    expect(event.auditID).to.equal('failed-1');
    expect(event.user).to.deep.equal({});
    expect(event.verb).to.equal('list');
    expect(event.responseStatus).to.deep.equal({
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(event.requestReceivedTimestamp).to.equal('2025-01-02T03:04:05.678Z');
  });
});

describe('withAuditInit', () => {
  it('client Audit-ID reused', async () => {
    const response = await serveOnce([withAuditInit(), respondOK], {
      path: '/healthz',
      headers: { 'Audit-ID': 'client-chosen' },
    });
    expect(response.headers['audit-id']).to.equal('client-chosen');
  });

  it('missing Audit-ID gets UUID', async () => {
    const response = await serveOnce([withAuditInit(), respondOK], { path: '/healthz' });
    expect(response.headers['audit-id']).to.match(UUID);
  });

  it('empty Audit-ID gets UUID', async () => {
    const response = await serveOnce([withAuditInit(), respondOK], {
      path: '/healthz',
      headers: { 'Audit-ID': '' },
    });
    expect(response.headers['audit-id']).to.match(UUID);
  });

  it('event ID equals generated header', async () => {
    const { response, event } = await audited(
      (backend) => [
        withAuditInit(),
        withRequestInfo(),
        provideUser(bob),
        withAudit(backend),
        respondOK,
      ],
      { path: '/api/v1/pods' },
    );
    expect(response.headers['audit-id']).to.match(UUID);
    expect(event.auditID).to.equal(response.headers['audit-id']);
  });

  it('annotations added last in event', async () => {
    const { event } = await audited(
      (backend) => [
        withAuditInit(),
        withRequestInfo(),
        provideUser(bob),
        withAudit(backend),
        async (ctx, next) => {
          addAuditAnnotation(ctx, 'example.com/key', 'first');
          addAuditAnnotation(ctx, 'example.com/key', 'second');
          await next();
        },
        respondOK,
      ],
      { path: '/api/v1/pods' },
    );
    expect(event.annotations).to.deep.equal({ 'example.com/key': 'first' });
    const keys = Object.keys(JSON.parse(JSON.stringify(event)) as object);
    expect(keys[keys.length - 1]).to.equal('annotations');
  });
});
