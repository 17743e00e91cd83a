import { expect } from 'chai';
import protobuf from 'protobufjs';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import {
  ACCEPTED_MEDIA_TYPES,
  MAX_REQUEST_BODY_BYTES,
  decodeBody,
  readBody,
  type DecodedBody,
} from '../../../../../pkg/endpoints/handlers/body.js';
import { writeStatusError } from '../../../../../pkg/endpoints/responsewriters/writers.js';
import { serveOnce, type TestRequest } from '../../../helpers/koa_context.js';

/** Calls `run` and returns the StatusError it throws. Fails the test when nothing is thrown. */
function expectStatusError(run: () => unknown): StatusError {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  if (!(thrown instanceof StatusError)) {
    expect.fail(`expected a StatusError, got ${String(thrown)}`);
  }
  return thrown;
}

/** Serves `request` with a handler that reads the body under `limit` and echoes its length. */
function readWithLimit(limit: number, request: TestRequest) {
  return serveOnce(
    [
      async (ctx) => {
        try {
          const body = await readBody(ctx, limit);
          ctx.body = `read ${body.length}`;
        } catch (err) {
          if (!(err instanceof StatusError)) throw err;
          writeStatusError(ctx, err);
        }
      },
    ],
    request,
  );
}

function protobufBody(apiVersion: string, kind: string): Buffer {
  const typeMeta = protobuf.Writer.create()
    .uint32(0x0a)
    .string(apiVersion)
    .uint32(0x12)
    .string(kind)
    .finish();
  const unknown = protobuf.Writer.create()
    .uint32(0x0a)
    .bytes(typeMeta)
    .uint32(0x12)
    .bytes(Uint8Array.from([0x0a, 0x00]))
    .finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

describe('readBody', () => {
  it('default limit is 3 MiB', () => {
    expect(MAX_REQUEST_BODY_BYTES).to.equal(3 * 1024 * 1024);
  });

  const cases: {
    name: string;
    headers: Record<string, string>;
    body: string;
    expectStatus: number;
    expectBody: string;
  }[] = [
    {
      name: 'body within limit read',
      headers: {},
      body: '0123456789',
      expectStatus: 200,
      expectBody: 'read 10',
    },
    {
      name: 'declared length over limit',
      headers: {},
      body: '01234567890',
      expectStatus: 413,
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is 10","reason":"RequestEntityTooLarge","code":413}\n',
    },
    {
      name: 'chunked body over limit',
      headers: { 'Transfer-Encoding': 'chunked' },
      body: '0123456789abcdef',
      expectStatus: 413,
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Request entity too large: limit is 10","reason":"RequestEntityTooLarge","code":413}\n',
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const response = await readWithLimit(10, {
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        headers: tc.headers,
        body: tc.body,
      });
      expect(response.status).to.equal(tc.expectStatus);
      expect(response.body).to.equal(tc.expectBody);
    });
  }
});

