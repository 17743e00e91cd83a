/**
 * The discovery model: the facts that /api, /apis and the OpenAPI documents list for each
 * served resource. Storage-backed resources come from their ResourceDefinition. Resources
 * without storage (the review APIs) are declared in reviews.ts and added by the caller.
 */
import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../../registry/resource.js';
import { servedSubresource } from './subresources.js';

/** A fully qualified kind, such as autoscaling/v1 Scale. The core group is the empty string. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A subresource as discovery lists it, such as `status` or `scale`. */
export interface ServedSubresource {
  /** The name after the slash, such as `status` in `pods/status`. */
  readonly name: string;
  /** The kind the subresource reads and writes, which may live in another group. */
  readonly kind: GroupVersionKind;
  /** Kubernetes verbs, sorted, such as `['get', 'patch', 'update']`. */
  readonly verbs: readonly string[];
}

/** A resource as discovery and the OpenAPI documents describe it. */
export interface ServedResource {
  /** API group; empty for the core group. */
  readonly group: string;
  readonly version: string;
  /** The plural, lower-case resource name used in URLs, such as `pods`. */
  readonly name: string;
  readonly singularName: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Kubernetes verbs, sorted, such as `['create', 'delete', ..., 'watch']`. */
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: readonly ServedSubresource[];
  /**
   * The storage version hash that legacy discovery lists for resources kept in storage. It is
   * absent for resources without storage, as in kube-apiserver.
   */
  readonly storageVersionHash?: string;
}

/** The verbs of a resource that the generic store serves in full, in kube-apiserver's order. */
export const STORAGE_VERBS: readonly string[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/**
 * Storage-backed resources that kube-apiserver 1.32 serves with fewer verbs, keyed by
 * `group/plural`. Its namespace storage (pkg/registry/core/namespace/storage) has no
 * DeleteCollection, so `kubectl delete namespaces --all` deletes them one by one.
 */
const VERBS_BY_RESOURCE: ReadonlyMap<string, readonly string[]> = new Map([
  ['/namespaces', STORAGE_VERBS.filter((verb) => verb !== 'deletecollection')],
]);

/**
 * Computes the storageVersionHash of a kind as kube-apiserver does (apiserver's
 * endpoints/discovery/storageversionhash.go): the first 8 bytes of the SHA-256 of
 * `group/version/kind`, in standard base64. The core group gives `/v1/Pod`.
 */
export function storageVersionHash(gvk: GroupVersionKind): string {
  const digest = createHash('sha256').update(`${gvk.group}/${gvk.version}/${gvk.kind}`).digest();
  return digest.subarray(0, 8).toString('base64');
}

/** Returns `group/version`, or the bare version for the core group, as `apiVersion` spells it. */
export function groupVersionString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

function resourceKey(resource: Pick<ServedResource, 'group' | 'version' | 'name'>): string {
  return `${groupVersionString(resource.group, resource.version)}/${resource.name}`;
}

function servedFromDefinition(definition: ResourceDefinition): ServedResource {
  const gvk = { group: definition.group, version: definition.version, kind: definition.kind };
  return {
    group: definition.group,
    version: definition.version,
    name: definition.plural,
    singularName: definition.singular,
    kind: definition.kind,
    namespaced: definition.namespaced,
    verbs: VERBS_BY_RESOURCE.get(`${definition.group}/${definition.plural}`) ?? STORAGE_VERBS,
    shortNames: definition.shortNames,
    categories: definition.categories,
    subresources: definition.subresources.map((name) =>
      servedSubresource(definition.plural, gvk, name),
    ),
    storageVersionHash: storageVersionHash(gvk),
  };
}

/**
 * Builds the discovery model of storage-backed resources, each with the verbs the generic
 * store serves, plus resources without storage such as SELF_SUBJECT_REVIEWS.
 * Throws when a definition names a subresource whose kind and verbs are unknown, or when two
 * entries share a group, version and resource name.
 */
export function servedResourcesFrom(
  definitions: readonly ResourceDefinition[],
  additional: readonly ServedResource[] = [],
): ServedResource[] {
  const served = [...definitions.map(servedFromDefinition), ...additional];
  const seen = new Set<string>();
  for (const resource of served) {
    const key = resourceKey(resource);
    if (seen.has(key)) throw new Error(`discovery: resource ${key} is declared twice`);
    seen.add(key);
  }
  return served;
}
