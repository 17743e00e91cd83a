import { goJSONKind } from '../../apis/schema/go_names.js';
import { failureStatus, newBadRequest, StatusError } from '../../apiserver/errors/statuserror.js';

/**
 * 422 Invalid for a patch that is well-formed but cannot be applied, such as a JSON patch `test`
 * that fails or a path that does not exist. kube-apiserver (k8s.io/apiserver
 * endpoints/handlers/patch.go) builds it with NewGenericServerResponse, which keeps only a fixed
 * message and empty details, so clients never see why. `reason`, wrapping `cause` when given, is
 * kept as the error's `cause` for the log.
 */
export function newPatchNotApplied(reason: string, cause?: unknown): StatusError {
  const error = new StatusError(
    failureStatus(
      422,
      'Invalid',
      'the server rejected our request due to an error in our request',
      {},
    ),
  );
  error.cause = cause === undefined ? new Error(reason) : new Error(reason, { cause });
  return error;
}

/**
 * 422 Invalid for a patched object that cannot be decoded into its kind, the error
 * kube-apiserver returns when a patch result has unknown fields under `fieldValidation=Strict`
 * or values of the wrong type. `badValue` is the patch map for a strategic merge patch
 * (formatted with formatGoValue from go_format.ts) or the patched JSON for the other types.
 * `detail` is the decoder's message, such as `strict decoding error: unknown field "spec.bogus"`.
 */
export function newInvalidPatch(badValue: string, detail: string): StatusError {
  // field.Invalid(field.NewPath("patch"), value, detail) wrapped by NewInvalid with an empty
  // GroupKind and name, which is why the message starts with ` "" is invalid`.
  const body = `Invalid value: ${JSON.stringify(badValue)}: ${detail}`;
  return new StatusError(
    failureStatus(422, 'Invalid', ` "" is invalid: patch: ${body}`, {
      causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }],
    }),
  );
}

/**
 * 400 BadRequest for a strategic merge patch that is malformed: a bad directive, a list element
 * without its merge key, mixed element types. Differs from kube-apiserver: it returns most of
 * these as 500 with an empty reason, because the strategicpatch package's errors are not Status
 * errors and only a few are mapped to 400 or 422. A malformed patch is the client's mistake,
 * and 5xx bodies here stay generic, so the message is sent as a 400 in the same words.
 */
export function newMalformedPatch(message: string): StatusError {
  return newBadRequest(message);
}

/**
 * Decodes a request body as JSON.
 *
 * NOTE: a syntax error reaches the client in V8's wording (`Unexpected token ...`), where
 * kube-apiserver words it as Go's encoding/json does (`invalid character ...`).
 *
 * @throws StatusError 400 BadRequest when the body is not valid JSON, with the parser's message
 * or `fixedMessage` when given.
 */
export function parseJSONBody(
  body: string | Uint8Array,
  options: { fixedMessage?: string } = {},
): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const parserMessage = cause instanceof Error ? cause.message : String(cause);
    const error = newBadRequest(options.fixedMessage ?? parserMessage);
    error.cause = cause;
    throw error;
  }
}

/** Returns Go's UnmarshalTypeError message for a JSON value decoded into the wrong Go type. */
export function unmarshalTypeMessage(value: unknown, goType: string): string {
  return `json: cannot unmarshal ${goJSONKind(value)} into Go value of type ${goType}`;
}
