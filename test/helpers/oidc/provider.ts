import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTCPServer } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';
import {
  generateCA,
  generateServingCert,
  type CertificateKeyPair,
} from '../../../cmd/apiserver/app/bootstrap/pki.js';
import { CLAIMS_SCOPE, CLIENT_SECRET, REDIRECT_URI, obtainIDToken } from './login.js';
import { memoryAdapterFactory } from './memory_adapter.js';

/** The client ID that kube-apiserver is configured with in the tests. */
export const KUBERNETES_CLIENT_ID = 'kubernetes';

/** A second registered client, whose tokens carry the wrong audience for the API server. */
export const OTHER_CLIENT_ID = 'other-client';

/** Lifetime in seconds of the ID tokens and of every other artifact of the test issuer. */
export const TOKEN_TTL_SECONDS = 600;

/** The CA and serving certificate of a test issuer on 127.0.0.1. */
export interface IssuerTLS {
  readonly caPEM: string;
  readonly serving: CertificateKeyPair;
}

/** How to start a test issuer. */
export interface OIDCProviderOptions {
  /** Claims of each account by account ID. The `sub` claim is always the account ID. */
  readonly accounts: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Port on 127.0.0.1. Defaults to 0, a free port. */
  readonly port?: number;
  /** Certificates to serve. By default a new CA and certificate are generated. */
  readonly tls?: IssuerTLS;
  /**
   * ID token lifetimes in seconds by account ID, for tokens that must expire during a test.
   * Other accounts get TOKEN_TTL_SECONDS.
   */
  readonly idTokenTTLSeconds?: Readonly<Record<string, number>>;
}

/** A running oidc-provider on https://127.0.0.1:PORT. */
export interface OIDCProviderFixture {
  /** The issuer URL, `https://127.0.0.1:PORT` without a trailing slash. */
  readonly issuer: string;
  /** PEM CA that signed the serving certificate. */
  readonly caPEM: string;
  /** Logs an account in through the authorization code flow and returns its ID token. */
  login(accountId: string, clientID?: string): Promise<string>;
  /** Signs a token for this issuer with a new RSA key whose kid is not in the issuer's JWKS. */
  signWithUnknownKey(claims: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

/** Generates a CA and a serving certificate for 127.0.0.1. */
export function generateIssuerTLS(): IssuerTLS {
  const ca = generateCA('oidc-test-ca');
  const serving = generateServingCert(ca, { dnsNames: [], ips: ['127.0.0.1'] });
  return { caPEM: ca.certPem, serving };
}

/**
 * Returns a port on 127.0.0.1 that was free a moment ago, for an issuer that must be configured
 * before it starts. Another process may take it in between, which is unlikely in a test run.
 */
export async function reserveFreePort(): Promise<number> {
  const server = createTCPServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function newSigningJWK(kid: string): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
  });
}

function newProvider(issuer: string, options: OIDCProviderOptions, jwk: Record<string, unknown>) {
  const claimNames = new Set(Object.values(options.accounts).flatMap((c) => Object.keys(c)));
  const client = (clientID: string) => ({
    client_id: clientID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  return new Provider(issuer, {
    adapter: memoryAdapterFactory(),
    clients: [client(KUBERNETES_CLIENT_ID), client(OTHER_CLIENT_ID)],
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = options.accounts[sub];
      if (claims === undefined) return undefined;
      return { accountId: sub, claims: () => Promise.resolve({ ...claims, sub }) };
    },
    scopes: ['openid', CLAIMS_SCOPE],
    claims: { openid: ['sub'], [CLAIMS_SCOPE]: [...claimNames] },
    // Puts the scope's claims into the ID token of the code flow, not only into userinfo.
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: { keys: [jwk] },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: TOKEN_TTL_SECONDS,
      AuthorizationCode: TOKEN_TTL_SECONDS,
      Grant: TOKEN_TTL_SECONDS,
      IdToken: (ctx: { oidc: { account?: { accountId: string } } }) =>
        options.idTokenTTLSeconds?.[ctx.oidc.account?.accountId ?? ''] ?? TOKEN_TTL_SECONDS,
      Interaction: TOKEN_TTL_SECONDS,
      Session: TOKEN_TTL_SECONDS,
    },
  });
}

/**
 * Finishes an interaction as the posted account, with consent to the requested scopes. It replaces
 * a login page: POST /interaction/<uid>/login with the form field `login`.
 */
async function finishLogin(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const accountId = (await readForm(req)).get('login') ?? '';
  const details = await provider.interactionDetails(req, res);
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

/**
 * Starts the real oidc-provider behind node:https on 127.0.0.1. The provider serves discovery,
 * JWKS, authorization and token endpoints, and the fixture adds only the login route.
 */
export async function startOIDCProvider(
  options: OIDCProviderOptions,
): Promise<OIDCProviderFixture> {
  const tls = options.tls ?? generateIssuerTLS();
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server: Server = createServer(
    { key: tls.serving.keyPem, cert: tls.serving.certPem },
    (req, res) => handle(req, res),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `https://127.0.0.1:${port}`;

  const provider = newProvider(issuer, options, await newSigningJWK('test-signing-key'));
  const providerHandler = provider.callback();
  handle = (req, res) => {
    if (req.method === 'POST' && /^\/interaction\/[^/]+\/login$/.test(req.url ?? '')) {
      finishLogin(provider, req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    providerHandler(req, res);
  };

  return {
    issuer,
    caPEM: tls.caPEM,
    login: (accountId, clientID = KUBERNETES_CLIENT_ID) =>
      obtainIDToken({ issuer, caPEM: tls.caPEM }, accountId, clientID),
    async signWithUnknownKey(claims) {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'kid-not-in-jwks' })
        .setIssuer(issuer)
        .setAudience(KUBERNETES_CLIENT_ID)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
        .sign(privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
