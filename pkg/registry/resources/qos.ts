import { objectArrayField, objectField, type JSONObject } from '../validation/unstructured.js';

/** Multipliers of resource.Quantity suffixes that are powers of ten, as exponents. */
const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/** Multipliers of resource.Quantity suffixes that are powers of 1024, as exponents. */
const BINARY_EXPONENTS: Readonly<Record<string, number>> = {
  Ki: 1,
  Mi: 2,
  Gi: 3,
  Ti: 4,
  Pi: 5,
  Ei: 6,
};

const QUANTITY =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/**
 * Parses a resource.Quantity such as `100m`, `1.5`, `128Mi` or `1e3` into billionths of a
 * unit, exactly. Returns undefined for a string that is not a quantity. Digits below a
 * billionth are dropped.
 */
export function parseQuantity(text: string): bigint | undefined {
  const match = QUANTITY.exec(text.trim());
  if (match === null) return undefined;
  const [, sign = '', number = '', suffix = '', exponent] = match;
  const [whole = '', fraction = ''] = number.split('.');
  let scale = 9 - fraction.length;
  scale += exponent !== undefined ? Number(exponent) : (DECIMAL_EXPONENTS[suffix] ?? 0);
  let value = BigInt(`${whole}${fraction}` || '0');
  value *= 1024n ** BigInt(BINARY_EXPONENTS[suffix] ?? 0);
  value = scale >= 0 ? value * 10n ** BigInt(scale) : value / 10n ** BigInt(-scale);
  return sign === '-' ? -value : value;
}

/** The compute resources that decide a pod's QoS class. */
const QOS_RESOURCES = ['cpu', 'memory'];

/** A pod's quality of service class, as status.qosClass reports it. */
export type QOSClass = 'BestEffort' | 'Burstable' | 'Guaranteed';

function positiveQuantities(resources: JSONObject | undefined, key: string): Map<string, bigint> {
  const quantities = new Map<string, bigint>();
  for (const [name, value] of Object.entries(objectField(resources, key) ?? {})) {
    // YAML and JSON clients may send a quantity as a bare number, such as `cpu: 1`.
    if (!QOS_RESOURCES.includes(name)) continue;
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const quantity = parseQuantity(String(value));
    if (quantity !== undefined && quantity > 0n) quantities.set(name, quantity);
  }
  return quantities;
}

function addInto(totals: Map<string, bigint>, quantities: Map<string, bigint>): void {
  for (const [name, quantity] of quantities) totals.set(name, (totals.get(name) ?? 0n) + quantity);
}

/**
 * Computes a pod's QoS class from the cpu and memory requests and limits of its containers
 * and init containers, as kube-apiserver's qos.GetPodQOS does. It is BestEffort when none is
 * set. It is Guaranteed when every container limits both and the summed requests equal the
 * summed limits, and Burstable otherwise. Pass the spec after requests are defaulted from limits.
 */
export function podQOSClass(spec: unknown): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const containers = [
    ...objectArrayField(spec, 'containers'),
    ...objectArrayField(spec, 'initContainers'),
  ];
  for (const container of containers) {
    const resources = objectField(container, 'resources');
    addInto(requests, positiveQuantities(resources, 'requests'));
    const containerLimits = positiveQuantities(resources, 'limits');
    addInto(limits, containerLimits);
    if (!QOS_RESOURCES.every((name) => containerLimits.has(name))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      if (limits.get(name) !== request) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
