import { expect } from 'chai';
import {
  failureStatus,
  newBadRequest,
  newForbidden,
  newInternalError,
  newMethodNotSupported,
  newNotFound,
  newPathNotFound,
  newRequestEntityTooLarge,
  newTimeout,
  newUnauthorized,
  newUnsupportedMediaType,
  type StatusError,
} from '../../../../../pkg/apiserver/errors/statuserror.js';

describe('StatusError factories', () => {
  const cases: { name: string; error: StatusError; expectJSON: string }[] = [
    {
      name: 'unauthorized',
      error: newUnauthorized(),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
    },
    {
      name: 'forbidden named core resource',
      error: newForbidden({ group: '', resource: 'pods' }, 'web', 'User "jane" cannot get'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"web\\" is forbidden: User \\"jane\\" cannot get","reason":"Forbidden","details":{"name":"web","kind":"pods"},"code":403}',
    },
    {
      name: 'forbidden unnamed group resource',
      error: newForbidden({ group: 'apps', resource: 'deployments' }, '', 'denied'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps is forbidden: denied","reason":"Forbidden","details":{"group":"apps","kind":"deployments"},"code":403}',
    },
    {
      name: 'forbidden non-resource',
      error: newForbidden({ group: '', resource: '' }, '', 'denied'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: denied","reason":"Forbidden","details":{},"code":403}',
    },
    {
      name: 'not found',
      error: newNotFound({ group: 'apps', resource: 'deployments' }, 'web'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"web\\" not found","reason":"NotFound","details":{"name":"web","group":"apps","kind":"deployments"},"code":404}',
    },
    {
      name: 'path not found',
      error: newPathNotFound(),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}',
    },
    {
      name: 'bad request',
      error: newBadRequest('invalid value'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"invalid value","reason":"BadRequest","code":400}',
    },
    {
      name: 'method not supported',
      error: newMethodNotSupported({ group: '', resource: 'pods' }, 'watch'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"watch is not supported on resources of kind \\"pods\\"","reason":"MethodNotAllowed","details":{"kind":"pods"},"code":405}',
    },
    {
      name: 'request entity too large',
      error: newRequestEntityTooLarge('limit is 3145728'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is 3145728","reason":"RequestEntityTooLarge","code":413}',
    },
    {
      name: 'timeout without retry',
      error: newTimeout('request did not complete within the allotted timeout', 0),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: request did not complete within the allotted timeout","reason":"Timeout","details":{},"code":504}',
    },
    {
      name: 'timeout with retry',
      error: newTimeout('too slow', 5),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: too slow","reason":"Timeout","details":{"retryAfterSeconds":5},"code":504}',
    },
    {
      name: 'internal error',
      error: newInternalError('etcd unavailable'),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: etcd unavailable","reason":"InternalError","details":{"causes":[{"message":"etcd unavailable"}]},"code":500}',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(JSON.stringify(tc.error.status)).to.equal(tc.expectJSON);
    });
  }

  it('unsupported media type', () => {
    const error = newUnsupportedMediaType(['application/json', 'application/yaml']);
    expect(error.code).to.equal(415);
    expect(error.status.details).to.equal(undefined);
    expect(error.reason).to.equal('UnsupportedMediaType');
    expect(error.status.message).to.equal(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  });
});

describe('StatusError', () => {
  it('exposes code, reason, message', () => {
    const error = newBadRequest('invalid value');
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal('StatusError');
    expect(error.code).to.equal(400);
    expect(error.reason).to.equal('BadRequest');
    expect(error.message).to.equal('invalid value');
  });
});

describe('failureStatus', () => {
  it('keeps kube-apiserver field order', () => {
    const status = failureStatus(409, 'Conflict', 'busy', { name: 'x' });
    expect(Object.keys(status)).to.deep.equal([
      'kind',
      'apiVersion',
      'metadata',
      'status',
      'message',
      'reason',
      'details',
      'code',
    ]);
  });

  it('leaves out undefined details', () => {
    expect(Object.keys(failureStatus(400, 'BadRequest', 'bad'))).to.not.include('details');
  });
});