describe('decodeBody', () => {
  const decoded: { name: string; contentType: string; body: Buffer; expect: DecodedBody }[] = [
    {
      name: 'JSON object',
      contentType: 'application/json',
      body: Buffer.from('{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}'),
      expect: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
        object: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        raw: undefined,
      },
    },
    {
      name: 'JSON with charset parameter',
      contentType: 'Application/JSON; charset=utf-8',
      body: Buffer.from('{"kind":"SelfSubjectReview"}'),
      expect: {
        apiVersion: '',
        kind: 'SelfSubjectReview',
        object: { kind: 'SelfSubjectReview' },
        raw: undefined,
      },
    },
    {
      name: 'missing type read as JSON',
      contentType: '',
      body: Buffer.from('{"apiVersion":"v1","kind":"Status"}'),
      expect: {
        apiVersion: 'v1',
        kind: 'Status',
        object: { apiVersion: 'v1', kind: 'Status' },
        raw: undefined,
      },
    },
    {
      name: 'YAML object',
      contentType: 'application/yaml',
      body: Buffer.from(
        'apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nspec: {}\n',
      ),
      expect: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
        object: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', spec: {} },
        raw: undefined,
      },
    },
    {
      name: 'non-string type fields ignored',
      contentType: 'application/json',
      body: Buffer.from('{"apiVersion":1,"kind":null}'),
      expect: { apiVersion: '', kind: '', object: { apiVersion: 1, kind: null }, raw: undefined },
    },
    {
      name: 'protobuf envelope',
      contentType: 'application/vnd.kubernetes.protobuf',
      body: protobufBody('authentication.k8s.io/v1', 'SelfSubjectReview'),
      expect: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
        object: undefined,
        raw: Uint8Array.from([0x0a, 0x00]),
      },
    },
  ];
  for (const tc of decoded) {
    it(tc.name, () => {
      expect(decodeBody(tc.contentType, tc.body)).to.deep.equal(tc.expect);
    });
  }

  const rejected: {
    name: string;
    contentType: string;
    body: string | Buffer;
    expectCode: number;
    expectReason: string;
    expectMessage: string | RegExp;
  }[] = [
    {
      name: 'unknown type gives 415',
      contentType: 'text/csv',
      body: 'a,b',
      expectCode: 415,
      expectReason: 'UnsupportedMediaType',
      expectMessage:
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    },
    {
      name: 'bad JSON gives 400',
      contentType: 'application/json',
      body: '{"kind":',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: /^unable to decode JSON body: /,
    },
    {
      name: 'bad YAML gives 400',
      contentType: 'application/yaml',
      body: 'kind: [unclosed',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: /^unable to decode YAML body: /,
    },
    {
      name: 'JSON array gives 400',
      contentType: 'application/json',
      body: '[1,2]',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: 'the request body is not an object',
    },
    {
      name: 'YAML scalar gives 400',
      contentType: 'application/yaml',
      body: 'just text',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: 'the request body is not an object',
    },
    {
      name: 'protobuf without magic gives 400',
      contentType: 'application/vnd.kubernetes.protobuf',
      body: '{"kind":"SelfSubjectReview"}',
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage:
        'unable to decode protobuf body: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    {
      name: 'truncated protobuf gives 400',
      contentType: 'application/vnd.kubernetes.protobuf',
      body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x10]),
      expectCode: 400,
      expectReason: 'BadRequest',
      expectMessage: /^unable to decode protobuf body: /,
    },
  ];
  for (const tc of rejected) {
    it(tc.name, () => {
      const error = expectStatusError(() => decodeBody(tc.contentType, Buffer.from(tc.body)));
      expect(error.code).to.equal(tc.expectCode);
      expect(error.reason).to.equal(tc.expectReason);
      if (typeof tc.expectMessage === 'string') {
        expect(error.status.message).to.equal(tc.expectMessage);
      } else {
        expect(error.status.message).to.match(tc.expectMessage);
      }
    });
  }

  const secret = 'secret-token-0123456789';
  const leaking: { name: string; contentType: string; body: string; expectMessage: string }[] = [
    {
      name: 'bare word in JSON',
      contentType: 'application/json',
      body: `{"spec":{"token":${secret}}}`,
      expectMessage: "unable to decode JSON body: Unexpected token 's' in JSON",
    },
    {
      name: 'bad indentation in YAML',
      contentType: 'application/yaml',
      body: `spec:\n  token: ${secret}\n   audiences: []\n`,
      expectMessage:
        'unable to decode YAML body: line 2, column 10: Nested mappings are not allowed in compact mappings',
    },
  ];
  for (const tc of leaking) {
    it(`${tc.name} message omits body`, () => {
      const error = expectStatusError(() => decodeBody(tc.contentType, Buffer.from(tc.body)));
      expect(error.status.message).to.equal(tc.expectMessage);
      expect(error.status.message).not.to.contain('secret');
    });
  }

  it('YAML unknown tag writes no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const decoded = decodeBody('application/yaml', Buffer.from(`token: !custom ${secret}\n`));
      expect(decoded.object).to.deep.equal({ token: secret });
      // process.emitWarning delivers the 'warning' event on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.message)).to.deep.equal([]);
  });

  it('accepted media types listed', () => {
    expect(ACCEPTED_MEDIA_TYPES).to.deep.equal([
      'application/json',
      'application/yaml',
      'application/vnd.kubernetes.protobuf',
    ]);
  });
});
