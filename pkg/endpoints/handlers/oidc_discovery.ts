import type { Context } from 'koa';
import type { OpenIDMetadata } from '../../serviceaccount/openidmetadata.js';

/** The media type of a JSON Web Key Set, from RFC 7517 §8.5.1. */
export const JWKS_MEDIA_TYPE = 'application/jwk-set+json';

/**
 * How long clients may cache both documents: one hour, the max-age kube-apiserver 1.32 sends
 * for static keys.
 */
export const DISCOVERY_MAX_AGE_SECONDS = 3600;

/** The two discovery handlers. */
export interface OIDCDiscoveryHandlers {
  /** GET /.well-known/openid-configuration */
  serveConfiguration(ctx: Context): void;
  /** GET /openid/v1/jwks */
  serveKeySet(ctx: Context): void;
}

function serveDocument(ctx: Context, contentType: string, body: string): void {
  ctx.status = 200;
  ctx.set('Content-Type', contentType);
  ctx.set('Cache-Control', `public, max-age=${DISCOVERY_MAX_AGE_SECONDS}`);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = body;
}

/**
 * Builds the handlers of service account issuer discovery. The bodies are rendered once, as
 * kube-apiserver renders them when its keys are loaded; build the metadata with
 * buildOpenIDMetadata. Both are served compact, with no trailing newline, as
 * kube-apiserver writes the pre-rendered bytes.
 */
export function createOIDCDiscoveryHandlers(metadata: OpenIDMetadata): OIDCDiscoveryHandlers {
  const configuration = JSON.stringify(metadata.configuration);
  const keySet = JSON.stringify(metadata.keySet);
  return {
    serveConfiguration(ctx) {
      serveDocument(ctx, 'application/json', configuration);
    },
    serveKeySet(ctx) {
      serveDocument(ctx, JWKS_MEDIA_TYPE, keySet);
    },
  };
}
