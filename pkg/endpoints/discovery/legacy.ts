/**
 * Legacy (unaggregated) discovery documents: /api, /api/v1, /apis, /apis/GROUP and
 * /apis/GROUP/VERSION. kubectl falls back to these when it does not get aggregated discovery,
 * and `kubectl auth can-i` always reads /api/v1.
 */
import {
  compareStrings,
  groupServedResources,
  type ServedGroup,
  type ServedGroupVersion,
} from './order.js';
import { groupVersionString, type ServedResource } from './served.js';

/** One resource or subresource of an APIResourceList, in meta/v1 APIResource field order. */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  /** Set only when the kind lives in another group version, such as autoscaling/v1 Scale. */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** GET /api/v1 and /apis/GROUP/VERSION. */
export interface APIResourceList {
  kind: 'APIResourceList';
  /** Absent for the core group: kube-apiserver 1.32 sends /api/v1 without it. */
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

/** One version of a group, as APIGroup lists it. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** One group: an entry of APIGroupList, or with kind and apiVersion the body of /apis/GROUP. */
export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** GET /apis. */
export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

/** GET /api. kube-apiserver sends it without apiVersion. */
export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}

/**
 * The input shape of this module before it took ServedResource[].
 * @deprecated Pass ServedResource[] from servedResourcesFrom instead.
 */
export interface GroupVersionResources {
  group: string;
  version: string;
  resources: Pick<
    APIResource,
    'name' | 'singularName' | 'namespaced' | 'kind' | 'verbs' | 'shortNames'
  >[];
}

/** The input of the document functions: the discovery model, or the deprecated shape. */
export type DiscoveryInput = readonly ServedResource[] | readonly GroupVersionResources[];

// NOTE: the deprecated GroupVersionResources input is converted here so that callers written
// against it keep compiling. This adapter can go once every caller passes ServedResource[].
function toServedResources(input: DiscoveryInput): readonly ServedResource[] {
  const first = input[0];
  if (first === undefined || !('resources' in first)) return input as readonly ServedResource[];
  return (input as readonly GroupVersionResources[]).flatMap((gv) =>
    gv.resources.map((resource) => ({
      group: gv.group,
      version: gv.version,
      name: resource.name,
      singularName: resource.singularName,
      kind: resource.kind,
      namespaced: resource.namespaced,
      verbs: resource.verbs,
      shortNames: resource.shortNames ?? [],
      categories: [],
      subresources: [],
    })),
  );
}

function mainResource(resource: ServedResource): APIResource {
  const entry: APIResource = {
    name: resource.name,
    singularName: resource.singularName,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: [...resource.verbs],
  };
  // Go's omitempty leaves out empty lists and strings, so the keys are added only when set.
  if (resource.shortNames.length > 0) entry.shortNames = [...resource.shortNames];
  if (resource.categories.length > 0) entry.categories = [...resource.categories];
  if (resource.storageVersionHash !== undefined) {
    entry.storageVersionHash = resource.storageVersionHash;
  }
  return entry;
}

function subresourceEntries(resource: ServedResource): APIResource[] {
  return resource.subresources.map((subresource) => {
    const { group, version, kind } = subresource.kind;
    const otherGroupVersion = group !== resource.group || version !== resource.version;
    return {
      name: `${resource.name}/${subresource.name}`,
      singularName: '',
      namespaced: resource.namespaced,
      ...(otherGroupVersion ? { group, version } : {}),
      kind,
      verbs: [...subresource.verbs],
    };
  });
}

/**
 * Lists a group version's resources and subresources, sorted by name as kube-apiserver's
 * installer registers them (`pods`, `pods/attach`, ..., `pods/status`, `podtemplates`).
 */
function apiResources(gv: ServedGroupVersion): APIResource[] {
  const entries = gv.resources.flatMap((resource) => [
    mainResource(resource),
    ...subresourceEntries(resource),
  ]);
  return entries.sort((a, b) => compareStrings(a.name, b.name));
}

function servedGroups(input: DiscoveryInput): ServedGroup[] {
  return groupServedResources(toServedResources(input));
}

function forDiscovery(gv: ServedGroupVersion): GroupVersionForDiscovery {
  return { groupVersion: groupVersionString(gv.group, gv.version), version: gv.version };
}

function groupEntry(group: ServedGroup): APIGroup | undefined {
  const versions = group.versions.map(forDiscovery);
  const preferred = versions[0];
  if (preferred === undefined) return undefined;
  return { name: group.name, versions, preferredVersion: preferred };
}

/**
 * GET /api: the core group's versions. A group version is served only while it has
 * resources, because kubectl fails discovery on a group version whose resource list is empty.
 * serverAddress is the advertised `host:port` that kube-apiserver sends, empty by default.
 */
export function apiVersions(served: DiscoveryInput, serverAddress = ''): APIVersions {
  const core = servedGroups(served).find((group) => group.name === '');
  return {
    kind: 'APIVersions',
    versions: core?.versions.map((gv) => gv.version) ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis: every named group in kube-apiserver's priority order. */
export function apiGroupList(served: DiscoveryInput): APIGroupList {
  const groups = servedGroups(served)
    .filter((group) => group.name !== '')
    .map(groupEntry)
    .filter((group): group is APIGroup => group !== undefined);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /apis/GROUP: one named group, or undefined when it is not served (404). */
export function apiGroupDocument(served: DiscoveryInput, group: string): APIGroup | undefined {
  if (group === '') return undefined;
  const found = servedGroups(served).find((candidate) => candidate.name === group);
  const entry = found === undefined ? undefined : groupEntry(found);
  return entry === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...entry };
}

/**
 * GET /api/v1 or /apis/GROUP/VERSION: the resources of one group version, or undefined when
 * it is not served (404).
 */
export function apiResourceList(
  served: DiscoveryInput,
  group: string,
  version: string,
): APIResourceList | undefined {
  const found = servedGroups(served)
    .find((candidate) => candidate.name === group)
    ?.versions.find((candidate) => candidate.version === version);
  if (found === undefined) return undefined;
  return {
    kind: 'APIResourceList',
    ...(group === '' ? {} : { apiVersion: 'v1' as const }),
    groupVersion: groupVersionString(group, version),
    resources: apiResources(found),
  };
}
