import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, sendHTTPS, type HTTPSResult } from './https_client.js';

/** The redirect URI registered for every test client. It is parsed, never requested. */
export const REDIRECT_URI = 'https://127.0.0.1/callback';

/** The secret of every test client, which authenticates with client_secret_basic. */
export const CLIENT_SECRET = 'test-client-secret';

/** The scope that releases the test accounts' claims, next to `openid`. */
export const CLAIMS_SCOPE = 'kube';

/** What the login flow needs to know about the issuer. */
export interface LoginTarget {
  readonly issuer: string;
  /** PEM CA of the issuer's serving certificate. */
  readonly caPEM: string;
}

function base64url(data: Buffer): string {
  return data.toString('base64url');
}

/** Returns the Location of a redirect, resolved against the issuer, or throws with the body. */
function redirectTarget(step: string, result: HTTPSResult, issuer: string): URL {
  if (result.status < 300 || result.status > 399 || result.location === undefined) {
    throw new Error(
      `OIDC login: ${step}: expected a redirect, got ${result.status}: ${result.body.slice(0, 500)}`,
    );
  }
  return new URL(result.location, issuer);
}

/**
 * Logs `accountId` in to the issuer with the authorization code flow and PKCE (RFC 7636), and
 * returns the ID token from the token endpoint. The login page is the fixture's own interaction
 * route, which accepts any known account without a password, so the flow is four requests:
 * authorization request, login, resumed authorization, and code exchange.
 */
export async function obtainIDToken(
  target: LoginTarget,
  accountId: string,
  clientID: string,
): Promise<string> {
  const jar = new CookieJar();
  const send = async (method: 'GET' | 'POST', url: URL, form?: URLSearchParams) => {
    const result = await sendHTTPS({
      method,
      url,
      ca: target.caPEM,
      headers: { cookie: jar.header() },
      form,
    });
    jar.store(result.setCookies);
    return result;
  };

  const verifier = base64url(randomBytes(32));
  const authorize = new URL(`${target.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: clientID,
    response_type: 'code',
    scope: `openid ${CLAIMS_SCOPE}`,
    redirect_uri: REDIRECT_URI,
    state: base64url(randomBytes(8)),
    nonce: base64url(randomBytes(8)),
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString();

  const interaction = redirectTarget('authorize', await send('GET', authorize), target.issuer);
  const loginURL = new URL(`${interaction.pathname}/login`, target.issuer);
  const login = await send('POST', loginURL, new URLSearchParams({ login: accountId }));
  const resume = redirectTarget('login', login, target.issuer);
  const callback = redirectTarget('resume', await send('GET', resume), target.issuer);
  const code = callback.searchParams.get('code');
  if (code === null) {
    throw new Error(`OIDC login: the callback carries no code: ${callback.search}`);
  }

  const basic = Buffer.from(`${clientID}:${CLIENT_SECRET}`).toString('base64');
  const token = await sendHTTPS({
    method: 'POST',
    url: new URL(`${target.issuer}/token`),
    ca: target.caPEM,
    headers: { authorization: `Basic ${basic}` },
    form: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  });
  if (token.status !== 200) {
    throw new Error(`OIDC login: token endpoint returned ${token.status}: ${token.body}`);
  }
  const { id_token: idToken } = JSON.parse(token.body) as { id_token?: unknown };
  if (typeof idToken !== 'string')
    throw new Error('OIDC login: the token response has no id_token');
  return idToken;
}
