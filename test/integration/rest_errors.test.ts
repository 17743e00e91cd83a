import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import {
  createPods,
  parseBody,
  podManifest,
  requestAsAdmin,
  type APIObject,
  type Status,
} from '../helpers/rest/requests.js';

const PODS_PATH = '/api/v1/namespaces/errors/pods';

/** Returns a Pod body with an unknown field spec.bogus. */
function podWithBogusField(name: string): APIObject {
  const pod = podManifest(name);
  return { ...pod, spec: { ...pod.spec, bogus: 1 } };
}

/** kube-apiserver's message for a name that is not a DNS-1123 subdomain. */
const BAD_NAME_MESSAGE =
  "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('REST errors on bad input', function () {
  let server: TestServer;

  before(async function () {
    server = await startTestServer();
    await createPods(server, 'errors', [podManifest('taken')]);
  });

  after(async function () {
    await server?.stop();
  });

  interface ErrorCase {
    name: string;
    path?: string;
    body: unknown;
    contentType?: string;
    expectCode: number;
    expectReason: string;
    /** The exact message, or a RegExp where the text comes from a parser library. */
    expectMessage: string | RegExp;
    expectCause?: { field: string; reason: string; message: string };
  }

  const cases: ErrorCase[] = [
    {
      name: 'malformed JSON',
      body: '{"apiVersion":',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: 'unable to decode JSON body: Unexpected end of JSON input',
    },
    {
      name: 'malformed YAML',
      body: 'metadata: [\n  name: x',
      contentType: 'application/yaml',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: /^unable to decode YAML body: .*line 2, column 10/s,
    },
    {
      name: 'JSON array body',
      body: '[]',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: 'the request body is not an object',
    },
    {
      name: 'missing name',
      body: { ...podManifest(''), metadata: {} },
      expectCode: 422,
      expectReason: 'Invalid',
      expectMessage:
        'Pod "" is invalid: metadata.name: Required value: name or generateName is required',
      expectCause: {
        field: 'metadata.name',
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
      },
    },
    {
      name: 'name Bad_Name',
      body: podManifest('Bad_Name'),
      expectCode: 422,
      expectReason: 'Invalid',
      expectMessage: `Pod "Bad_Name" is invalid: metadata.name: ${BAD_NAME_MESSAGE}`,
      expectCause: {
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: BAD_NAME_MESSAGE,
      },
    },
    {
      name: 'body over 3 MiB',
      body: {
        ...podManifest('big'),
        metadata: { name: 'big', annotations: { filler: 'x'.repeat(3 * 1024 * 1024) } },
      },
      expectCode: 413,
      expectReason: 'RequestEntityTooLarge',
      expectMessage: 'Request entity too large: limit is 3145728',
    },
    {
      name: 'kind Service on pods',
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' } },
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage:
        'Service in version "v1" cannot be handled as a Pod: no kind "Service" is registered for the resource "pods"',
    },
    {
      name: 'apiVersion apps/v1 on pods',
      body: { ...podManifest('wrong-group'), apiVersion: 'apps/v1' },
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage:
        'the API version in the data (apps/v1) does not match the expected API version (v1)',
    },
    {
      name: 'other namespace in body',
      body: { ...podManifest('elsewhere'), metadata: { name: 'elsewhere', namespace: 'other' } },
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage:
        'the namespace of the provided object does not match the namespace sent on the request',
    },
    {
      name: 'unknown field under Strict',
      path: `${PODS_PATH}?fieldValidation=Strict`,
      body: podWithBogusField('strict'),
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage:
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.bogus"',
    },
    {
      name: 'fieldValidation=Loose',
      path: `${PODS_PATH}?fieldValidation=Loose`,
      body: podManifest('loose'),
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage:
        'fieldValidation parameter unsupported: Loose. Supported values are: Ignore, Warn, Strict',
    },
    {
      name: 'missing namespace',
      path: '/api/v1/namespaces/nope/pods',
      body: podManifest('orphan'),
      expectCode: 404,
      expectReason: 'NotFound',
      expectMessage: 'namespaces "nope" not found',
    },
    {
      name: 'duplicate name',
      body: podManifest('taken'),
      expectCode: 409,
      expectReason: 'AlreadyExists',
      expectMessage: 'pods "taken" already exists',
    },
  ];
  for (const tc of cases) {
    it(`create with ${tc.name} is ${tc.expectCode}`, async function () {
      const reply = await requestAsAdmin(
        server,
        'POST',
        tc.path ?? PODS_PATH,
        tc.body,
        tc.contentType,
      );

      expect(reply.status).to.equal(tc.expectCode);
      expect(reply.headers['content-type']).to.equal('application/json');
      const status = parseBody<Status>(reply);
      expect(status.kind).to.equal('Status');
      expect(status.status).to.equal('Failure');
      expect(status.code).to.equal(tc.expectCode);
      expect(status.reason).to.equal(tc.expectReason);
      if (typeof tc.expectMessage === 'string') {
        expect(status.message).to.equal(tc.expectMessage);
      } else {
        expect(status.message).to.match(tc.expectMessage);
      }
      if (tc.expectCause !== undefined) {
        expect(status.details?.causes?.[0]).to.deep.equal(tc.expectCause);
      }
    });
  }

  describe('fieldValidation', function () {
    it('Warn creates and sends a Warning header', async function () {
      const reply = await requestAsAdmin(
        server,
        'POST',
        `${PODS_PATH}?fieldValidation=Warn`,
        podWithBogusField('warned'),
      );

      expect(reply.status, reply.body).to.equal(201);
      expect(reply.headers.warning).to.equal('299 - "unknown field \\"spec.bogus\\""');
      expect(parseBody<APIObject>(reply).spec).to.not.have.property('bogus');
    });

    it('no parameter warns as Warn does', async function () {
      const reply = await requestAsAdmin(server, 'POST', PODS_PATH, podWithBogusField('default'));

      expect(reply.status, reply.body).to.equal(201);
      expect(reply.headers.warning).to.equal('299 - "unknown field \\"spec.bogus\\""');
    });

    it('Ignore creates without warning or field', async function () {
      const created = await requestAsAdmin(
        server,
        'POST',
        `${PODS_PATH}?fieldValidation=Ignore`,
        podWithBogusField('ignored'),
      );
      const stored = await requestAsAdmin(server, 'GET', `${PODS_PATH}/ignored`);

      expect(created.status, created.body).to.equal(201);
      expect(created.headers).to.not.have.property('warning');
      expect(stored.status).to.equal(200);
      expect(parseBody<APIObject>(stored).spec).to.not.have.property('bogus');
      expect(parseBody<APIObject>(stored).spec).to.have.property('containers');
    });
  });

  describe('namespace deletion', function () {
    before(async function () {
      await createPods(server, 'doomed', [podManifest('a'), podManifest('b')]);
      const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } };
      const reply = await requestAsAdmin(
        server,
        'POST',
        '/api/v1/namespaces/doomed/configmaps',
        configMap,
      );
      expect(reply.status, reply.body).to.equal(201);
    });

    it('removes the objects of the namespace', async function () {
      const deleted = await requestAsAdmin(server, 'DELETE', '/api/v1/namespaces/doomed');
      const pods = await requestAsAdmin(server, 'GET', '/api/v1/namespaces/doomed/pods');
      const pod = await requestAsAdmin(server, 'GET', '/api/v1/namespaces/doomed/pods/a');
      const configMaps = await requestAsAdmin(
        server,
        'GET',
        '/api/v1/namespaces/doomed/configmaps',
      );
      const otherPod = await requestAsAdmin(server, 'GET', `${PODS_PATH}/taken`);

      expect(deleted.status, deleted.body).to.equal(200);
      expect(pods.status).to.equal(200);
      expect(parseBody<APIObject>(pods).items).to.deep.equal([]);
      expect(pod.status).to.equal(404);
      expect(parseBody<Status>(pod).message).to.equal('pods "a" not found');
      expect(parseBody<APIObject>(configMaps).items).to.deep.equal([]);
      expect(otherPod.status).to.equal(200);
    });
  });
});
