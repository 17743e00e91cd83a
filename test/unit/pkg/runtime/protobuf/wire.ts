import protobuf from 'protobufjs';

/**
 * Builders of protobuf wire bytes by field number, so tests state the numbers themselves rather
 * than take them from the schema under test.
 */

/** One field of a message, written in the order given. */
export type WireField = (writer: protobuf.Writer) => void;

const VARINT = 0;
const LENGTH_DELIMITED = 2;

function tag(fieldNumber: number, wireType: number): number {
  return ((fieldNumber << 3) | wireType) >>> 0;
}

/** Encodes the fields as one message. */
export function encode(...fields: WireField[]): Uint8Array {
  const writer = protobuf.Writer.create();
  for (const field of fields) field(writer);
  return writer.finish();
}

/** Builds a string field. gogo-protobuf writes empty strings too, so tests do as well. */
export function str(fieldNumber: number, value: string): WireField {
  return (writer) => writer.uint32(tag(fieldNumber, LENGTH_DELIMITED)).string(value);
}

/** Builds a bytes field. */
export function bytes(fieldNumber: number, value: Uint8Array): WireField {
  return (writer) => writer.uint32(tag(fieldNumber, LENGTH_DELIMITED)).bytes(value);
}

/** Builds a varint field: int32, int64 (a decimal string beyond 2^53) or bool. */
export function varint(fieldNumber: number, value: number | string | boolean): WireField {
  return (writer) => {
    writer.uint32(tag(fieldNumber, VARINT));
    if (typeof value === 'boolean') writer.bool(value);
    else writer.int64(value);
  };
}

/** Builds a nested message field. */
export function msg(fieldNumber: number, ...fields: WireField[]): WireField {
  return bytes(fieldNumber, encode(...fields));
}

/** Builds one entry of a map<string, string> field. */
export function entry(fieldNumber: number, key: string, value: string): WireField {
  return msg(fieldNumber, str(1, key), str(2, value));
}

/** Builds one entry of a map<string, bytes> field. */
export function bytesEntry(fieldNumber: number, key: string, value: Uint8Array): WireField {
  return msg(fieldNumber, str(1, key), bytes(2, value));
}

/** Builds one entry of a map<string, Quantity> field. */
export function quantityEntry(fieldNumber: number, key: string, quantity: string): WireField {
  return msg(fieldNumber, str(1, key), msg(2, str(1, quantity)));
}

/** Builds a meta/v1 Time field: 1 seconds, 2 nanos. */
export function time(fieldNumber: number, seconds: number, nanos = 0): WireField {
  return msg(fieldNumber, varint(1, seconds), varint(2, nanos));
}

/** Builds an IntOrString field with an integer: 1 type 0, 2 intVal. */
export function intOrInt(fieldNumber: number, value: number): WireField {
  return msg(fieldNumber, varint(1, 0), varint(2, value), str(3, ''));
}

/** Builds an IntOrString field with a string: 1 type 1, 3 strVal. */
export function intOrString(fieldNumber: number, value: string): WireField {
  return msg(fieldNumber, varint(1, 1), varint(2, 0), str(3, value));
}

/** Builds a request body: the `k8s\0` magic, then runtime.Unknown{1 typeMeta, 2 raw}. */
export function body(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = encode(msg(1, str(1, apiVersion), str(2, kind)), bytes(2, raw));
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}
