import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeTempDir,
  removeDir,
  startAPIServerProcess,
  type APIServerProcess,
} from '../helpers/e2e/apiserver_process.js';
import { postSelfSubjectReview, send, type Reply } from '../helpers/e2e/http_client.js';

describe('secrets in logs at -v=5', function () {
  let dir: string;
  let server: APIServerProcess;
  let adminToken: string;
  let wrongToken: string;
  let replies: Reply[];
  let stderr: string;
  let audit: string;

  before(async function () {
    dir = await makeTempDir('secrets');
    const auditPath = join(dir, 'audit.log');
    server = await startAPIServerProcess([
      '-v=5',
      `--audit-log-path=${auditPath}`,
      '--authorization-mode=AlwaysDeny',
    ]);
    adminToken = server.adminToken;
    wrongToken = `${adminToken}x`;
    replies = [
      await postSelfSubjectReview(server, { token: adminToken }),
      await postSelfSubjectReview(server, { token: wrongToken }),
      await postSelfSubjectReview(server, { token: adminToken }, [['Impersonate-User', 'jane']]),
      await send(server, {
        path: '/healthz',
        headers: [['Authorization', `Bearer ${adminToken} trailing`]],
      }),
    ];
    const exit = await server.stop();
    expect(exit.code).to.equal(0);
    stderr = server.stderr();
    audit = await readFile(auditPath, 'utf8');
  });

  after(async function () {
    await server?.stop();
    await removeDir(dir);
  });

  it('requests got the expected codes', function () {
    expect(replies.map((reply) => reply.status)).to.deep.equal([201, 401, 403, 200]);
  });

  it('debug lines were logged', function () {
    expect(stderr).to.match(/ DEBUG \[authentication\] unable to authenticate the request /);
    expect(stderr).to.match(/ DEBUG \[authorization\] /);
  });

  it('stderr has no admin token', function () {
    expect(adminToken).to.have.length.greaterThan(20);
    expect(stderr).not.to.contain(adminToken);
  });

  it('audit log has every request', function () {
    expect(audit.trimEnd().split('\n')).to.have.length(replies.length);
  });

  it('audit log has no admin token', function () {
    expect(audit).not.to.contain(adminToken);
  });
});
