import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  postSelfSubjectReview,
  reviewedUser,
  type ReviewedUser,
} from '../helpers/e2e/http_client.js';

describe('impersonation through the secure port', function () {
  let server: TestServer;
  let denying: TestServer;

  before(async function () {
    [server, denying] = await Promise.all([
      startTestServer(),
      startTestServer(['--authorization-mode=AlwaysDeny']),
    ]);
  });

  after(async function () {
    await Promise.all([server?.stop(), denying?.stop()]);
  });

  describe('admin acting as another user', function () {
    const cases: { name: string; headers: [string, string][]; expectUser: ReviewedUser }[] = [
      {
        name: 'user with two group lines',
        headers: [
          ['Impersonate-User', 'jane'],
          ['Impersonate-Group', 'devs'],
          ['Impersonate-Group', 'qa'],
        ],
        expectUser: { username: 'jane', groups: ['devs', 'qa', 'system:authenticated'] },
      },
      {
        name: 'user without groups',
        headers: [['Impersonate-User', 'jane']],
        expectUser: { username: 'jane', groups: ['system:authenticated'] },
      },
      {
        name: 'uid and two extra lines',
        headers: [
          ['Impersonate-User', 'jane'],
          ['Impersonate-Uid', 'u-123'],
          ['Impersonate-Extra-Scopes', 'view'],
          ['Impersonate-Extra-Scopes', 'edit'],
        ],
        expectUser: {
          username: 'jane',
          uid: 'u-123',
          groups: ['system:authenticated'],
          extra: { scopes: ['view', 'edit'] },
        },
      },
      {
        name: 'percent-encoded extra key',
        headers: [
          ['Impersonate-User', 'jane'],
          ['Impersonate-Extra-Example.com%2fkey', 'v1'],
        ],
        expectUser: {
          username: 'jane',
          groups: ['system:authenticated'],
          extra: { 'example.com/key': ['v1'] },
        },
      },
      {
        name: 'system:anonymous',
        headers: [['Impersonate-User', 'system:anonymous']],
        expectUser: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      },
      {
        name: 'service account',
        headers: [['Impersonate-User', 'system:serviceaccount:ns1:builder']],
        expectUser: {
          username: 'system:serviceaccount:ns1:builder',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'],
        },
      },
    ];
    for (const tc of cases) {
      it(`impersonate ${tc.name}`, async function () {
        const reply = await postSelfSubjectReview(server, { token: server.adminToken }, tc.headers);

        expect(reply.status).to.equal(201);
        expect(reviewedUser(reply)).to.deep.equal(tc.expectUser);
      });
    }
  });

  it('group without user gets 400', async function () {
    const reply = await postSelfSubjectReview(server, { token: server.adminToken }, [
      ['Impersonate-Group', 'devs'],
    ]);

    expect(reply.status).to.equal(400);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(reply.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"requested group \\"devs\\" without impersonating a user","reason":"BadRequest","code":400}\n',
    );
  });

  it('anonymous impersonating gets 403', async function () {
    const reply = await postSelfSubjectReview(denying, {}, [['Impersonate-User', 'jane']]);

    expect(reply.status).to.equal(403);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(reply.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"users \\"jane\\" is forbidden: User \\"system:anonymous\\" cannot impersonate resource \\"users\\" in API group \\"\\" at the cluster scope: Everything is forbidden.","reason":"Forbidden","details":{"name":"jane","kind":"users"},"code":403}\n',
    );
  });

  it('anonymous impersonating group gets 403 on user first', async function () {
    const reply = await postSelfSubjectReview(denying, {}, [
      ['Impersonate-User', 'jane'],
      ['Impersonate-Group', 'devs'],
    ]);

    expect(reply.status).to.equal(403);
    const status = JSON.parse(reply.body) as { details: unknown };
    expect(status.details).to.deep.equal({ name: 'jane', kind: 'users' });
  });

  it('admin impersonating under AlwaysDeny passes', async function () {
    // system:masters may impersonate; the impersonated jane is then denied the review itself.
    const reply = await postSelfSubjectReview(denying, { token: denying.adminToken }, [
      ['Impersonate-User', 'jane'],
    ]);

    expect(reply.status).to.equal(403);
    const status = JSON.parse(reply.body) as { message: string };
    expect(status.message).to.equal(
      'selfsubjectreviews.authentication.k8s.io is forbidden: User "jane" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope: Everything is forbidden.',
    );
  });
});
