import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { makeTempDir, removeDir } from '../helpers/e2e/apiserver_process.js';
import {
  postSelfSubjectReview,
  send,
  SELF_SUBJECT_REVIEWS_PATH,
  type Reply,
} from '../helpers/e2e/http_client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface AuditEventLine {
  kind: string;
  apiVersion: string;
  auditID: string;
  stage: string;
  requestURI: string;
  verb: string;
  user: { username?: string; groups?: string[] };
  impersonatedUser?: { username?: string; groups?: string[] };
  sourceIPs: string[];
  responseStatus: { code: number; status?: string; reason?: string; message?: string };
}

interface AuditCase {
  name: string;
  send: (s: TestServer) => Promise<Reply>;
  expectCode: number;
  /** The reason of the `Status` body, or undefined when the response is not a Status. */
  expectReason: string | undefined;
  expectVerb: string;
  expectURI: string;
  /** '' for a request that failed authentication, whose event has no user name. */
  expectUser: string;
  expectImpersonated: string | undefined;
}

const cases: AuditCase[] = [
  {
    name: 'admin review',
    send: (s) => postSelfSubjectReview(s, { token: s.adminToken }),
    expectCode: 201,
    expectReason: undefined,
    expectVerb: 'create',
    expectURI: SELF_SUBJECT_REVIEWS_PATH,
    expectUser: 'admin',
    expectImpersonated: undefined,
  },
  {
    name: 'wrong token 401',
    send: (s) => send(s, { path: '/healthz', credentials: { token: 'not-a-known-token' } }),
    expectCode: 401,
    expectReason: 'Unauthorized',
    expectVerb: 'get',
    expectURI: '/healthz',
    expectUser: '',
    expectImpersonated: undefined,
  },
  {
    name: 'anonymous health check',
    send: (s) => send(s, { path: '/readyz?verbose' }),
    expectCode: 200,
    expectReason: undefined,
    expectVerb: 'get',
    expectURI: '/readyz?verbose',
    expectUser: 'system:anonymous',
    expectImpersonated: undefined,
  },
  {
    name: 'admin impersonating jane',
    send: (s) => postSelfSubjectReview(s, { token: s.adminToken }, [['Impersonate-User', 'jane']]),
    expectCode: 201,
    expectReason: undefined,
    expectVerb: 'create',
    expectURI: SELF_SUBJECT_REVIEWS_PATH,
    expectUser: 'admin',
    expectImpersonated: 'jane',
  },
  {
    name: 'unknown path 404',
    send: (s) => send(s, { path: '/no/such/path', credentials: { token: s.adminToken } }),
    expectCode: 404,
    expectReason: 'NotFound',
    expectVerb: 'get',
    expectURI: '/no/such/path',
    expectUser: 'admin',
    expectImpersonated: undefined,
  },
];

describe('audit log with --audit-log-path', function () {
  let server: TestServer;
  let dir: string;
  let adminToken: string;
  let text: string;
  let events: AuditEventLine[];
  const auditIDs = new Map<string, string>();

  before(async function () {
    dir = await makeTempDir('audit');
    server = await startTestServer([`--audit-log-path=${join(dir, 'audit.log')}`]);
    adminToken = server.adminToken;
    // One request at a time, so each finishes (and is audited) before the next starts.
    for (const tc of cases) {
      const reply = await tc.send(server);
      expect(reply.status, tc.name).to.equal(tc.expectCode);
      auditIDs.set(tc.name, String(reply.headers['audit-id']));
    }
    // stop() closes the audit file, so every event is on disk afterwards.
    await server.stop();
    text = await readFile(join(dir, 'audit.log'), 'utf8');
    events = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEventLine);
  });

  after(async function () {
    await server?.stop();
    await removeDir(dir);
  });

  it('one line per request', function () {
    expect(events).to.have.length(cases.length);
  });

  it('audit IDs match Audit-Id headers', function () {
    expect(events.map((event) => event.auditID)).to.deep.equal([...auditIDs.values()]);
  });

  it('admin token not in the log', function () {
    expect(adminToken).to.have.length.greaterThan(20);
    expect(text).not.to.contain(adminToken);
  });

  for (const tc of cases) {
    it(`event for ${tc.name}`, function () {
      const event = events.find((candidate) => candidate.auditID === auditIDs.get(tc.name));

      expect(event, 'event with the Audit-Id of the response').not.to.equal(undefined);
      expect(event!.kind).to.equal('Event');
      expect(event!.apiVersion).to.equal('audit.k8s.io/v1');
      expect(event!.stage).to.equal('ResponseComplete');
      expect(event!.requestURI).to.equal(tc.expectURI);
      expect(event!.verb).to.equal(tc.expectVerb);
      expect(event!.user.username ?? '').to.equal(tc.expectUser);
      expect(event!.impersonatedUser?.username).to.equal(tc.expectImpersonated);
      expect(event!.sourceIPs).to.deep.equal(['127.0.0.1']);
      expect(event!.responseStatus.code).to.equal(tc.expectCode);
      expect(event!.responseStatus.reason).to.equal(tc.expectReason);
      const expectStatus = tc.expectReason === undefined ? undefined : 'Failure';
      expect(event!.responseStatus.status).to.equal(expectStatus);
    });
  }
});

