/**
 * The order in which discovery lists groups, versions and resources. kubectl resolves a short
 * name that two groups share to the group listed first, so the order is part of the API.
 */
import type { ServedResource } from './served.js';

/**
 * The group priority (the APIService's groupPriorityMinimum) of kube-apiserver 1.32's built-in
 * groups, from pkg/controlplane/apiserver/aggregator.go and DefaultGenericAPIServicePriorities.
 * A higher priority comes first, and equal priorities are ordered by group name.
 */
const GROUP_PRIORITIES: ReadonlyMap<string, number> = new Map([
  // kube-aggregator lists its own group before every APIService (apis handler in kube-aggregator).
  ['apiregistration.k8s.io', 20000],
  ['', 18000],
  ['apps', 17800],
  ['events.k8s.io', 17750],
  ['authentication.k8s.io', 17700],
  ['authorization.k8s.io', 17600],
  ['autoscaling', 17500],
  ['batch', 17400],
  ['certificates.k8s.io', 17300],
  ['networking.k8s.io', 17200],
  ['policy', 17100],
  ['rbac.authorization.k8s.io', 17000],
  ['storage.k8s.io', 16800],
  ['admissionregistration.k8s.io', 16700],
  ['apiextensions.k8s.io', 16700],
  ['scheduling.k8s.io', 16600],
  ['coordination.k8s.io', 16500],
  ['node.k8s.io', 16300],
  ['discovery.k8s.io', 16200],
  ['resource.k8s.io', 16200],
  ['flowcontrol.apiserver.k8s.io', 16100],
  ['internal.apiserver.k8s.io', 16000],
  ['storagemigration.k8s.io', 15800],
]);

/** The priority kube-apiserver gives a group it has no entry for, such as a CRD's group. */
const DEFAULT_GROUP_PRIORITY = 1000;

/** One served group version and its resources, sorted by resource name. */
export interface ServedGroupVersion {
  readonly group: string;
  readonly version: string;
  readonly resources: readonly ServedResource[];
}

/** One served group and its versions, the preferred version first. */
export interface ServedGroup {
  /** The group name; empty for the core group. */
  readonly name: string;
  readonly versions: readonly ServedGroupVersion[];
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY: Readonly<Record<string, number>> = { alpha: 0, beta: 1, '': 2 };

/**
 * Compares two API versions the way kube-apiserver orders them (apimachinery's
 * CompareKubeAwareVersionStrings): GA before beta before alpha, then the higher major and minor
 * number first, then versions outside that pattern in string order. Returns a negative number
 * when `a` comes first.
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const matchA = KUBE_VERSION.exec(a);
  const matchB = KUBE_VERSION.exec(b);
  if (matchA === null && matchB === null) return compareStrings(a, b);
  if (matchA === null) return 1;
  if (matchB === null) return -1;
  const stabilityA = STABILITY[matchA[2] ?? ''] ?? 0;
  const stabilityB = STABILITY[matchB[2] ?? ''] ?? 0;
  if (stabilityA !== stabilityB) return stabilityB - stabilityA;
  const majorA = Number(matchA[1]);
  const majorB = Number(matchB[1]);
  if (majorA !== majorB) return majorB - majorA;
  return Number(matchB[3] ?? 0) - Number(matchA[3] ?? 0);
}

/** Compares two group names by kube-apiserver's group priority, then by name. */
export function compareGroups(a: string, b: string): number {
  const priorityA = GROUP_PRIORITIES.get(a) ?? DEFAULT_GROUP_PRIORITY;
  const priorityB = GROUP_PRIORITIES.get(b) ?? DEFAULT_GROUP_PRIORITY;
  if (priorityA !== priorityB) return priorityB - priorityA;
  return compareStrings(a, b);
}

/** Compares two strings by UTF-16 code units, as Go's sort.Strings does for ASCII names. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function byName(a: ServedResource, b: ServedResource): number {
  return compareStrings(a.name, b.name);
}

/**
 * Groups resources by group and version in discovery order: groups by priority, versions by
 * preference, resources by name (kube-apiserver's installer sorts resource paths).
 * NOTE: kube-apiserver orders versions by each APIService's versionPriority first. For its
 * built-in groups, that gives the same order as comparing the version strings.
 */
export function groupServedResources(served: readonly ServedResource[]): ServedGroup[] {
  const byGroup = new Map<string, Map<string, ServedResource[]>>();
  for (const resource of served) {
    const versions = byGroup.get(resource.group) ?? new Map<string, ServedResource[]>();
    versions.set(resource.version, [...(versions.get(resource.version) ?? []), resource]);
    byGroup.set(resource.group, versions);
  }
  return [...byGroup.keys()].sort(compareGroups).map((name) => {
    const versions = byGroup.get(name) ?? new Map<string, ServedResource[]>();
    return {
      name,
      versions: [...versions.keys()].sort(compareKubeAwareVersions).map((version) => ({
        group: name,
        version,
        resources: [...(versions.get(version) ?? [])].sort(byName),
      })),
    };
  });
}
