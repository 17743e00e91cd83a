import {
  createServer as createHTTPServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { constants } from 'node:crypto';
import Koa from 'koa';
import type winston from 'winston';
import { buildAPIHandler } from '../../endpoints/api_handler.js';
import { newRESTDependencies } from '../../endpoints/handlers/rest/dependencies.js';
import { insecureSuperuserAuthenticator } from '../../../plugin/auth/authenticator/request/insecure/insecure_superuser.js';
import {
  buildInsecureHandlerChain,
  defaultBuildHandlerChain,
  newSharedFilters,
  type ChainFilter,
} from '../handler_chain.js';
import { pingCheck, shutdownCheck } from '../healthz/healthz.js';
import type { Config } from './config.js';
import { RunningServer } from './serve.js';
import { sniCallback } from './tls.js';

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

/** Go's http.DefaultMaxHeaderBytes: 1 MiB. */
const MAX_HEADER_BYTES = 1 << 20;
/**
 * Header fields per HTTP/2 request. Node counts each field as its name and value plus 32 bytes
 * against maxHeaderListSize, as RFC 7541 sizes a table entry. No request within MAX_HEADER_BYTES
 * can have more fields than this, so the size limit is the only one that binds.
 */
const MAX_HEADER_FIELDS = MAX_HEADER_BYTES / 32;

/**
 * Removes the HTTP/1.1 header count limit (server.maxHeadersCount), beyond which Node drops
 * header lines without an error. With the default, Node 20 keeps only about the first 1,000 lines. Go's net/http limits only the total
 * size, so kube-apiserver reads every Impersonate-Group line however many there are. A value of 0
 * means no limit. The HTTP/2 server with allowHTTP1 hands HTTP/1.1 connections to the same
 * parser, which reads the property from whichever server it is set on.
 */
function removeHeaderCountLimit(server: object): void {
  // Http2SecureServer has no typed maxHeadersCount, although its HTTP/1.1 connections use it.
  Object.assign(server, { maxHeadersCount: 0 });
}

/**
 * The API server: the secure port (HTTPS, HTTP/2 and HTTP/1.1 by ALPN) served through
 * DefaultBuildHandlerChain, and optionally the insecure port served through the insecure chain.
 */
export class GenericAPIServer {
  /** The secure chain in request order, for logs, docs and tests. */
  readonly secureChain: ChainFilter[];
  readonly insecureChain: ChainFilter[] | undefined;
  private readonly secure: RunningServer;
  private readonly insecure: RunningServer | undefined;
  private readonly logger: winston.Logger;
  private shuttingDown = false;
  /** Aborted by stop(), which ends every watch. */
  private readonly stopController = new AbortController();

  constructor(private readonly config: Config) {
    this.logger = config.logger.child({ component: 'apiserver' });
    const apiHandler = buildAPIHandler({
      registry: config.registry,
      resources: config.resources,
      serviceAccount: config.serviceAccount,
      apiAudiences: config.apiAudiences,
      tokenAuthenticator: config.tokenAuthenticator,
      authorizer: config.authorizer,
      ruleResolver: config.ruleResolver,
      basicAuthEnabled: config.basicAuthEnabled,
      rest: newRESTDependencies({
        minRequestTimeoutSeconds: config.minRequestTimeoutSeconds,
        stop: this.stopController.signal,
        deleteNamespaceContents: (namespace) => config.resources.deleteNamespaceContents(namespace),
        logger: config.logger.child({ component: 'rest' }),
        admission: config.admission,
      }),
      healthChecks: {
        healthz: [pingCheck],
        livez: [pingCheck],
        readyz: [pingCheck, shutdownCheck(() => this.shuttingDown)],
      },
      logger: config.logger.child({ component: 'api' }),
    });
    const shared = newSharedFilters(config);
    this.secureChain = defaultBuildHandlerChain(config, shared);
    const secureApp = this.buildApp(this.secureChain, apiHandler);
    this.secure = new RunningServer({
      createServer: () => this.createSecureServer(secureApp),
      bindAddress: config.secureServing.bindAddress,
      port: config.secureServing.port,
      logger: this.logger.child({ port: 'secure' }),
      retryIntervalMs: config.listenRetryIntervalMs,
    });

    const insecureServing = config.insecureServing;
    if (insecureServing !== undefined) {
      this.insecureChain = buildInsecureHandlerChain(
        config,
        shared,
        insecureSuperuserAuthenticator(),
      );
      const insecureApp = this.buildApp(this.insecureChain, apiHandler);
      this.insecure = new RunningServer({
        createServer: () => {
          const server = createHTTPServer(
            { maxHeaderSize: MAX_HEADER_BYTES },
            this.track(() => this.insecure, insecureApp),
          );
          removeHeaderCountLimit(server);
          return server;
        },
        bindAddress: insecureServing.bindAddress,
        port: insecureServing.port,
        logger: this.logger.child({ port: 'insecure' }),
        retryIntervalMs: config.listenRetryIntervalMs,
      });
    }
  }

  /** The secure port actually bound, useful when 0 was asked for. */
  get securePort(): number {
    return this.secure.port;
  }

  get insecurePort(): number | undefined {
    return this.insecure?.port;
  }

  /** True from the start of stop() on; /readyz fails from then. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Listens on every port.
   * @throws Error naming the address when a port cannot be bound; nothing is left listening.
   */
  async start(): Promise<void> {
    await this.secure.start();
    try {
      await this.insecure?.start();
    } catch (err) {
      await this.secure.stop(0);
      throw err;
    }
  }

  /** Stops accepting requests, waits for in-flight ones within the grace period, closes the audit log. */
  async stop(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const grace = this.config.shutdownGracePeriodMs;
    this.logger.info('shutting down', { inFlight: this.secure.inFlight, gracePeriodMs: grace });
    this.stopController.abort();
    await Promise.all([this.secure.stop(grace), this.insecure?.stop(grace)]);
    await this.config.auditBackend?.shutdown();
  }

  private buildApp(chain: ChainFilter[], apiHandler: Koa.Middleware): Koa {
    const app = new Koa();
    for (const filter of chain) app.use(filter.middleware);
    app.use(apiHandler);
    // Errors reach panic recovery first; this only sees failures while writing a response.
    app.on('error', (err: Error) => this.logger.error('unable to write the response', { err }));
    return app;
  }

  /** Wraps a Koa app so the running server counts each request on its connection. */
  private track(
    running: () => RunningServer | undefined,
    app: Koa,
  ): (req: AnyRequest, res: AnyResponse) => void {
    const callback: (req: AnyRequest, res: AnyResponse) => Promise<void> = app.callback();
    return (req, res) => {
      if ('stream' in req) running()?.trackHTTP2Request(res);
      else running()?.trackRequest(req.socket, res);
      void callback(req, res);
    };
  }

  private createSecureServer(app: Koa) {
    const serving = this.config.secureServing;
    const server = createSecureServer(
      {
        allowHTTP1: true,
        ALPNProtocols: ['h2', 'http/1.1'],
        // Header limits as Go's net/http, which kube-apiserver uses: 1 MiB of headers, however
        // many fields (kubectl sends one Impersonate-Group line per group). HTTP/1.1 gets the
        // same limits below.
        maxHeaderListPairs: MAX_HEADER_FIELDS,
        settings: { maxHeaderListSize: MAX_HEADER_BYTES },
        cert: serving.certPem,
        key: serving.keyPem,
        minVersion: serving.minVersion,
        // Client certificates are requested but optional: the x509 authenticator checks them, and
        // requests without one go on to the other authenticators.
        requestCert: true,
        rejectUnauthorized: false,
        // The x509 authenticator reads the client certificate once per connection, which is only
        // sound if a TLS 1.2 client cannot renegotiate a different certificate later.
        secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
        ca: serving.clientCAPem,
        SNICallback:
          serving.sniCertificates.length > 0 ? sniCallback(serving.sniCertificates) : undefined,
      },
      this.track(() => this.secure, app),
    );
    removeHeaderCountLimit(server);
    // Node's HTTP/1.1 parser for allowHTTP1 connections reads maxHeaderSize from this server as
    // from an http.Server, although createSecureServer takes no such option. Without it, HTTP/1.1
    // requests get Node's 16 KiB limit and a 431 response.
    Object.assign(server, { maxHeaderSize: MAX_HEADER_BYTES });
    server.on('sessionError', (err: Error) => this.logger.debug('HTTP/2 session error', { err }));
    server.on('tlsClientError', (err: Error) => this.logger.debug('TLS handshake failed', { err }));
    return server;
  }
}