describe('Audit-Id header without audit log', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer();
  });

  after(async function () {
    await server?.stop();
  });

  const cases: { name: string; send: (s: TestServer) => Promise<Reply>; expectCode: number }[] = [
    {
      name: 'admin review',
      send: (s) => postSelfSubjectReview(s, { token: s.adminToken }),
      expectCode: 201,
    },
    {
      name: 'wrong token 401',
      send: (s) => send(s, { path: '/healthz', credentials: { token: 'not-a-known-token' } }),
      expectCode: 401,
    },
    { name: 'anonymous health check', send: (s) => send(s, { path: '/healthz' }), expectCode: 200 },
  ];
  for (const tc of cases) {
    it(`UUID on ${tc.name}`, async function () {
      const reply = await tc.send(server);
      expect(reply.status).to.equal(tc.expectCode);
      expect(String(reply.headers['audit-id'])).to.match(UUID);
    });
  }

  it('client Audit-ID reused on 401', async function () {
    const reply = await send(server, {
      path: '/healthz',
      headers: [['Audit-ID', 'client-chosen-id']],
      credentials: { token: 'not-a-known-token' },
    });
    expect(reply.status).to.equal(401);
    expect(reply.headers['audit-id']).to.equal('client-chosen-id');
  });
});

describe('audit authorization annotations', function () {
  let server: TestServer;
  let dir: string;
  let events: (AuditEventLine & { annotations?: Record<string, string> })[];
  let allowedID: string;
  let deniedID: string;

  before(async function () {
    dir = await makeTempDir('audit-annotations');
    server = await startTestServer([
      `--audit-log-path=${join(dir, 'audit.log')}`,
      '--authorization-mode=RBAC',
    ]);
    const allowed = await postSelfSubjectReview(server, { token: server.adminToken });
    expect(allowed.status).to.equal(201);
    allowedID = String(allowed.headers['audit-id']);
    const denied = await send(server, {
      path: '/api/v1/namespaces/default/secrets',
      headers: [['Audit-ID', 'denied-request']],
    });
    expect(denied.status).to.equal(403);
    deniedID = String(denied.headers['audit-id']);
    await server.stop();
    const text = await readFile(join(dir, 'audit.log'), 'utf8');
    events = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEventLine);
  });

  after(async function () {
    await server?.stop();
    await removeDir(dir);
  });

  it('allowed request annotated allow', function () {
    const event = events.find((candidate) => candidate.auditID === allowedID);
    expect(event, 'event with the Audit-Id of the response').not.to.equal(undefined);
    expect(event!.annotations?.['authorization.k8s.io/decision']).to.equal('allow');
    expect(event!.annotations).to.have.property('authorization.k8s.io/reason');
  });

  it('denied request annotated forbid', function () {
    expect(deniedID).to.equal('denied-request');
    const event = events.find((candidate) => candidate.auditID === deniedID);
    expect(event, 'event with the client Audit-ID').not.to.equal(undefined);
    expect(event!.responseStatus.code).to.equal(403);
    expect(event!.annotations?.['authorization.k8s.io/decision']).to.equal('forbid');
    expect(event!.annotations).to.have.property('authorization.k8s.io/reason');
  });
});
