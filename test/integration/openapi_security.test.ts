import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { send } from '../helpers/e2e/http_client.js';

const BEARER_TOKEN = {
  type: 'apiKey',
  name: 'authorization',
  in: 'header',
  description: 'Bearer Token authentication',
};
const HTTP_BASIC = { type: 'basic', description: 'HTTP Basic authentication' };

describe('/openapi/v2 security definitions', function () {
  let basicAuthDir: string;
  let basicAuthFile: string;

  before(async function () {
    basicAuthDir = await mkdtemp(join(tmpdir(), 'openapi-security-'));
    basicAuthFile = join(basicAuthDir, 'passwords.csv');
    await writeFile(basicAuthFile, 'secret-password,jane,jane-uid,"devs"\n', { mode: 0o600 });
  });

  after(async function () {
    await rm(basicAuthDir, { recursive: true, force: true });
  });

  const cases: {
    name: string;
    flags: () => string[];
    expectDefinitions: Record<string, object>;
    expectSecurity: Record<string, []>[];
  }[] = [
    {
      name: 'without basic auth file',
      flags: () => [],
      expectDefinitions: { BearerToken: BEARER_TOKEN },
      expectSecurity: [{ BearerToken: [] }],
    },
    {
      name: 'with basic auth file',
      flags: () => [`--basic-auth-file=${basicAuthFile}`],
      expectDefinitions: { BearerToken: BEARER_TOKEN, HTTPBasic: HTTP_BASIC },
      expectSecurity: [{ BearerToken: [] }, { HTTPBasic: [] }],
    },
    {
      // The start does not contact Keystone, and no request here carries basic credentials.
      name: 'with Keystone URL',
      flags: () => ['--experimental-keystone-url=https://127.0.0.1:1'],
      expectDefinitions: { BearerToken: BEARER_TOKEN, HTTPBasic: HTTP_BASIC },
      expectSecurity: [{ BearerToken: [] }, { HTTPBasic: [] }],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async function () {
      let server: TestServer | undefined;
      try {
        server = await startTestServer(tc.flags());
        const reply = await send(server, {
          path: '/openapi/v2',
          headers: [['Accept', 'application/json']],
          credentials: { token: server.adminToken },
        });

        expect(reply.status).to.equal(200);
        const document = JSON.parse(reply.body) as {
          securityDefinitions?: unknown;
          security?: unknown;
        };
        expect(document.securityDefinitions).to.deep.equal(tc.expectDefinitions);
        expect(document.security).to.deep.equal(tc.expectSecurity);
      } finally {
        await server?.stop();
      }
    });
  }
});
