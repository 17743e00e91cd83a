/**
 * Legacy (unaggregated) discovery documents: /api, /api/v1, /apis, /apis/GROUP and
 * /apis/GROUP/VERSION. kubectl falls back to these when it does not get aggregated discovery.
 */

/** One resource of a group version, as APIResourceList lists it. */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
}

/** A served API group version and its resources. */
export interface GroupVersionResources {
  group: string;
  version: string;
  resources: APIResource[];
}

function groupVersionString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/**
 * GET /api: the core group's versions. A version without resources is left out, because
 * kubectl fails discovery on a group version whose resource list is empty.
 */
export function apiVersions(served: readonly GroupVersionResources[]): object {
  const versions = served
    .filter((gv) => gv.group === '' && gv.resources.length > 0)
    .map((gv) => gv.version);
  return {
    kind: 'APIVersions',
    versions,
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
  };
}

function apiGroup(name: string, versions: GroupVersionResources[]): object {
  const entries = versions.map((gv) => ({
    groupVersion: groupVersionString(gv.group, gv.version),
    version: gv.version,
  }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

/** Groups the named group versions by group name, keeping their order. */
function byGroup(served: readonly GroupVersionResources[]): Map<string, GroupVersionResources[]> {
  const groups = new Map<string, GroupVersionResources[]>();
  for (const gv of served) {
    if (gv.group === '') continue;
    groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv]);
  }
  return groups;
}

/** GET /apis: every named group. */
export function apiGroupList(served: readonly GroupVersionResources[]): object {
  const groups = [...byGroup(served)].map(([name, versions]) => apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /apis/GROUP: one group, or undefined when it is not served. */
export function apiGroupDocument(
  served: readonly GroupVersionResources[],
  group: string,
): object | undefined {
  const versions = byGroup(served).get(group);
  if (versions === undefined) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

/** GET /api/v1 or /apis/GROUP/VERSION: the resources of one group version. */
export function apiResourceList(
  served: readonly GroupVersionResources[],
  group: string,
  version: string,
): object | undefined {
  const gv = served.find((candidate) => candidate.group === group && candidate.version === version);
  if (gv === undefined || gv.resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionString(group, version),
    resources: gv.resources,
  };
}
