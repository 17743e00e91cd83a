import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  reviewedUser,
  send,
  SELF_SUBJECT_REVIEW_JSON,
  SELF_SUBJECT_REVIEWS_PATH,
  type Credentials,
} from '../helpers/e2e/http_client.js';
import { selfSubjectReviewProtobuf } from '../helpers/e2e/protobuf.js';

/** kube-apiserver's 401 body: compact Status JSON ending in a newline. */
const UNAUTHORIZED_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n';

const ADMIN_GROUPS = ['system:masters', 'system:authenticated'];

type Encoding = 'json' | 'protobuf';

function reviewBody(encoding: Encoding): { contentType: string; body: string | Buffer } {
  return encoding === 'json'
    ? { contentType: 'application/json', body: SELF_SUBJECT_REVIEW_JSON }
    : { contentType: 'application/vnd.kubernetes.protobuf', body: selfSubjectReviewProtobuf() };
}

function postReview(server: TestServer, credentials: Credentials, encoding: Encoding) {
  const { contentType, body } = reviewBody(encoding);
  return send(server, {
    method: 'POST',
    path: SELF_SUBJECT_REVIEWS_PATH,
    headers: [['Content-Type', contentType]],
    credentials,
    body,
  });
}

describe('authentication through the secure port', function () {
  let server: TestServer;
  let noAnonymous: TestServer;

  before(async function () {
    [server, noAnonymous] = await Promise.all([
      startTestServer(),
      startTestServer(['--anonymous-auth=false']),
    ]);
  });

  after(async function () {
    await Promise.all([server?.stop(), noAnonymous?.stop()]);
  });

  describe('admin credentials', function () {
    const cases: {
      name: string;
      credentials: (s: TestServer) => Credentials;
      encoding: Encoding;
      expectUID: string | undefined;
    }[] = [
      {
        name: 'token with JSON body',
        credentials: (s) => ({ token: s.adminToken }),
        encoding: 'json',
        expectUID: 'admin-uid',
      },
      {
        name: 'token with protobuf body',
        credentials: (s) => ({ token: s.adminToken }),
        encoding: 'protobuf',
        expectUID: 'admin-uid',
      },
      {
        name: 'client certificate with JSON body',
        credentials: (s) => ({
          clientCertPem: s.adminClientCertPem,
          clientKeyPem: s.adminClientKeyPem,
        }),
        encoding: 'json',
        expectUID: undefined,
      },
      {
        name: 'client certificate with protobuf body',
        credentials: (s) => ({
          clientCertPem: s.adminClientCertPem,
          clientKeyPem: s.adminClientKeyPem,
        }),
        encoding: 'protobuf',
        expectUID: undefined,
      },
    ];
    for (const tc of cases) {
      it(`admin ${tc.name}`, async function () {
        const reply = await postReview(server, tc.credentials(server), tc.encoding);

        expect(reply.status).to.equal(201);
        expect(reply.headers['content-type']).to.equal('application/json');
        const review = JSON.parse(reply.body) as Record<string, unknown>;
        expect(review.kind).to.equal('SelfSubjectReview');
        expect(review.apiVersion).to.equal('authentication.k8s.io/v1');
        expect((review.metadata as Record<string, string>).creationTimestamp).to.match(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
        );
        const user = reviewedUser(reply);
        expect(user.username).to.equal('admin');
        expect(user.uid).to.equal(tc.expectUID);
        expect(user.groups).to.deep.equal(ADMIN_GROUPS);
      });
    }
  });

  describe('anonymous and rejected requests', function () {
    const cases: {
      name: string;
      target: () => TestServer;
      token: string | undefined;
      expectStatus: number;
      expectBody: string;
    }[] = [
      {
        name: 'no credentials, --anonymous-auth=false',
        target: () => noAnonymous,
        token: undefined,
        expectStatus: 401,
        expectBody: UNAUTHORIZED_BODY,
      },
      {
        name: 'wrong token, anonymous allowed',
        target: () => server,
        token: 'not-a-known-token',
        expectStatus: 401,
        expectBody: UNAUTHORIZED_BODY,
      },
      {
        name: 'wrong token, --anonymous-auth=false',
        target: () => noAnonymous,
        token: 'not-a-known-token',
        expectStatus: 401,
        expectBody: UNAUTHORIZED_BODY,
      },
    ];
    for (const tc of cases) {
      it(tc.name, async function () {
        const reply = await postReview(tc.target(), { token: tc.token }, 'json');

        expect(reply.status).to.equal(tc.expectStatus);
        expect(reply.headers['content-type']).to.equal('application/json');
        expect(reply.body).to.equal(tc.expectBody);
      });
    }

    it('anonymous review names system:anonymous', async function () {
      const reply = await postReview(server, {}, 'json');

      expect(reply.status).to.equal(201);
      const user = reviewedUser(reply);
      expect(user.username).to.equal('system:anonymous');
      expect(user.uid).to.equal(undefined);
      expect(user.groups).to.deep.equal(['system:unauthenticated']);
    });

    it('401 has no WWW-Authenticate header', async function () {
      const reply = await postReview(noAnonymous, {}, 'json');

      expect(reply.status).to.equal(401);
      expect(reply.headers['www-authenticate']).to.equal(undefined);
    });
  });
});
