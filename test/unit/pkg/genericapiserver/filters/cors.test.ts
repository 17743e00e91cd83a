import { expect } from 'chai';
import {
  compileAllowedOrigins,
  isOriginAllowed,
  withCORS,
} from '../../../../../pkg/genericapiserver/filters/cors.js';
import { respondOK, serveOnce } from '../../../helpers/koa_context.js';

const CORS_HEADERS = {
  'access-control-allow-origin': 'https://app.example.com',
  'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE, PATCH',
  'access-control-allow-headers':
    'Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since',
  'access-control-expose-headers': 'Date',
  'access-control-allow-credentials': 'true',
};

describe('isOriginAllowed', () => {
  const cases: { name: string; patterns: string[]; origin: string; expectAllowed: boolean }[] = [
    {
      name: 'exact anchored match',
      patterns: ['^https://app\\.example\\.com$'],
      origin: 'https://app.example.com',
      expectAllowed: true,
    },
    {
      name: 'anchored pattern rejects suffix',
      patterns: ['^https://app\\.example\\.com$'],
      origin: 'https://app.example.com.evil.org',
      expectAllowed: false,
    },
    {
      name: 'unanchored matches anywhere',
      patterns: ['example\\.com'],
      origin: 'https://example.com.evil.org',
      expectAllowed: true,
    },
    {
      name: 'second pattern matches',
      patterns: ['^https://a$', '//localhost(:|$)'],
      origin: 'http://localhost:8080',
      expectAllowed: true,
    },
    { name: 'no patterns', patterns: [], origin: 'https://a', expectAllowed: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const allowed = compileAllowedOrigins(tc.patterns);
      expect(isOriginAllowed(tc.origin, allowed)).to.equal(tc.expectAllowed);
    });
  }
});

describe('compileAllowedOrigins', () => {
  it('invalid regex names the flag', () => {
    let thrown: unknown;
    try {
      compileAllowedOrigins(['^https://ok$', '(unclosed']);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).to.match(/^--cors-allowed-origins: invalid regular expression "\(unclosed": /);
  });
});

describe('withCORS', () => {
  const allowed = compileAllowedOrigins(['^https://app\\.example\\.com$']);

  it('matching origin gets CORS headers', async () => {
    const response = await serveOnce([withCORS(allowed), respondOK], {
      path: '/api/v1/pods',
      headers: { Origin: 'https://app.example.com' },
    });
    expect(response.status).to.equal(200);
    expect(response.body).to.equal('ok');
    for (const [name, value] of Object.entries(CORS_HEADERS)) {
      expect(response.headers[name], name).to.equal(value);
    }
    expect(response.headers.vary, 'vary').to.equal(undefined);
  });

  it('preflight answered with 204', async () => {
    let called = false;
    const response = await serveOnce(
      [
        withCORS(allowed),
        () => {
          called = true;
        },
      ],
      {
        method: 'OPTIONS',
        path: '/api/v1/pods',
        headers: {
          Origin: 'https://app.example.com',
          'Access-Control-Request-Method': 'DELETE',
        },
      },
    );
    expect(response.status).to.equal(204);
    expect(response.body).to.equal('');
    for (const [name, value] of Object.entries(CORS_HEADERS)) {
      expect(response.headers[name], name).to.equal(value);
    }
    expect(called, 'later handler called').to.equal(false);
  });

  const passing: { name: string; method: string; headers: Record<string, string> }[] = [
    { name: 'non-matching origin passes bare', method: 'GET', headers: { Origin: 'https://x' } },
    { name: 'missing origin passes bare', method: 'GET', headers: {} },
    {
      name: 'non-matching preflight continues',
      method: 'OPTIONS',
      headers: { Origin: 'https://x' },
    },
  ];
  for (const tc of passing) {
    it(tc.name, async () => {
      const response = await serveOnce([withCORS(allowed), respondOK], {
        method: tc.method,
        path: '/api/v1/pods',
        headers: tc.headers,
      });
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('ok');
      for (const name of Object.keys(CORS_HEADERS)) {
        expect(response.headers[name], name).to.equal(undefined);
      }
    });
  }

  it('allowCredentials value is sent', async () => {
    const response = await serveOnce([withCORS(allowed, 'false'), respondOK], {
      path: '/api/v1/pods',
      headers: { Origin: 'https://app.example.com' },
    });
    expect(response.headers['access-control-allow-credentials']).to.equal('false');
  });
});
