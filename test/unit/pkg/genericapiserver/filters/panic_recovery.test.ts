import { expect } from 'chai';
import type { Middleware } from 'koa';
import {
  PANIC_MESSAGE,
  withPanicRecovery,
} from '../../../../../pkg/genericapiserver/filters/panic_recovery.js';
import {
  recordingLogger,
  respondOK,
  serveOnce,
  silentLogger,
} from '../../../helpers/koa_context.js';

describe('withPanicRecovery', () => {
  const throwing: { name: string; handler: Middleware }[] = [
    {
      name: 'thrown Error',
      handler: () => {
        throw new Error('boom');
      },
    },
    {
      name: 'thrown string',
      handler: () => {
        throw 'boom'; // eslint-disable-line @typescript-eslint/only-throw-error
      },
    },
    { name: 'rejected promise', handler: () => Promise.reject(new Error('boom')) },
  ];
  for (const tc of throwing) {
    it(`${tc.name} gives plain-text 500`, async () => {
      const response = await serveOnce([withPanicRecovery(silentLogger()), tc.handler], {
        path: '/api/v1/pods',
      });
      expect(response.status).to.equal(500);
      expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.body).to.equal(
        'This request caused apiserver to panic. Look in the logs for details.\n',
      );
    });
  }

  it('exports kube-apiserver panic message', () => {
    expect(PANIC_MESSAGE).to.equal(
      'This request caused apiserver to panic. Look in the logs for details.',
    );
  });

  it('logs the error with path', async () => {
    const recorder = recordingLogger();
    const failure = new Error('boom');
    await serveOnce(
      [
        withPanicRecovery(recorder.logger),
        () => {
          throw failure;
        },
      ],
      { method: 'POST', path: '/api/v1/pods?x=1' },
    );
    const entry = await recorder.waitFor('request caused a panic');
    expect(entry.level).to.equal('error');
    expect(entry.method).to.equal('POST');
    expect(entry.path).to.equal('/api/v1/pods');
    expect(entry.err).to.equal(failure);
    expect(entry.stack).to.equal(failure.stack);
  });

  it('passes a successful request through', async () => {
    const response = await serveOnce([withPanicRecovery(silentLogger()), respondOK], {
      path: '/healthz',
    });
    expect(response.status).to.equal(200);
    expect(response.body).to.equal('ok');
  });

  it('drops connection after headers sent', async () => {
    const streamingThenThrowing: Middleware = (ctx) => {
      ctx.respond = false;
      ctx.res.writeHead(200, { 'Content-Type': 'text/plain' });
      ctx.res.write('partial');
      throw new Error('boom mid-stream');
    };
    let failure: unknown;
    try {
      await serveOnce([withPanicRecovery(silentLogger()), streamingThenThrowing], {
        path: '/api/v1/pods',
      });
    } catch (err) {
      failure = err;
    }
    expect(failure, 'client error').to.be.instanceOf(Error);
  });
});
