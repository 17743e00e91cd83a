import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { Http2SecureServer, Http2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type winston from 'winston';

/** Either kind of server this project listens with. */
export type ListeningServer = HttpServer | Http2SecureServer;

/** Options of a RunningServer. */
export interface RunServerOptions {
  /** Creates a new server object; called again for each retry after a serve error. */
  createServer: () => ListeningServer;
  bindAddress: string;
  port: number;
  logger: winston.Logger;
  /** Wait between a serve error and the next listen, in milliseconds. */
  retryIntervalMs: number;
}

/** Formats host and port as one address, bracketing IPv6 hosts. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * One listening port, run as kube-apiserver's RunServer runs it. The first listen happens before
 * start() returns and its failure is thrown to the caller, so a taken port stops the start.
 * A serve error after that is logged, and the port is opened again after the retry interval
 * until stop(). stop() stops accepting connections, lets in-flight requests finish within the
 * grace period, then closes whatever is left.
 */
export class RunningServer {
  private server: ListeningServer | undefined;
  /** Connections as requests see them: TLS sockets on a TLS server, plain ones otherwise. */
  private readonly sockets = new Set<Socket>();
  /** Every TCP connection, including TLS ones still in their handshake. */
  private readonly rawSockets = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();
  /** In-flight HTTP/1.1 requests by connection, so stop() can close the idle ones. */
  private readonly activeRequests = new Map<Socket, number>();
  /** In-flight HTTP/2 requests; their sessions are closed gracefully by stop() instead. */
  private http2Requests = 0;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private boundPort: number;

  constructor(private readonly options: RunServerOptions) {
    this.boundPort = options.port;
  }

  /** The address and port the server listens on (the real port when 0 was asked for). */
  get address(): string {
    return formatAddress(this.options.bindAddress, this.boundPort);
  }

  get port(): number {
    return this.boundPort;
  }

  /**
   * Listens once.
   * @throws Error naming the address when the port is taken or the address is not available.
   */
  async start(): Promise<void> {
    await this.listen(this.options.port);
  }

  /**
   * Counts an HTTP/1.1 request on its connection until its response closes, so stop() can tell
   * which connections are idle.
   */
  trackRequest(socket: Socket, response: NodeJS.EventEmitter): void {
    this.activeRequests.set(socket, (this.activeRequests.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const left = (this.activeRequests.get(socket) ?? 1) - 1;
      if (left > 0) this.activeRequests.set(socket, left);
      else this.activeRequests.delete(socket);
      // A keep-alive connection that goes idle during shutdown is closed at once.
      if (this.stopping && left <= 0) socket.end();
    });
  }

  /**
   * Counts an HTTP/2 request until its response closes. Its socket is not touched: an HTTP/2
   * session may already have released it by then.
   */
  trackHTTP2Request(response: NodeJS.EventEmitter): void {
    this.http2Requests++;
    response.once('close', () => this.http2Requests--);
  }

  /** Number of requests being served right now. */
  get inFlight(): number {
    let total = this.http2Requests;
    for (const count of this.activeRequests.values()) total += count;
    return total;
  }

  /**
   * Stops accepting connections and waits up to `gracePeriodMs` for in-flight requests to finish,
   * then destroys the connections that are left.
   */
  async stop(gracePeriodMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    const server = this.server;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of this.sessions) session.close();
    for (const socket of this.sockets) {
      if (!this.activeRequests.has(socket) && !this.isHTTP2Socket(socket)) socket.end();
    }
    const timer = setTimeout(() => this.destroyAll(), gracePeriodMs);
    try {
      await closed;
    } finally {
      clearTimeout(timer);
    }
    this.options.logger.info('stopped listening', { address: this.address });
  }

  private isHTTP2Socket(socket: Socket): boolean {
    return (socket as Socket & { alpnProtocol?: string | false }).alpnProtocol === 'h2';
  }

  private destroyAll(): void {
    const left = this.rawSockets.size;
    if (left > 0) {
      this.options.logger.warn('grace period over, closing connections', {
        address: this.address,
        connections: left,
      });
    }
    for (const session of this.sessions) session.destroy();
    for (const socket of this.rawSockets) socket.destroy();
  }

  private async listen(port: number): Promise<void> {
    const server = this.options.createServer();
    this.watch(server);
    server.listen(port, this.options.bindAddress);
    try {
      await once(server, 'listening');
    } catch (err) {
      const address = formatAddress(this.options.bindAddress, port);
      throw new Error(`failed to listen on ${address}: ${(err as Error).message}`, { cause: err });
    }
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    this.options.logger.info('listening', { address: this.address });
    server.on('error', (err: Error) => this.onServeError(server, err));
  }

  private watch(server: ListeningServer): void {
    const isTLS = 'setSecureContext' in server;
    const track = (socket: Socket): void => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.activeRequests.delete(socket);
      });
    };
    server.on('connection', (socket: Socket) => {
      this.rawSockets.add(socket);
      socket.once('close', () => this.rawSockets.delete(socket));
      if (!isTLS) track(socket);
    });
    if (isTLS) server.on('secureConnection', track);
    server.on('session', (session: Http2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
  }

  /** Logs a serve error, closes the broken server and listens again after the retry interval. */
  private onServeError(server: ListeningServer, err: Error): void {
    if (this.stopping) return;
    this.options.logger.error('stopped listening due to an error', { address: this.address, err });
    server.close();
    this.server = undefined;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopping) return;
    const { retryIntervalMs, logger } = this.options;
    this.retryTimer = setTimeout(() => {
      if (this.stopping) return;
      logger.info('listening again after a serve error', { address: this.address });
      this.listen(this.boundPort).catch((err: unknown) => {
        logger.error('listening again failed, will retry', {
          address: this.address,
          retryIntervalMs,
          err,
        });
        this.scheduleRetry();
      });
    }, retryIntervalMs);
  }
}
