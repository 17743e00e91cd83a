import { expect } from 'chai';
import { createServer as createHTTPServer, type Server } from 'node:http';
import { createServer as createTCPServer, type Server as TCPServer } from 'node:net';
import { Writable } from 'node:stream';
import winston from 'winston';
import { RunningServer } from '../../pkg/genericapiserver/server/serve.js';
import { send } from '../helpers/e2e/http_client.js';
import { waitUntil } from '../helpers/e2e/wait.js';

/** Creates a logger that records each entry's message, so a test can assert what RunningServer logged. */
function recordingLogger(): { logger: winston.Logger; messages: string[] } {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      messages.push((JSON.parse(chunk.toString('utf8')) as { message: string }).message);
      callback();
    },
  });
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, messages };
}

/** Long enough for a test to take the port between a serve error and the first retry. */
const RETRY_INTERVAL_MS = 100;

describe('RunningServer after a serve error', function () {
  let running: RunningServer;
  let servers: Server[];
  let messages: string[];
  let blocker: TCPServer | undefined;

  beforeEach(async function () {
    servers = [];
    const recording = recordingLogger();
    messages = recording.messages;
    running = new RunningServer({
      createServer: () => {
        const server = createHTTPServer((_req, res) => res.end(`served by #${servers.length}`));
        servers.push(server);
        return server;
      },
      bindAddress: '127.0.0.1',
      port: 0,
      logger: recording.logger,
      retryIntervalMs: RETRY_INTERVAL_MS,
    });
    await running.start();
  });

  afterEach(async function () {
    await running.stop(0);
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  it('listens again on the same port', async function () {
    const port = running.port;

    servers[0]!.emit('error', new Error('injected serve error'));
    await waitUntil(() => servers.length === 2 && servers[1]!.listening, 'a second listen');

    expect(running.port).to.equal(port);
    expect(servers[0]!.listening).to.equal(false);
    expect(messages).to.include('stopped listening due to an error');
    expect(messages).to.include('listening again after a serve error');
  });

  it('serves after listening again', async function () {
    servers[0]!.emit('error', new Error('injected serve error'));
    await waitUntil(() => servers.length === 2 && servers[1]!.listening, 'a second listen');

    const reply = await send({ url: `http://127.0.0.1:${running.port}`, caPem: '' }, { path: '/' });

    expect(reply.status).to.equal(200);
    expect(reply.body).to.equal('served by #2');
  });

  it('keeps retrying while the port is taken', async function () {
    const port = running.port;
    servers[0]!.emit('error', new Error('injected serve error'));
    await waitUntil(() => !servers[0]!.listening, 'the broken server to close');
    // Take the port before the first retry, so that retry fails with EADDRINUSE.
    blocker = createTCPServer();
    await new Promise<void>((resolve, reject) => {
      blocker!.once('error', reject);
      blocker!.listen(port, '127.0.0.1', resolve);
    });
    await waitUntil(
      () => messages.includes('listening again failed, will retry'),
      'a failed retry to be logged',
    );

    await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    blocker = undefined;
    await waitUntil(() => servers.at(-1)!.listening, 'a later retry to listen');

    expect(running.port).to.equal(port);
    expect(servers.length).to.be.at.least(3);
  });
});
