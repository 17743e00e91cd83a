/**
 * Chooses between aggregated and legacy discovery for GET /api and /apis from the Accept
 * header, as kube-apiserver 1.32 does (apiserver's endpoints/discovery/aggregated/wrapper.go
 * and negotiation.go, on top of handlers/negotiation's NegotiateMediaTypeOptions).
 */
import { parseAccept, type AcceptClause } from './accept.js';

/** The document sent in reply to a discovery request. */
export type DiscoveryFormat = 'aggregated-v2' | 'aggregated-v2beta1' | 'legacy';

/** The versions of apidiscovery.k8s.io that kube-apiserver 1.32 serves. */
export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1';

/**
 * The media types of the discovery serializer, in kube-apiserver's order. A wildcard clause
 * matches JSON first because it comes first. CBOR is left out: its feature gate is off in 1.32.
 */
const SERIALIZERS = [
  { type: 'application', subtype: 'json', streaming: true },
  { type: 'application', subtype: 'yaml', streaming: false },
  { type: 'application', subtype: 'vnd.kubernetes.protobuf', streaming: true },
] as const;

type Serializer = (typeof SERIALIZERS)[number];

function matches(clause: AcceptClause, serializer: Serializer): boolean {
  if (clause.type === '*' && clause.subtype === '*') return true;
  if (clause.type !== serializer.type) return false;
  return clause.subtype === serializer.subtype || clause.subtype === '*';
}

/**
 * Applies the clause's parameters as acceptMediaTypeOptions does. Returns undefined when the
 * clause is not acceptable on the discovery endpoint, and otherwise the requested version of
 * apidiscovery.k8s.io, or null when the clause requests no conversion.
 */
function conversion(
  clause: AcceptClause,
  serializer: Serializer,
): AggregatedDiscoveryVersion | null | undefined {
  const stream = clause.params.get('stream') ?? '';
  if (stream !== '' && (!serializer.streaming || stream !== 'watch')) return undefined;
  // The discovery endpoint allows no server version (`sv`) parameter.
  if ((clause.params.get('sv') ?? '') !== '') return undefined;
  const asKind = clause.params.get('as');
  const group = clause.params.get('g');
  const version = clause.params.get('v');
  if (asKind === undefined && group === undefined && version === undefined) return null;
  // Any conversion other than to APIGroupDiscoveryList, such as `as=Table`, rules the clause out.
  if (asKind !== 'APIGroupDiscoveryList' || group !== 'apidiscovery.k8s.io') return undefined;
  return version === 'v2' || version === 'v2beta1' ? version : undefined;
}

/**
 * Returns which discovery document kube-apiserver 1.32 sends for an Accept header. Clauses are
 * tried in goautoneg's order, and the first one that a discovery serializer matches and whose
 * parameters are acceptable wins. If it requests apidiscovery.k8s.io APIGroupDiscoveryList in
 * v2, or in v2beta1 (which 1.32 still serves), the document is aggregated. Any other clause, an
 * empty header and a header that matches nothing give legacy discovery. q=0 does not rule a
 * clause out.
 * NOTE: kube-apiserver encodes the document in the winning clause's media type, which may be
 * YAML or protobuf. This server sends JSON either way.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat {
  if (accept === undefined || accept === '') return 'legacy';
  for (const clause of parseAccept(accept)) {
    for (const serializer of SERIALIZERS) {
      if (!matches(clause, serializer)) continue;
      const version = conversion(clause, serializer);
      if (version === undefined) continue;
      return version === null ? 'legacy' : `aggregated-${version}`;
    }
  }
  return 'legacy';
}
