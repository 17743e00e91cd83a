import type { Context, Middleware, Next } from 'koa';

/** Headers kube-apiserver's CORS filter sends for an allowed origin. */
const ALLOWED_METHODS = 'POST, GET, OPTIONS, PUT, DELETE, PATCH';
const ALLOWED_HEADERS =
  'Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since';
const EXPOSED_HEADERS = 'Date';

/**
 * Compiles --cors-allowed-origins patterns. Like Go's regexp.MatchString, a pattern matches
 * anywhere in the origin unless it anchors itself with ^ and $.
 * @throws Error naming the flag and the pattern when a pattern is not a valid regular expression.
 */
export function compileAllowedOrigins(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(pattern);
    } catch (err) {
      throw new Error(
        `--cors-allowed-origins: invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  });
}

/** Returns true when an Origin header value matches one of the allowed patterns. */
export function isOriginAllowed(origin: string, allowed: readonly RegExp[]): boolean {
  return allowed.some((pattern) => pattern.test(origin));
}

/**
 * Adds CORS headers for allowed origins and answers their preflight OPTIONS requests with 204,
 * as kube-apiserver's WithCORS does. Requests without an Origin, or from an origin that is not
 * allowed, pass through without CORS headers. Preflights are answered before authentication,
 * because browsers send them without credentials.
 */
export function withCORS(allowed: readonly RegExp[], allowCredentials = 'true'): Middleware {
  return async function cors(ctx: Context, next: Next): Promise<void> {
    const origin = ctx.get('Origin');
    if (origin === '' || !isOriginAllowed(origin, allowed)) {
      await next();
      return;
    }
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    ctx.set('Access-Control-Allow-Credentials', allowCredentials);
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    await next();
  };
}
