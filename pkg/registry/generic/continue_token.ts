import { newBadRequest } from '../../apiserver/errors/statuserror.js';

/**
 * Encodes a list continuation the way kube-apiserver does: base64 of a small JSON document with
 * the revision the list was read at and the key to start after. Clients treat it as opaque.
 */
export function encodeContinue(revision: number, lastKey: string): string {
  const token = JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start: lastKey });
  return Buffer.from(token, 'utf8').toString('base64url');
}

/**
 * Decodes a continuation token.
 * @throws StatusError 400 when the token was not made by encodeContinue.
 */
export function decodeContinue(token: string): { revision: number; lastKey: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (
      parsed.v === 'meta.k8s.io/v1' &&
      typeof parsed.rv === 'number' &&
      typeof parsed.start === 'string'
    ) {
      return { revision: parsed.rv, lastKey: parsed.start };
    }
  } catch {
    // Reported below with the same message as a well-formed token of another shape.
  }
  throw newBadRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}
