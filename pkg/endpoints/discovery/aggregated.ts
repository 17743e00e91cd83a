/**
 * Aggregated discovery (apidiscovery.k8s.io APIGroupDiscoveryList): every group, version and
 * resource in one document, so kubectl needs two requests (/api and /apis) instead of one per
 * group version.
 */
import { computeETag } from './etag.js';
import type { AggregatedDiscoveryVersion } from './negotiation.js';
import {
  compareStrings,
  groupServedResources,
  type ServedGroup,
  type ServedGroupVersion,
} from './order.js';
import type { GroupVersionKind, ServedResource } from './served.js';

/** A kind in discovery. Group and version are empty when they equal the listing group version. */
export interface DiscoveryKind {
  group: string;
  version: string;
  kind: string;
}

/** One subresource, in apidiscovery/v2 APISubresourceDiscovery field order. */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: DiscoveryKind;
  verbs: string[];
}

/** One resource, in apidiscovery/v2 APIResourceDiscovery field order. */
export interface APIResourceDiscovery {
  resource: string;
  /** Required by kubectl: a resource without it is dropped from its resource list. */
  responseKind: DiscoveryKind;
  /** Case-sensitive: kubectl reads anything but `Namespaced` as cluster scope. */
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** One version of a group. */
export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current';
}

/** One group; the core group has no name. */
export interface APIGroupDiscovery {
  /** ObjectMeta as Go encodes an empty one: a zero creationTimestamp is written as null. */
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

/** The body of an aggregated /api or /apis response. */
export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedDiscoveryVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/** The aggregated document to build: /api contains the core group, /apis every named group. */
export type DiscoveryRoot = 'api' | 'apis';

/** The Content-Type of an aggregated v2 response. With plain JSON, kubectl lists no resources. */
export const AGGREGATED_DISCOVERY_V2_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** The Content-Type of an aggregated v2beta1 response. */
export const AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Returns the exact Content-Type kube-apiserver sends with an aggregated document. */
export function aggregatedDiscoveryContentType(version: AggregatedDiscoveryVersion): string {
  return version === 'v2'
    ? AGGREGATED_DISCOVERY_V2_CONTENT_TYPE
    : AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE;
}

/**
 * Returns the headers kube-apiserver sends with an aggregated document (aggregated/etag.go):
 * Content-Type, a quoted ETag of the body, `Vary: Accept` and `Cache-Control: public`. A
 * request whose If-None-Match equals the ETag gets 304 Not Modified with no body.
 */
export function aggregatedDiscoveryHeaders(
  body: string,
  version: AggregatedDiscoveryVersion,
): Record<string, string> {
  return {
    'Content-Type': aggregatedDiscoveryContentType(version),
    ETag: `"${computeETag(body)}"`,
    Vary: 'Accept',
    'Cache-Control': 'public',
  };
}

/**
 * kube-apiserver fills group and version of a responseKind only when the kind lives in
 * another group version, such as autoscaling/v1 Scale under apps/v1. Pod under v1 is
 * {"group":"","version":"","kind":"Pod"} (installer.go, ConvertGroupVersionIntoToDiscovery).
 */
function responseKind(gvk: GroupVersionKind, listing: ServedGroupVersion): DiscoveryKind {
  const sameGroupVersion = gvk.group === listing.group && gvk.version === listing.version;
  return sameGroupVersion
    ? { group: '', version: '', kind: gvk.kind }
    : { group: gvk.group, version: gvk.version, kind: gvk.kind };
}

function resourceDiscovery(
  resource: ServedResource,
  listing: ServedGroupVersion,
): APIResourceDiscovery {
  const entry: APIResourceDiscovery = {
    resource: resource.name,
    responseKind: responseKind(resource, listing),
    scope: resource.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: resource.singularName,
    verbs: [...resource.verbs],
  };
  if (resource.shortNames.length > 0) entry.shortNames = [...resource.shortNames];
  if (resource.categories.length > 0) entry.categories = [...resource.categories];
  const subresources = [...resource.subresources].sort((a, b) => compareStrings(a.name, b.name));
  if (subresources.length > 0) {
    entry.subresources = subresources.map((subresource) => ({
      subresource: subresource.name,
      responseKind: responseKind(subresource.kind, listing),
      verbs: [...subresource.verbs],
    }));
  }
  return entry;
}

function groupDiscovery(group: ServedGroup): APIGroupDiscovery {
  return {
    metadata:
      group.name === ''
        ? { creationTimestamp: null }
        : { name: group.name, creationTimestamp: null },
    versions: group.versions.map((gv) => ({
      version: gv.version,
      resources: gv.resources.map((resource) => resourceDiscovery(resource, gv)),
      freshness: 'Current',
    })),
  };
}

/**
 * Builds the aggregated document for /api (root `api`, the core group) or /apis (root `apis`,
 * named groups in kube-apiserver's priority order, versions in preference order).
 */
export function aggregatedDiscovery(
  served: readonly ServedResource[],
  root: DiscoveryRoot,
  version: AggregatedDiscoveryVersion = 'v2',
): APIGroupDiscoveryList {
  const groups = groupServedResources(served).filter((group) =>
    root === 'api' ? group.name === '' : group.name !== '',
  );
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(groupDiscovery),
  };
}
