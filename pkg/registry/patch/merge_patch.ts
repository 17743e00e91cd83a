import { isJSONObject, setJSONField } from '../../apis/schema/models.js';
import { newBadRequest } from '../../apiserver/errors/statuserror.js';
import { parseJSONBody } from './errors.js';

const INVALID_JSON_PATCH = 'Invalid JSON Patch';

/**
 * Applies a JSON merge patch (`application/merge-patch+json`, RFC 7386) to a copy of `original`
 * and returns the result: objects merge recursively, `null` deletes a member, and anything else,
 * lists included, replaces the target whole.
 *
 * @throws StatusError 400 BadRequest `Invalid JSON Patch` (json-patch.v4's ErrBadJSONPatch, as
 * kube-apiserver returns it) when the body is not JSON or is `null`, a string, a number or
 * a boolean.
 */
export function applyMergePatch(original: unknown, body: string | Uint8Array): unknown {
  const patch = parseJSONBody(body, { fixedMessage: INVALID_JSON_PATCH });
  if (patch === null || typeof patch !== 'object') throw newBadRequest(INVALID_JSON_PATCH);
  return mergePatch(structuredClone(original), patch);
}

/**
 * Merges an RFC 7386 patch into a target without changing either, and returns the merged value,
 * which shares the members the patch leaves alone with `target`.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJSONObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isJSONObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else
      setJSONField(
        result,
        key,
        mergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value),
      );
  }
  return result;
}
