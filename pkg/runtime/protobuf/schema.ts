import protobuf from 'protobufjs';
import { APPS_PROTO } from './schema/apps.js';
import { AUTHORIZATION_PROTO } from './schema/authorization.js';
import { CONTAINER_PROTO } from './schema/container.js';
import { CORE_PROTO } from './schema/core.js';
import { INTSTR_PROTO, META_PROTO, RESOURCE_PROTO } from './schema/meta.js';
import { POD_PROTO } from './schema/pod.js';
import { RBAC_PROTO } from './schema/rbac.js';
import { VOLUME_PROTO } from './schema/volume.js';

/** A kind whose protobuf encoding this server decodes, with the message type of its `raw` bytes. */
export interface ProtobufKind {
  apiVersion: string;
  kind: string;
  type: protobuf.Type;
}

/** apiVersion, kind and the fully qualified message name of every decodable kind. */
const KIND_MESSAGES: readonly [string, string, string][] = [
  ['v1', 'Namespace', 'k8s.io.api.core.v1.Namespace'],
  ['v1', 'ConfigMap', 'k8s.io.api.core.v1.ConfigMap'],
  ['v1', 'Secret', 'k8s.io.api.core.v1.Secret'],
  ['v1', 'ServiceAccount', 'k8s.io.api.core.v1.ServiceAccount'],
  ['v1', 'Service', 'k8s.io.api.core.v1.Service'],
  ['v1', 'Pod', 'k8s.io.api.core.v1.Pod'],
  ['apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'k8s.io.api.rbac.v1.Role'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'k8s.io.api.rbac.v1.ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'k8s.io.api.rbac.v1.RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'k8s.io.api.rbac.v1.ClusterRoleBinding'],
  [
    'authorization.k8s.io/v1',
    'SubjectAccessReview',
    'k8s.io.api.authorization.v1.SubjectAccessReview',
  ],
  [
    'authorization.k8s.io/v1',
    'LocalSubjectAccessReview',
    'k8s.io.api.authorization.v1.LocalSubjectAccessReview',
  ],
  [
    'authorization.k8s.io/v1',
    'SelfSubjectAccessReview',
    'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
  ],
  [
    'authorization.k8s.io/v1',
    'SelfSubjectRulesReview',
    'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
  ],
];

/**
 * Parses every schema text into one root and resolves the cross-package references.
 * keepCase keeps the Kubernetes field names, such as nonResourceURLs, exactly as written.
 */
function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  const texts = [META_PROTO, INTSTR_PROTO, RESOURCE_PROTO, CORE_PROTO, POD_PROTO, CONTAINER_PROTO];
  for (const text of [...texts, VOLUME_PROTO, APPS_PROTO, RBAC_PROTO, AUTHORIZATION_PROTO]) {
    protobuf.parse(text, root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

/** The parsed schema of every message the decoder handles. */
export const protobufSchema: protobuf.Root = loadRoot();

const kindsByKey = new Map<string, ProtobufKind>(
  KIND_MESSAGES.map(([apiVersion, kind, message]) => [
    `${apiVersion}/${kind}`,
    { apiVersion, kind, type: protobufSchema.lookupType(message) },
  ]),
);

/** The decodable kinds as "<apiVersion> <kind>", for example "apps/v1 Deployment". */
export const SUPPORTED_PROTOBUF_KINDS: readonly string[] = KIND_MESSAGES.map(
  ([apiVersion, kind]) => `${apiVersion} ${kind}`,
);

/** Returns the decodable kind with this apiVersion and kind, or undefined. */
export function lookupProtobufKind(apiVersion: string, kind: string): ProtobufKind | undefined {
  return kindsByKey.get(`${apiVersion}/${kind}`);
}
