import { expect } from 'chai';
import protobuf from 'protobufjs';
import {
  PROTOBUF_MAGIC,
  PROTOBUF_MEDIA_TYPE,
  decodeProtobufEnvelope,
} from '../../../../pkg/runtime/protobuf_envelope.js';

const MAGIC = Buffer.from('k8s\0', 'latin1');

/** Protobuf wire types. */
const VARINT = 0;
const LENGTH_DELIMITED = 2;

function tag(fieldNumber: number, wireType: number): number {
  return (fieldNumber << 3) | wireType;
}

/** Writes string fields in order, each even when empty, as gogo-protobuf does for non-pointers. */
function strings(writer: protobuf.Writer, values: string[], firstField = 1): protobuf.Writer {
  values.forEach((value, i) => writer.uint32(tag(firstField + i, LENGTH_DELIMITED)).string(value));
  return writer;
}

function typeMeta(apiVersion: string, kind: string): Uint8Array {
  return strings(protobuf.Writer.create(), [apiVersion, kind]).finish();
}

/** runtime.Unknown: 1 TypeMeta, 2 raw, then optionally 3 contentEncoding and 4 contentType. */
function unknown(meta: Uint8Array, raw: Uint8Array, withContentFields: boolean): Uint8Array {
  const writer = protobuf.Writer.create()
    .uint32(tag(1, LENGTH_DELIMITED))
    .bytes(meta)
    .uint32(tag(2, LENGTH_DELIMITED))
    .bytes(raw);
  if (withContentFields) strings(writer, ['', ''], 3);
  return writer.finish();
}

/**
 * Encodes an empty SelfSubjectReview the way Go's generated marshallers write every non-pointer
 * field. ObjectMeta has its six string fields present but empty, generation 0 and a zero
 * creationTimestamp, and the status has a userInfo with an empty username and uid.
 */
function emptySelfSubjectReview(): Uint8Array {
  const timestamp = protobuf.Writer.create()
    .uint32(tag(1, VARINT))
    .int64(0)
    .uint32(tag(2, VARINT))
    .int32(0)
    .finish();
  const objectMeta = strings(protobuf.Writer.create(), ['', '', '', '', '', ''])
    .uint32(tag(7, VARINT))
    .int64(0)
    .uint32(tag(8, LENGTH_DELIMITED))
    .bytes(timestamp)
    .finish();
  const userInfo = strings(protobuf.Writer.create(), ['', '']).finish();
  const status = protobuf.Writer.create().uint32(tag(1, LENGTH_DELIMITED)).bytes(userInfo).finish();
  return protobuf.Writer.create()
    .uint32(tag(1, LENGTH_DELIMITED))
    .bytes(objectMeta)
    .uint32(tag(2, LENGTH_DELIMITED))
    .bytes(status)
    .finish();
}

describe('protobuf envelope constants', () => {
  it('magic is k8s and zero byte', () => {
    expect(PROTOBUF_MAGIC.equals(MAGIC)).to.equal(true);
  });

  it('media type', () => {
    expect(PROTOBUF_MEDIA_TYPE).to.equal('application/vnd.kubernetes.protobuf');
  });
});

describe('decodeProtobufEnvelope', () => {
  it('decodes type and raw bytes', () => {
    const raw = Uint8Array.from([0x0a, 0x03, 0x61, 0x62, 0x63]);
    const body = Buffer.concat([
      MAGIC,
      unknown(typeMeta('authentication.k8s.io/v1', 'SelfSubjectReview'), raw, false),
    ]);
    const envelope = decodeProtobufEnvelope(body);
    expect(envelope.apiVersion).to.equal('authentication.k8s.io/v1');
    expect(envelope.kind).to.equal('SelfSubjectReview');
    expect([...envelope.raw]).to.deep.equal([...raw]);
  });

  it('decodes empty SelfSubjectReview of 83 bytes', () => {
    const raw = emptySelfSubjectReview();
    const envelope = unknown(typeMeta('authentication.k8s.io/v1', 'SelfSubjectReview'), raw, true);
    expect(envelope.length, 'envelope length').to.equal(83);
    const decoded = decodeProtobufEnvelope(Buffer.concat([MAGIC, envelope]));
    expect(decoded.apiVersion).to.equal('authentication.k8s.io/v1');
    expect(decoded.kind).to.equal('SelfSubjectReview');
    expect(decoded.raw.length).to.equal(30);
    expect(Buffer.from(decoded.raw).equals(Buffer.from(raw))).to.equal(true);
  });

  it('empty envelope gives empty fields', () => {
    const decoded = decodeProtobufEnvelope(MAGIC);
    expect(decoded.apiVersion).to.equal('');
    expect(decoded.kind).to.equal('');
    expect(decoded.raw.length).to.equal(0);
  });

  const missingMagic: { name: string; body: Buffer }[] = [
    { name: 'empty body', body: Buffer.alloc(0) },
    { name: 'short prefix', body: Buffer.from('k8s', 'latin1') },
    { name: 'JSON body', body: Buffer.from('{"kind":"SelfSubjectReview"}') },
  ];
  for (const tc of missingMagic) {
    it(`${tc.name} rejected by prefix`, () => {
      expect(() => decodeProtobufEnvelope(tc.body)).to.throw(
        Error,
        'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
      );
    });
  }

  const garbage: { name: string; afterMagic: number[] }[] = [
    { name: 'truncated length', afterMagic: [0x0a, 0x10, 0x01] },
    { name: 'invalid wire type', afterMagic: [0x0f, 0x01] },
    { name: 'truncated varint', afterMagic: [0x08, 0xff] },
  ];
  for (const tc of garbage) {
    it(`${tc.name} throws`, () => {
      const body = Buffer.concat([MAGIC, Buffer.from(tc.afterMagic)]);
      expect(() => decodeProtobufEnvelope(body)).to.throw(Error);
    });
  }
});
