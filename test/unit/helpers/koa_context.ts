import {
  createServer,
  request as sendRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa, { type Context, type Middleware } from 'koa';
import winston from 'winston';
import type { UserInfo } from '../../../pkg/auth/user/user.js';
import { setRequestInfo, setUser } from '../../../pkg/genericapiserver/request/context.js';
import {
  resolveRequestInfo,
  type RequestInfo,
} from '../../../pkg/genericapiserver/request/requestinfo.js';

/** One request to send to a test server. */
export interface TestRequest {
  /** HTTP method, GET when left out. */
  readonly method?: string;
  /** Path and query, for example `/api/v1/pods?watch=true`. */
  readonly path: string;
  /** Request headers. An array value is sent as one header line per entry. */
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

/** What the client received. */
export interface TestResponse {
  readonly status: number;
  /** Response headers, with lower-cased names as Node delivers them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A Koa app that runs the given middleware, served by a real node:http server on 127.0.0.1 and
 * a free port, so filters see real requests, raw headers and sockets.
 */
export class KoaTestServer {
  /** Errors Koa emitted, for example while writing a response. Tests expect none. */
  readonly appErrors: Error[] = [];
  readonly app: Koa;
  private readonly server: Server;

  private constructor(middleware: readonly Middleware[]) {
    this.app = new Koa();
    this.app.silent = true;
    this.app.on('error', (err: Error) => this.appErrors.push(err));
    for (const entry of middleware) this.app.use(entry);
    const callback = this.app.callback();
    this.server = createServer((req, res) => {
      void callback(req, res);
    });
  }

  /** Starts a server for `middleware`, which runs in the order given. */
  static async start(middleware: readonly Middleware[]): Promise<KoaTestServer> {
    const started = new KoaTestServer(middleware);
    await new Promise<void>((resolve, reject) => {
      started.server.once('error', reject);
      started.server.listen(0, '127.0.0.1', () => resolve());
    });
    return started;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Sends one request on a new connection and reads the whole response. */
  request(request: TestRequest): Promise<TestResponse> {
    return new Promise<TestResponse>((resolve, reject) => {
      const outgoing = sendRequest(
        {
          host: '127.0.0.1',
          port: this.port,
          method: request.method ?? 'GET',
          path: request.path,
          headers: request.headers,
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  }

  /** Stops the server and drops any connection still open. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts a server for `middleware`, sends one request, and stops the server. */
export async function serveOnce(
  middleware: readonly Middleware[],
  request: TestRequest,
): Promise<TestResponse> {
  const server = await KoaTestServer.start(middleware);
  try {
    return await server.request(request);
  } finally {
    await server.close();
  }
}

/** Builds a RequestInfo the way the request info filter would for a path and method. */
export function requestInfoFor(path: string, method = 'GET'): RequestInfo {
  const [pathname = '', query = ''] = path.split('?', 2);
  return resolveRequestInfo(pathname, new URLSearchParams(query), method);
}

/** Middleware that stores `info` as the request info, as the request info filter does. */
export function provideRequestInfo(info: RequestInfo): Middleware {
  return async function providedRequestInfo(ctx, next) {
    setRequestInfo(ctx, info);
    await next();
  };
}

/** Middleware that stores `user` as the request's user, as the authentication filter does. */
export function provideUser(user: UserInfo): Middleware {
  return async function providedUser(ctx, next) {
    setUser(ctx, user);
    await next();
  };
}

/** Terminal handler that responds 200 with the body `ok`. */
export const respondOK: Middleware = (ctx) => {
  ctx.status = 200;
  ctx.body = 'ok';
};

/** Terminal handler that passes the context to `inspect`, then responds 200 `ok`. */
export function inspectContext(inspect: (ctx: Context) => void): Middleware {
  return (ctx) => {
    inspect(ctx);
    ctx.status = 200;
    ctx.body = 'ok';
  };
}

/** A promise that a test resolves by hand, to hold a handler or wait for an event. */
export interface Latch<T = void> {
  readonly promise: Promise<T>;
  release(value: T): void;
}

export function newLatch<T = void>(): Latch<T> {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/** Creates a logger that writes nothing, for filters whose logs a test does not read. */
export function silentLogger(): winston.Logger {
  return winston.createLogger({ silent: true });
}

/** One entry a recording logger received. */
export interface LogEntry {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** A logger that keeps every entry, and lets a test wait for one. */
export interface RecordingLogger {
  readonly logger: winston.Logger;
  readonly entries: LogEntry[];
  /** Resolves with the first entry, logged before or after the call, that has `message`. */
  waitFor(message: string): Promise<LogEntry>;
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const waiting: { message: string; latch: Latch<LogEntry> }[] = [];
  const sink = new Writable({
    objectMode: true,
    write(entry: LogEntry, _encoding, callback) {
      entries.push(entry);
      for (const waiter of waiting.filter((candidate) => candidate.message === entry.message)) {
        waiter.latch.release(entry);
      }
      callback();
    },
  });
  const logger = winston.createLogger({
    level: 'silly',
    transports: [new winston.transports.Stream({ stream: sink })],
  });
  return {
    logger,
    entries,
    waitFor(message) {
      const logged = entries.find((entry) => entry.message === message);
      if (logged !== undefined) return Promise.resolve(logged);
      const latch = newLatch<LogEntry>();
      waiting.push({ message, latch });
      return latch.promise;
    },
  };
}
