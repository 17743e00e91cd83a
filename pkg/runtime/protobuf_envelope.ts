import protobuf from 'protobufjs';

/** Every Kubernetes protobuf body starts with these four bytes. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The media type of Kubernetes' protobuf encoding. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/**
 * The envelope of a Kubernetes protobuf body (runtime.Unknown in k8s.io/apimachinery): the
 * object's apiVersion and kind, and its own protobuf encoding in `raw`.
 */
const ENVELOPE_SCHEMA = `
syntax = "proto2";
message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}
message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

const unknownType = protobuf.parse(ENVELOPE_SCHEMA).root.lookupType('Unknown');

/** A decoded envelope. */
export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

/**
 * Decodes the envelope of a Kubernetes protobuf body.
 * @throws Error when the magic prefix is missing or the bytes are not a valid envelope.
 */
export function decodeProtobufEnvelope(body: Buffer): ProtobufEnvelope {
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, 4).equals(PROTOBUF_MAGIC)) {
    throw new Error(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  }
  const message = unknownType.decode(body.subarray(PROTOBUF_MAGIC.length));
  const fields = unknownType.toObject(message, { defaults: true, bytes: Array }) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: number[];
  };
  return {
    apiVersion: fields.typeMeta?.apiVersion ?? '',
    kind: fields.typeMeta?.kind ?? '',
    raw: Uint8Array.from(fields.raw ?? []),
  };
}
