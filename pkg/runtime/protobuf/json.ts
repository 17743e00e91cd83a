import protobuf from 'protobufjs';

/**
 * The rule for writing a field in Kubernetes JSON, from the `(json)` option of the schema:
 * `omitempty` (no option), `always`, `pointer` or `inline`. schema/meta.ts describes each.
 */
type JSONMode = 'omitempty' | 'always' | 'pointer' | 'inline';

/** A decoded protobufjs message seen as its fields. */
type Fields = Record<string, unknown>;

/** The range of metav1.Time: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, in Unix seconds. */
const MIN_TIME_SECONDS = -62135596800;
const MAX_TIME_SECONDS = 253402300799;

const INT64_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** Converters for the messages whose JSON form is a scalar; undefined leaves the field out. */
const SPECIAL_MESSAGES = new Map<string, (message: Fields, path: string) => unknown>([
  ['.k8s.io.apimachinery.pkg.apis.meta.v1.Time', timeToJSON],
  ['.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1', fieldsV1ToJSON],
  ['.k8s.io.apimachinery.pkg.util.intstr.IntOrString', intOrStringToJSON],
  ['.k8s.io.apimachinery.pkg.api.resource.Quantity', quantityToJSON],
]);

/**
 * Converts a decoded message into the JSON object that kube-apiserver's JSON encoding gives for
 * the same Go struct. Fields keep their declaration order, and zero `omitempty` scalars and empty
 * lists and maps are left out. Map keys are sorted, int64 values become numbers and bytes become
 * base64. A nested message is written whenever the wire carries it, as `{}` when empty.
 * @param path the field path of `message`, used in error messages; empty for the top level.
 * @throws Error naming the field path for a value that has no JSON form: an int64 beyond
 *   ±2^53, a Time outside years 1 to 9999, an IntOrString of unknown type, an empty Quantity or
 *   a FieldsV1 that is not JSON.
 */
export function messageToJSON(type: protobuf.Type, message: protobuf.Message, path = ''): Fields {
  const object: Fields = {};
  const fields = message as unknown as Fields;
  for (const field of type.fieldsArray) {
    writeField(object, field, fields, path === '' ? field.name : `${path}.${field.name}`);
  }
  return object;
}

function jsonMode(field: protobuf.Field): JSONMode {
  const mode: unknown = field.options?.['(json)'];
  return mode === 'always' || mode === 'pointer' || mode === 'inline' ? mode : 'omitempty';
}

function writeField(object: Fields, field: protobuf.Field, message: Fields, path: string): void {
  const value = message[field.name];
  // protobufjs sets an own property only for fields present on the wire; absent ones read
  // their default from the prototype.
  const present = Object.hasOwn(message, field.name);
  if (field.map) {
    const entries = Object.entries(value as Fields);
    if (entries.length === 0) return;
    // Go's encoding/json writes map keys in sorted order.
    entries.sort(([a], [b]) => compareKeys(a, b));
    object[field.name] = Object.fromEntries(
      entries.map(([key, item]) => [key, valueToJSON(field, item, `${path}[${key}]`)]),
    );
    return;
  }
  if (field.repeated) {
    const items = value as unknown[];
    if (items.length === 0) return;
    object[field.name] = items.map((item, i) => valueToJSON(field, item, `${path}[${i}]`));
    return;
  }
  const mode = jsonMode(field);
  if (field.resolvedType instanceof protobuf.Type) {
    if (!present) return;
    const converted = valueToJSON(field, value, path);
    if (converted === undefined) return;
    if (mode === 'inline') Object.assign(object, converted);
    else object[field.name] = converted;
    return;
  }
  const written = mode === 'always' || (mode === 'pointer' ? present : !isZero(value));
  if (written) object[field.name] = scalarToJSON(field, value, path);
}

function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function valueToJSON(field: protobuf.Field, value: unknown, path: string): unknown {
  const type = field.resolvedType;
  if (!(type instanceof protobuf.Type)) return scalarToJSON(field, value, path);
  const special = SPECIAL_MESSAGES.get(type.fullName);
  if (special !== undefined) return special(value as Fields, path);
  return messageToJSON(type, value as protobuf.Message, path);
}

function scalarToJSON(field: protobuf.Field, value: unknown, path: string): unknown {
  if (INT64_TYPES.has(field.type)) return int64ToNumber(value, path);
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  return value;
}

function isLong(value: unknown): value is protobuf.Long {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

function isZero(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length === 0;
  if (isLong(value)) return value.low === 0 && value.high === 0;
  return value === '' || value === 0 || value === false || value === undefined;
}

/**
 * Converts an int64, which protobufjs returns as a Long of two 32-bit halves, to a number.
 * @throws Error when the value is beyond ±2^53, which a JSON number cannot carry exactly.
 */
function int64ToNumber(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (!isLong(value)) throw new Error(`${path}: expected an int64, got ${typeof value}`);
  const high = value.unsigned ? BigInt(value.high >>> 0) : BigInt(value.high);
  const exact = (high << 32n) + BigInt(value.low >>> 0);
  const number = Number(exact);
  if (!Number.isSafeInteger(number)) {
    throw new Error(`${path}: ${exact} is outside the range of a JSON number (±2^53)`);
  }
  return number;
}

/**
 * Formats a meta/v1 Time as kube-apiserver does: RFC 3339 in UTC with whole seconds. Go's
 * metav1.Time ignores nanos when it reads protobuf (apimachinery time_proto.go), so this does
 * too. An empty Time, which is how Go writes the zero time, is left out.
 */
function timeToJSON(message: Fields, path: string): string | undefined {
  // Differs from kube-apiserver: it writes the zero time as `null`. Leaving the field out means
  // the same to every reader, and the server sets creationTimestamp itself.
  if (!Object.hasOwn(message, 'seconds') && !Object.hasOwn(message, 'nanos')) return undefined;
  const seconds = int64ToNumber(message.seconds, `${path}.seconds`);
  if (seconds < MIN_TIME_SECONDS || seconds > MAX_TIME_SECONDS) {
    throw new Error(`${path}: ${seconds} seconds is outside years 0001 to 9999`);
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Returns the managed-fields JSON document as an object; an empty one is left out. */
function fieldsV1ToJSON(message: Fields, path: string): unknown {
  const raw = message.raw as Uint8Array | undefined;
  if (raw === undefined || raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
  } catch (cause) {
    throw new Error(`${path}: FieldsV1 is not valid JSON`, { cause });
  }
}

/**
 * Returns an IntOrString as a number (type 0) or a string (type 1).
 * @throws Error for another type, which Go's JSON encoding also rejects.
 */
function intOrStringToJSON(message: Fields, path: string): number | string {
  const type = int64ToNumber(message.type ?? 0, `${path}.type`);
  if (type === 0) return (message.intVal as number | undefined) ?? 0;
  if (type === 1) return (message.strVal as string | undefined) ?? '';
  throw new Error(`${path}: IntOrString type ${type} is invalid, expected 0 (int) or 1 (string)`);
}

/**
 * Returns a Quantity's string form as sent. An empty message is Go's zero Quantity, "0".
 * @throws Error for an empty string, which Go's quantity parser rejects.
 */
function quantityToJSON(message: Fields, path: string): string {
  if (!Object.hasOwn(message, 'string')) return '0';
  const text = message.string as string;
  if (text === '') throw new Error(`${path}: quantity is an empty string`);
  // NOTE: kube-apiserver parses the quantity and writes its canonical form ("1000m" becomes
  // "1"); this returns the string unchanged and leaves its syntax to validation.
  return text;
}
