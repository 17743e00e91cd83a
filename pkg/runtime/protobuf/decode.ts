import { decodeProtobufEnvelope } from '../protobuf_envelope.js';
import { messageToJSON } from './json.js';
import { lookupProtobufKind, SUPPORTED_PROTOBUF_KINDS } from './schema.js';

/** A decoded Kubernetes protobuf body: its type and its object in Kubernetes JSON form. */
export interface DecodedProtobufObject {
  apiVersion: string;
  kind: string;
  /** The object as kube-apiserver's JSON encoding writes it, with kind and apiVersion first. */
  object: Record<string, unknown>;
}

/** The apiVersion and kind to assume when the envelope leaves them empty. */
export interface DefaultTypeMeta {
  apiVersion: string;
  kind: string;
}

/**
 * The error for a well-formed body whose kind has no schema here. Callers respond with 415
 * Unsupported Media Type, because the server accepts the same object as JSON or YAML.
 */
export class UnsupportedProtobufKindError extends Error {
  readonly apiVersion: string;
  readonly kind: string;
  /** Every decodable kind as "<apiVersion> <kind>". */
  readonly supportedKinds: readonly string[];

  constructor(apiVersion: string, kind: string) {
    const type = `${apiVersion} ${kind}`.trim();
    const subject = type === '' ? 'an object without apiVersion and kind' : type;
    super(
      `the protobuf encoding of ${subject} is not supported: send it as application/json or ` +
        `application/yaml instead. Kinds with protobuf support: ` +
        SUPPORTED_PROTOBUF_KINDS.join(', '),
    );
    this.name = 'UnsupportedProtobufKindError';
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.supportedKinds = SUPPORTED_PROTOBUF_KINDS;
  }
}

/**
 * Decodes a Kubernetes protobuf body (Content-Type application/vnd.kubernetes.protobuf): the
 * `k8s\0` envelope, then the object's own bytes by the schema of its kind, into the JSON object
 * kube-apiserver's JSON encoding gives for it. Unknown field numbers are skipped.
 * @param defaults the type to assume when the envelope's apiVersion or kind is empty, as
 *   kube-apiserver assumes the type of the request's URL; without it they stay empty.
 * @throws UnsupportedProtobufKindError for a kind that has no schema here.
 * @throws Error for a body without the magic prefix, for bytes that are not valid protobuf, and
 *   for a value with no JSON form (listed at messageToJSON). The message names the problem.
 */
export function decodeKubernetesProtobuf(
  body: Buffer,
  defaults?: DefaultTypeMeta,
): DecodedProtobufObject {
  const envelope = decodeEnvelope(body);
  const apiVersion =
    envelope.apiVersion === '' ? (defaults?.apiVersion ?? '') : envelope.apiVersion;
  const kind = envelope.kind === '' ? (defaults?.kind ?? '') : envelope.kind;
  const schema = lookupProtobufKind(apiVersion, kind);
  if (schema === undefined) throw new UnsupportedProtobufKindError(apiVersion, kind);
  let decoded;
  try {
    decoded = schema.type.decode(envelope.raw);
  } catch (cause) {
    const reason = (cause as Error).message;
    throw new Error(`invalid ${apiVersion} ${kind} bytes: ${reason}`, { cause });
  }
  const fields = messageToJSON(schema.type, decoded);
  return { apiVersion, kind, object: { kind, apiVersion, ...fields } };
}

function decodeEnvelope(body: Buffer): ReturnType<typeof decodeProtobufEnvelope> {
  try {
    return decodeProtobufEnvelope(body);
  } catch (cause) {
    const reason = (cause as Error).message;
    // The envelope's own check names the missing prefix already, but protobufjs errors do not
    // say which message failed.
    if (reason.startsWith('provided data')) throw cause;
    throw new Error(`invalid runtime.Unknown envelope: ${reason}`, { cause });
  }
}
