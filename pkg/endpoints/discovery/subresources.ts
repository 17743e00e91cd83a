/**
 * The kind and verbs of each subresource kube-apiserver 1.32 serves, as its /api/v1 and
 * /apis/GROUP/VERSION lists show them. A definition only names its subresources, so discovery
 * looks the rest up here.
 */
import type { GroupVersionKind, ServedSubresource } from './served.js';

interface SubresourceTemplate {
  /** Returns the subresource's kind from the parent's kind. */
  kind(parent: GroupVersionKind): GroupVersionKind;
  readonly verbs: readonly string[];
  /**
   * True for subresources served by a connecter (exec, attach, port-forward, proxy): their
   * OpenAPI operations have the `connect` action instead of get, create and so on.
   */
  readonly connect?: boolean;
}

const READ_WRITE = ['get', 'patch', 'update'];
const CONNECT_VERBS = ['create', 'get'];
const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];

const sameKind = (parent: GroupVersionKind): GroupVersionKind => parent;
const coreKind =
  (kind: string) =>
  (parent: GroupVersionKind): GroupVersionKind => ({ ...parent, kind });
const fixedKind = (group: string, version: string, kind: string) => (): GroupVersionKind => ({
  group,
  version,
  kind,
});

const SUBRESOURCES: ReadonlyMap<string, SubresourceTemplate> = new Map<string, SubresourceTemplate>(
  [
    ['status', { kind: sameKind, verbs: READ_WRITE }],
    ['ephemeralcontainers', { kind: sameKind, verbs: READ_WRITE }],
    ['resize', { kind: sameKind, verbs: READ_WRITE }],
    ['approval', { kind: sameKind, verbs: READ_WRITE }],
    ['finalize', { kind: sameKind, verbs: ['update'] }],
    ['log', { kind: sameKind, verbs: ['get'] }],
    ['scale', { kind: fixedKind('autoscaling', 'v1', 'Scale'), verbs: READ_WRITE }],
    [
      'token',
      { kind: fixedKind('authentication.k8s.io', 'v1', 'TokenRequest'), verbs: ['create'] },
    ],
    ['eviction', { kind: fixedKind('policy', 'v1', 'Eviction'), verbs: ['create'] }],
    ['binding', { kind: coreKind('Binding'), verbs: ['create'] }],
    ['attach', { kind: coreKind('PodAttachOptions'), verbs: CONNECT_VERBS, connect: true }],
    ['exec', { kind: coreKind('PodExecOptions'), verbs: CONNECT_VERBS, connect: true }],
    [
      'portforward',
      { kind: coreKind('PodPortForwardOptions'), verbs: CONNECT_VERBS, connect: true },
    ],
    [
      'proxy',
      {
        kind: (parent) => ({ ...parent, kind: `${parent.kind}ProxyOptions` }),
        verbs: PROXY_VERBS,
        connect: true,
      },
    ],
  ],
);

/** Returns the names of the subresources whose kind and verbs are known, sorted. */
export function knownSubresources(): string[] {
  return [...SUBRESOURCES.keys()].sort();
}

/** Reports whether a subresource is served by a connecter, such as `exec` or `proxy`. */
export function isConnectSubresource(name: string): boolean {
  return SUBRESOURCES.get(name)?.connect === true;
}

/**
 * Describes one subresource of a resource. Throws when the subresource is not in the table,
 * because discovery would otherwise have to guess its kind and verbs.
 */
export function servedSubresource(
  resource: string,
  parent: GroupVersionKind,
  name: string,
): ServedSubresource {
  const template = SUBRESOURCES.get(name);
  if (template === undefined) {
    throw new Error(
      `discovery: resource ${resource} has unknown subresource "${name}"; ` +
        `known subresources are ${knownSubresources().join(', ')}`,
    );
  }
  return { name, kind: template.kind(parent), verbs: template.verbs };
}
