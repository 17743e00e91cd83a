import { expect } from 'chai';
import { newUnauthorized } from '../../../../../pkg/apiserver/errors/statuserror.js';
import {
  isPrettyPrint,
  writeInternalError,
  writeJSON,
  writePlainTextError,
  writeStatusError,
} from '../../../../../pkg/endpoints/responsewriters/writers.js';
import { serveOnce } from '../../../helpers/koa_context.js';

const COMPACT_401 =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n';

const PRETTY_401 = `{
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {},
  "status": "Failure",
  "message": "Unauthorized",
  "reason": "Unauthorized",
  "code": 401
}`;

describe('isPrettyPrint', () => {
  const cases: { name: string; query: string; userAgent?: string; expectPretty: boolean }[] = [
    { name: 'no agent is compact', query: '', expectPretty: false },
    { name: 'kubectl is compact', query: '', userAgent: 'kubectl/v1.32.4', expectPretty: false },
    { name: 'curl is pretty', query: '', userAgent: 'curl/8.5.0', expectPretty: true },
    { name: 'Wget is pretty', query: '', userAgent: 'Wget/1.21.4', expectPretty: true },
    {
      name: 'browser is pretty',
      query: '',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      expectPretty: true,
    },
    { name: 'prefix match only', query: '', userAgent: 'my-curl/1', expectPretty: false },
    { name: 'pretty=true wins', query: 'pretty=true', userAgent: 'kubectl/1', expectPretty: true },
    { name: 'pretty=1 wins', query: 'pretty=1', expectPretty: true },
    { name: 'empty pretty uses agent', query: 'pretty=', userAgent: 'curl/8', expectPretty: true },
    {
      name: 'pretty=false beats curl',
      query: 'pretty=false',
      userAgent: 'curl/8',
      expectPretty: false,
    },
    { name: 'pretty=0 beats curl', query: 'pretty=0', userAgent: 'curl/8', expectPretty: false },
    { name: 'unparsable pretty is false', query: 'pretty=yes', expectPretty: false },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      let pretty: boolean | undefined;
      await serveOnce(
        [
          (ctx) => {
            pretty = isPrettyPrint(ctx);
            ctx.body = 'ok';
          },
        ],
        {
          path: `/api/v1/pods${tc.query === '' ? '' : `?${tc.query}`}`,
          headers: tc.userAgent === undefined ? {} : { 'User-Agent': tc.userAgent },
        },
      );
      expect(pretty).to.equal(tc.expectPretty);
    });
  }
});

describe('writeStatusError', () => {
  const cases: { name: string; userAgent: string; expectBody: string }[] = [
    { name: 'compact ends with newline', userAgent: 'kubectl/v1.32.4', expectBody: COMPACT_401 },
    { name: 'curl gets indented JSON', userAgent: 'curl/8.5.0', expectBody: PRETTY_401 },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const response = await serveOnce([(ctx) => writeStatusError(ctx, newUnauthorized())], {
        path: '/api/v1/pods',
        headers: { 'User-Agent': tc.userAgent },
      });
      expect(response.status).to.equal(401);
      expect(response.headers['content-type']).to.equal('application/json');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.body).to.equal(tc.expectBody);
    });
  }
});

describe('writeJSON', () => {
  it('uses given code', async () => {
    const response = await serveOnce([(ctx) => writeJSON(ctx, 201, { a: 1 })], {
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    });
    expect(response.status).to.equal(201);
    expect(response.headers['content-type']).to.equal('application/json');
    expect(response.body).to.equal('{"a":1}\n');
  });
});

describe('writePlainTextError', () => {
  it('writes message and newline', async () => {
    const response = await serveOnce([(ctx) => writePlainTextError(ctx, 503, 'try later')], {
      path: '/readyz',
    });
    expect(response.status).to.equal(503);
    expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(response.headers['x-content-type-options']).to.equal('nosniff');
    expect(response.body).to.equal('try later\n');
  });
});

describe('writeInternalError', () => {
  const cases: { name: string; path: string; cause: string; expectBody: string }[] = [
    {
      name: 'quotes request URI',
      path: '/api/v1/pods?limit=5',
      cause: 'boom',
      expectBody: 'Internal Server Error: "/api/v1/pods?limit=5": boom\n',
    },
    {
      name: 'escapes HTML characters',
      path: '/x?a=<b>&c',
      cause: 'x < y',
      expectBody: 'Internal Server Error: "/x?a=&lt;b&gt;&amp;c": x &lt; y\n',
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const response = await serveOnce([(ctx) => writeInternalError(ctx, tc.cause)], {
        path: tc.path,
      });
      expect(response.status).to.equal(500);
      expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(response.body).to.equal(tc.expectBody);
    });
  }
});
