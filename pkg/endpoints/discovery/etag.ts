import { createHash } from 'node:crypto';

/**
 * Computes the entity tag kube-apiserver uses for discovery and OpenAPI documents: the SHA-512
 * of the serialized document in upper-case hex, without the surrounding quotes an ETag header
 * carries (apiserver's discovery/aggregated/etag.go, kube-openapi's handler3).
 */
export function computeETag(serialized: string): string {
  return createHash('sha512').update(serialized).digest('hex').toUpperCase();
}
