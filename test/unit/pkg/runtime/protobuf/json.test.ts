import { expect } from 'chai';
import { messageToJSON } from '../../../../../pkg/runtime/protobuf/json.js';
import { protobufSchema } from '../../../../../pkg/runtime/protobuf/schema.js';
import {
  bytes,
  bytesEntry,
  encode,
  entry,
  intOrString,
  msg,
  str,
  time,
  varint,
  type WireField,
} from './wire.js';

const CORE = 'k8s.io.api.core.v1';
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** Decodes the fields as the named message and converts the result to JSON. */
function toJSON(typeName: string, ...fields: WireField[]): Record<string, unknown> {
  const type = protobufSchema.lookupType(typeName);
  return messageToJSON(type, type.decode(encode(...fields)));
}

const cases: {
  name: string;
  type: string;
  fields: WireField[];
  expectJSON: Record<string, unknown>;
}[] = [
  {
    name: 'omitempty scalars at zero left out',
    type: `${CORE}.ContainerPort`,
    fields: [str(1, ''), varint(2, 0), varint(3, 80), str(4, ''), str(5, '')],
    expectJSON: { containerPort: 80 },
  },
  {
    name: 'scalars without omitempty written when absent',
    type: `${CORE}.ServicePort`,
    fields: [],
    expectJSON: { port: 0 },
  },
  {
    name: 'pointer absent left out',
    type: `${CORE}.ConfigMap`,
    fields: [],
    expectJSON: {},
  },
  {
    name: 'pointer at zero kept',
    type: `${CORE}.KeyToPath`,
    fields: [str(1, 'k'), str(2, 'p'), varint(3, 0)],
    expectJSON: { key: 'k', path: 'p', mode: 0 },
  },
  {
    name: 'empty nested message kept',
    type: `${CORE}.Container`,
    fields: [str(1, 'c'), msg(8)],
    expectJSON: { name: 'c', resources: {} },
  },
  {
    name: 'inline reference lifted into parent',
    type: `${CORE}.SecretKeySelector`,
    fields: [msg(1, str(1, 'creds')), str(2, 'token')],
    expectJSON: { name: 'creds', key: 'token' },
  },
  {
    name: 'inline reference absent',
    type: `${CORE}.ConfigMapKeySelector`,
    fields: [],
    expectJSON: { key: '' },
  },
  {
    name: 'volume without source',
    type: `${CORE}.Volume`,
    fields: [str(1, 'v'), msg(2)],
    expectJSON: { name: 'v' },
  },
  {
    name: 'empty lists and maps left out',
    type: `${META}.LabelSelector`,
    fields: [],
    expectJSON: {},
  },
  {
    name: 'map key __proto__ kept',
    type: `${CORE}.ConfigMap`,
    fields: [entry(2, '__proto__', 'v'), entry(2, 'a', 'b')],
    expectJSON: { data: JSON.parse('{"__proto__":"v","a":"b"}') as unknown },
  },
  {
    name: 'empty bytes in map as empty string',
    type: `${CORE}.Secret`,
    fields: [bytesEntry(2, 'empty', new Uint8Array(0))],
    expectJSON: { data: { empty: '' } },
  },
  {
    name: 'time drops nanos',
    type: `${META}.ManagedFieldsEntry`,
    fields: [time(4, 1700000000, 999999999)],
    expectJSON: { time: '2023-11-14T22:13:20Z' },
  },
  {
    name: 'time at epoch when seconds sent',
    type: `${META}.ManagedFieldsEntry`,
    fields: [msg(4, varint(1, 0))],
    expectJSON: { time: '1970-01-01T00:00:00Z' },
  },
  {
    name: 'time at year 1',
    type: `${META}.ManagedFieldsEntry`,
    fields: [time(4, -62135596800)],
    expectJSON: { time: '0001-01-01T00:00:00Z' },
  },
  {
    name: 'empty time left out',
    type: `${META}.ManagedFieldsEntry`,
    fields: [msg(4)],
    expectJSON: {},
  },
  {
    name: 'empty FieldsV1 left out',
    type: `${META}.ManagedFieldsEntry`,
    fields: [msg(7)],
    expectJSON: {},
  },
  {
    name: 'IntOrString without type is int',
    type: `${CORE}.ServicePort`,
    fields: [varint(3, 80), msg(4, varint(2, 8080))],
    expectJSON: { port: 80, targetPort: 8080 },
  },
  {
    name: 'IntOrString empty string',
    type: `${CORE}.ServicePort`,
    fields: [varint(3, 80), intOrString(4, '')],
    expectJSON: { port: 80, targetPort: '' },
  },
  {
    name: 'empty Quantity is zero',
    type: `${CORE}.EmptyDirVolumeSource`,
    fields: [msg(2)],
    expectJSON: { sizeLimit: '0' },
  },
  {
    name: 'negative int64 kept',
    type: `${META}.Condition`,
    fields: [varint(3, -5)],
    expectJSON: { type: '', status: '', observedGeneration: -5, reason: '', message: '' },
  },
];

describe('messageToJSON', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      expect(toJSON(tc.type, ...tc.fields)).to.deep.equal(tc.expectJSON);
    });
  }
});

describe('messageToJSON errors', () => {
  const errors: { name: string; type: string; fields: WireField[]; expectMessage: string }[] = [
    {
      name: 'int64 beyond 2^53',
      type: `${META}.ObjectMeta`,
      fields: [varint(7, '9007199254740993')],
      expectMessage: 'generation: 9007199254740993 is outside the range of a JSON number (±2^53)',
    },
    {
      name: 'time before year 1',
      type: `${META}.ObjectMeta`,
      fields: [time(8, -62135596801)],
      expectMessage: 'creationTimestamp: -62135596801 seconds is outside years 0001 to 9999',
    },
    {
      name: 'IntOrString of type 2',
      type: `${CORE}.ServicePort`,
      fields: [msg(4, varint(1, 2))],
      expectMessage: 'targetPort: IntOrString type 2 is invalid, expected 0 (int) or 1 (string)',
    },
    {
      name: 'empty quantity string',
      type: `${CORE}.ResourceRequirements`,
      fields: [msg(1, str(1, 'cpu'), msg(2, str(1, '')))],
      expectMessage: 'limits[cpu]: quantity is an empty string',
    },
    {
      name: 'FieldsV1 not JSON',
      type: `${META}.ObjectMeta`,
      fields: [msg(17, msg(7, bytes(1, Buffer.from('{not json'))))],
      expectMessage: 'managedFields[0].fieldsV1: FieldsV1 is not valid JSON',
    },
  ];
  for (const tc of errors) {
    it(`${tc.name} rejected`, () => {
      expect(() => toJSON(tc.type, ...tc.fields)).to.throw(Error, tc.expectMessage);
    });
  }
});
