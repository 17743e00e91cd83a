import {
  failureStatus,
  newBadRequest,
  StatusError,
} from '../../../apiserver/errors/statuserror.js';
import { newInvalidPatch } from '../../../registry/patch/errors.js';
import type { StoredObject } from '../../../storage/interfaces.js';
import { decodeBody, readBody, type DecodedBody } from '../body.js';
import { PROTOBUF_MEDIA_TYPE } from '../../../runtime/protobuf_envelope.js';
import {
  decodeKubernetesProtobuf,
  UnsupportedProtobufKindError,
} from '../../../runtime/protobuf/decode.js';
import type { RequestScope } from './scope.js';

/** ?fieldValidation=: what to do with fields the kind does not have. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * Parses ?fieldValidation=. kube-apiserver defaults to Warn when the parameter is absent.
 * @throws StatusError 400 for another value.
 */
export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw newBadRequest(
    `fieldValidation parameter unsupported: ${value}. Supported values are: Ignore, Warn, Strict`,
  );
}

/**
 * Parses ?dryRun=: only `All` is defined.
 * @throws StatusError 400 for another value.
 */
export function parseDryRun(values: string[]): boolean {
  if (values.length === 0) return false;
  for (const value of values) {
    if (value !== 'All') {
      throw newBadRequest(
        `Invalid dry run value: ${JSON.stringify(value)}; supported values are: [All]`,
      );
    }
  }
  return true;
}

function groupVersionOf(scope: RequestScope): string {
  const { group, version } = scope.store.definition;
  return group === '' ? version : `${group}/${version}`;
}

/** Adds a `Warning: 299 - "<text>"` header, as kube-apiserver reports tolerated problems. */
export function addWarning(scope: RequestScope, text: string): void {
  scope.ctx.append('Warning', `299 - ${JSON.stringify(text)}`);
}

/**
 * Applies ?fieldValidation= to an object: Strict rejects unknown fields with 400, Warn reports
 * them in Warning headers, Ignore drops them silently. In every mode the stored object keeps
 * only known fields, because kube-apiserver decodes into its typed structs.
 * @throws StatusError 400 for unknown fields under Strict, or for values of the wrong type
 */
export function checkFields(
  scope: RequestScope,
  object: StoredObject,
  patch?: { body: string },
): StoredObject {
  const { kind, modelName } = scope.store.definition;
  const version = scope.store.definition.version;
  // A create or update gets 400 for a body that does not decode; a patch whose result does not
  // decode gets kube-apiserver's 422 on the field "patch".
  const reject = (detail: string): StatusError =>
    patch === undefined
      ? newBadRequest(
          `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${detail}`,
        )
      : newInvalidPatch(patch.body, detail);
  const typeErrors = scope.deps.schema.typeErrors(modelName, object);
  if (typeErrors.length > 0) throw reject(typeErrors[0]!.message);
  const mode = parseFieldValidation(scope.query.get('fieldValidation'));
  const unknown = scope.deps.schema.unknownFields(modelName, object);
  if (unknown.length > 0 && mode === 'Strict') {
    const list = unknown.map((path) => `unknown field ${JSON.stringify(path)}`).join(', ');
    throw reject(`strict decoding error: ${list}`);
  }
  if (mode === 'Warn') {
    for (const path of unknown) addWarning(scope, `unknown field ${JSON.stringify(path)}`);
  }
  return unknown.length > 0 ? scope.deps.schema.prune(modelName, object) : object;
}

/**
 * Builds the 415 for a protobuf body of a kind without a protobuf schema here. kube-apiserver
 * decodes every built-in kind, so it never sends this message. The reason is the one it sends
 * for a media type it cannot decode.
 */
function newUnsupportedProtobufKind(err: UnsupportedProtobufKindError): StatusError {
  return new StatusError(failureStatus(415, 'UnsupportedMediaType', err.message));
}

/**
 * Decodes a Kubernetes protobuf body into the object that the same body sent as JSON gives. An
 * envelope without apiVersion or kind takes the URL's, as kube-apiserver does.
 * @throws StatusError 415 for a kind without protobuf support, 400 for bytes that do not decode
 */
function decodeProtobufBody(scope: RequestScope, body: Buffer): DecodedBody {
  try {
    const defaults = { apiVersion: groupVersionOf(scope), kind: scope.store.definition.kind };
    const decoded = decodeKubernetesProtobuf(body, defaults);
    return { ...decoded, raw: undefined };
  } catch (err) {
    if (err instanceof UnsupportedProtobufKindError) throw newUnsupportedProtobufKind(err);
    throw newBadRequest(`unable to decode protobuf body: ${(err as Error).message}`);
  }
}

/**
 * Reads and decodes the body of a create or update: JSON, YAML or Kubernetes protobuf, of this
 * resource's kind and group version (both may be left out and default to the URL's).
 * @throws StatusError 400, 413 or 415
 */
export async function decodeObject(scope: RequestScope): Promise<StoredObject> {
  const contentType = scope.ctx.get('Content-Type');
  const body = await readBody(scope.ctx);
  const isProtobuf = contentType.split(';')[0]?.trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
  const decoded = isProtobuf ? decodeProtobufBody(scope, body) : decodeBody(contentType, body);
  const object = decoded.object!;
  const expectedVersion = groupVersionOf(scope);
  const { kind } = scope.store.definition;
  if (decoded.apiVersion !== '' && decoded.apiVersion !== expectedVersion) {
    throw newBadRequest(
      `the API version in the data (${decoded.apiVersion}) does not match the expected API version (${expectedVersion})`,
    );
  }
  if (decoded.kind !== '' && decoded.kind !== kind) {
    throw newBadRequest(
      `${decoded.kind} in version ${JSON.stringify(scope.store.definition.version)} cannot be handled as a ${kind}: no kind "${decoded.kind}" is registered for the resource "${scope.store.definition.plural}"`,
    );
  }
  const metadata = object.metadata;
  if (metadata === undefined || metadata === null) object.metadata = {};
  else if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw newBadRequest(
      `${kind} in version ${JSON.stringify(scope.store.definition.version)} cannot be handled as a ${kind}: json: cannot unmarshal ${Array.isArray(metadata) ? 'array' : typeof metadata} into Go struct field ${kind}.metadata of type v1.ObjectMeta`,
    );
  }
  return checkFields(scope, object as StoredObject);
}
