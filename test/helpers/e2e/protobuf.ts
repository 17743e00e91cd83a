import protobuf from 'protobufjs';

/** The four bytes that start every Kubernetes protobuf body: `k8s` and a zero byte. */
const MAGIC = Buffer.from('k8s\0', 'latin1');

/** Protobuf wire type of length-delimited fields (strings, bytes, messages). */
const LENGTH_DELIMITED = 2;

function tag(fieldNumber: number): number {
  return (fieldNumber << 3) | LENGTH_DELIMITED;
}

/**
 * Encodes an object the way client-go sends it as application/vnd.kubernetes.protobuf: the magic
 * bytes, then a runtime.Unknown whose field 1 is the TypeMeta (apiVersion, kind) and whose
 * field 2 is the object's own encoding.
 */
export function encodeKubernetesProtobuf(
  apiVersion: string,
  kind: string,
  raw: Uint8Array,
): Buffer {
  const typeMeta = protobuf.Writer.create()
    .uint32(tag(1))
    .string(apiVersion)
    .uint32(tag(2))
    .string(kind)
    .finish();
  const unknown = protobuf.Writer.create()
    .uint32(tag(1))
    .bytes(typeMeta)
    .uint32(tag(2))
    .bytes(raw)
    .finish();
  return Buffer.concat([MAGIC, unknown]);
}

/**
 * Encodes a SelfSubjectReview in protobuf whose only field is an empty ObjectMeta (field 1).
 * `kubectl auth whoami` sends the same envelope with an empty status as well.
 */
export function selfSubjectReviewProtobuf(): Buffer {
  const emptyObjectMeta = new Uint8Array(0);
  const raw = protobuf.Writer.create().uint32(tag(1)).bytes(emptyObjectMeta).finish();
  return encodeKubernetesProtobuf('authentication.k8s.io/v1', 'SelfSubjectReview', raw);
}
