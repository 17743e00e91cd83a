import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { startTestServer, type TestServer } from '../../cmd/apiserver/app/testing/testserver.js';
import { makeTempDir, removeDir } from '../helpers/e2e/apiserver_process.js';
import {
  holdReview,
  postSelfSubjectReview,
  reviewedUser,
  send,
  type Credentials,
} from '../helpers/e2e/http_client.js';
import { waitUntil } from '../helpers/e2e/wait.js';

const BOB_TOKEN = 'bob-token-0123456789';

/** Returns how many mutating requests the server counts as in flight right now. */
async function mutatingInFlight(registry: Registry): Promise<number> {
  const gauge = registry.getSingleMetric('apiserver_current_inflight_requests');
  if (gauge === undefined) throw new Error('apiserver_current_inflight_requests not registered');
  const { values } = await gauge.get();
  return values.find((value) => value.labels.request_kind === 'mutating')?.value ?? 0;
}

/** Returns how many selfsubjectreviews requests apiserver_request_total counts with `code`. */
async function reviewRequests(registry: Registry, code: string): Promise<number> {
  const counter = registry.getSingleMetric('apiserver_request_total');
  if (counter === undefined) throw new Error('apiserver_request_total not registered');
  const { values } = await counter.get();
  const matching = values.filter(
    (value) => value.labels.resource === 'selfsubjectreviews' && value.labels.code === code,
  );
  return matching.reduce((sum, value) => sum + value.value, 0);
}

describe('max-in-flight with a limit of 1', function () {
  let server: TestServer;
  let dir: string;
  let admin: Credentials;
  const bob: Credentials = { token: BOB_TOKEN };

  before(async function () {
    dir = await makeTempDir('inflight');
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, `${BOB_TOKEN},bob,1002,devs\n`);
    server = await startTestServer([
      '--max-requests-inflight=1',
      '--max-mutating-requests-inflight=1',
      `--token-auth-file=${tokenFile}`,
    ]);
    admin = { clientCertPem: server.adminClientCertPem, clientKeyPem: server.adminClientKeyPem };
  });

  after(async function () {
    await server?.stop();
    await removeDir(dir);
  });

  it('full mutating class rejects non-admin', async function () {
    const heldReview = holdReview(server, bob);
    try {
      await waitUntil(
        async () => (await mutatingInFlight(server.registry)) === 1,
        'the held review to take the mutating slot',
      );

      const rejectedBefore = await reviewRequests(server.registry, '429');
      const rejected = await postSelfSubjectReview(server, bob);
      expect(rejected.status).to.equal(429);
      expect(await reviewRequests(server.registry, '429'), '429 count').to.equal(
        rejectedBefore + 1,
      );
      expect(rejected.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(rejected.headers['retry-after']).to.equal('1');
      expect(rejected.body).to.equal('Too many requests, please try again later.\n');

      const byAdmin = await postSelfSubjectReview(server, admin);
      expect(byAdmin.status).to.equal(201);
      expect(reviewedUser(byAdmin).username).to.equal('admin');

      const readOnly = await send(server, { path: '/healthz', credentials: bob });
      expect(readOnly.status).to.equal(200);

      heldReview.finish();
      const heldReply = await heldReview.reply;
      expect(heldReply.status).to.equal(201);
      expect(reviewedUser(heldReply).username).to.equal('bob');
    } finally {
      heldReview.destroy();
    }
  });

  it('slot frees when the request ends', async function () {
    const heldReview = holdReview(server, bob);
    await waitUntil(
      async () => (await mutatingInFlight(server.registry)) === 1,
      'the held review to take the mutating slot',
    );
    heldReview.finish();
    expect((await heldReview.reply).status).to.equal(201);
    await waitUntil(
      async () => (await mutatingInFlight(server.registry)) === 0,
      'the mutating slot to be released',
    );

    const next = await postSelfSubjectReview(server, bob);

    expect(next.status).to.equal(201);
  });

  it('slot frees when the client leaves', async function () {
    const abandoned = holdReview(server, bob);
    abandoned.reply.catch(() => undefined);
    await waitUntil(
      async () => (await mutatingInFlight(server.registry)) === 1,
      'the abandoned review to take the mutating slot',
    );
    abandoned.destroy();
    await waitUntil(
      async () => (await mutatingInFlight(server.registry)) === 0,
      'the mutating slot to be released',
    );

    const next = await postSelfSubjectReview(server, bob);

    expect(next.status).to.equal(201);
  });
});
