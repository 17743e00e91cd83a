import { goModelName } from '../../apis/schema/go_names.js';
import { isJSONObject, requireModelSchema } from '../../apis/schema/models.js';
import { newUnsupportedMediaType } from '../../apiserver/errors/statuserror.js';
import { newInvalidPatch, unmarshalTypeMessage } from './errors.js';
import { applyJSONPatch } from './json_patch.js';
import { applyMergePatch } from './merge_patch.js';
import { applyStrategicMergePatch } from './strategic_merge_patch.js';

/** The patch media types, as k8s.io/apimachinery/pkg/types names them. */
export const JSONPatchType = 'application/json-patch+json';
export const MergePatchType = 'application/merge-patch+json';
export const StrategicMergePatchType = 'application/strategic-merge-patch+json';
export const ApplyYAMLPatchType = 'application/apply-patch+yaml';

/**
 * The patch types this server applies, in kube-apiserver's order. Differs from kube-apiserver:
 * server-side apply (`application/apply-patch+yaml`) needs managed fields, which are not kept
 * here, so it is rejected like any unknown patch type.
 */
export const SUPPORTED_PATCH_TYPES: readonly string[] = [
  JSONPatchType,
  MergePatchType,
  StrategicMergePatchType,
];

/**
 * Applies a PATCH request body to a copy of `original`, an object of the client-node model
 * `modelName` (such as `V1Pod`), and returns the patched object. `patchType` is the request's
 * Content-Type; parameters such as `; charset=utf-8` are ignored. `original` is not changed.
 *
 * The result is neither pruned nor checked for unknown fields: callers apply `fieldValidation`
 * to it with findUnknownFields and pruneUnknownFields, reporting failures with newInvalidPatch
 * as kube-apiserver does for patches.
 *
 * @throws StatusError 415 UnsupportedMediaType for a type outside SUPPORTED_PATCH_TYPES,
 * server-side apply included. Each patch type documents its 400, 413 and 422 errors, and a
 * result that is not a JSON object is a 422.
 * @throws TypeError when client-node has no model named `modelName`.
 */
export function applyPatch(
  patchType: string,
  original: Record<string, unknown>,
  patchBody: string | Uint8Array,
  modelName: string,
): Record<string, unknown> {
  requireModelSchema(modelName);
  const mediaType = (patchType.split(';', 1)[0] ?? '').trim();
  let result: unknown;
  switch (mediaType) {
    case JSONPatchType:
      result = applyJSONPatch(original, patchBody);
      break;
    case MergePatchType:
      result = applyMergePatch(original, patchBody);
      break;
    case StrategicMergePatchType:
      return applyStrategicMergePatch(original, patchBody, modelName);
    default:
      throw newUnsupportedMediaType([...SUPPORTED_PATCH_TYPES]);
  }
  if (!isJSONObject(result)) {
    // kube-apiserver fails to decode the patched JSON into the kind's Go type.
    throw newInvalidPatch(
      JSON.stringify(result),
      unmarshalTypeMessage(result, goModelName(modelName)),
    );
  }
  return result;
}
