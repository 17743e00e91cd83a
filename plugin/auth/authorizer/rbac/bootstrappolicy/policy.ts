import type { PolicyRule } from '../../../../../pkg/auth/authorizer/interfaces.js';
import {
  ALL_AUTHENTICATED_GROUP,
  ALL_UNAUTHENTICATED_GROUP,
  SYSTEM_PRIVILEGED_GROUP,
} from '../../../../../pkg/auth/user/user.js';
import { RBAC_GROUP } from '../../../../../pkg/registry/validation/rbac.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';

/**
 * kube-apiserver's default ClusterRoles and ClusterRoleBindings that this server creates. The
 * rules are those of kube-apiserver's bootstrap policy
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), in the sorted form its golden file
 * testdata/cluster-roles.yaml records, which is how a cluster stores them.
 * NOTE: the copy of that golden file read was not tied to a release tag. It already grants
 * selfsubjectreviews in system:basic-user, but rules added to admin, edit or view shortly before
 * kube-apiserver 1.32 may be missing.
 */

/** The label and annotation kube-apiserver puts on every bootstrap object. */
export const BOOTSTRAP_LABELS: Readonly<Record<string, string>> = {
  'kubernetes.io/bootstrapping': 'rbac-defaults',
};
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function resourceRule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

function urlRule(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

/** The rules of kube-apiserver's system:aggregate-to-view, which view aggregates. */
const AGGREGATE_TO_VIEW: readonly PolicyRule[] = [
  resourceRule(
    READ,
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
    ],
  ),
  resourceRule(
    READ,
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
  ),
  // Reading namespaces in a namespace's scope lets a user read that one namespace, which shows
  // them the namespaces they have access to.
  resourceRule(READ, [''], ['namespaces']),
  resourceRule(READ, ['discovery.k8s.io'], ['endpointslices']),
  resourceRule(
    READ,
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  ),
  resourceRule(
    READ,
    ['autoscaling'],
    ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
  ),
  resourceRule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  resourceRule(
    READ,
    ['extensions'],
    [
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'ingresses',
      'ingresses/status',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'replicationcontrollers/scale',
    ],
  ),
  resourceRule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  resourceRule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];

/**
 * The rules of kube-apiserver's system:aggregate-to-edit, which edit aggregates. Edit may read
 * secrets and write most namespaced objects, but gets no `/status` writes and no quota or limit
 * objects, because those control the namespace itself.
 */
const AGGREGATE_TO_EDIT: readonly PolicyRule[] = [
  resourceRule(
    READ,
    [''],
    ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
  ),
  resourceRule(['impersonate'], [''], ['serviceaccounts']),
  resourceRule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  resourceRule(['create'], [''], ['pods/eviction']),
  resourceRule(
    WRITE,
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
  ),
  resourceRule(['create'], [''], ['serviceaccounts/token']),
  resourceRule(
    WRITE,
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
  ),
  resourceRule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  resourceRule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  resourceRule(
    WRITE,
    ['extensions'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'ingresses',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
    ],
  ),
  resourceRule(WRITE, ['policy'], ['poddisruptionbudgets']),
  resourceRule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  resourceRule(READ_WRITE, ['coordination.k8s.io'], ['leases']),
];

/** The rules of kube-apiserver's system:aggregate-to-admin, which admin aggregates. */
const AGGREGATE_TO_ADMIN: readonly PolicyRule[] = [
  resourceRule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  resourceRule(READ_WRITE, [RBAC_GROUP], ['rolebindings', 'roles']),
];

/**
 * Concatenates rule lists and drops rules equal to an earlier one, as kube-controller-manager's
 * ClusterRole aggregation controller builds an aggregated role from the roles it selects.
 */
function aggregate(...ruleLists: (readonly PolicyRule[])[]): PolicyRule[] {
  const result: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const rule of ruleLists.flat()) {
    const key = JSON.stringify(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(rule);
  }
  return result;
}

// The aggregation controller visits the selected roles sorted by name. view selects
// system:aggregate-to-view; edit selects system:aggregate-to-edit and view; admin selects edit
// and system:aggregate-to-admin.
const VIEW_RULES = aggregate(AGGREGATE_TO_VIEW);
const EDIT_RULES = aggregate(AGGREGATE_TO_EDIT, VIEW_RULES);
const ADMIN_RULES = aggregate(EDIT_RULES, AGGREGATE_TO_ADMIN);

function bootstrapMetadata(
  name: string,
  labels: Record<string, string> = {},
): StoredObject['metadata'] {
  return {
    name,
    labels: { ...BOOTSTRAP_LABELS, ...labels },
    annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
  };
}

function clusterRole(
  name: string,
  rules: readonly PolicyRule[],
  aggregation?: { selectLabel: string; ownLabel?: string },
): StoredObject {
  const ownLabels: Record<string, string> =
    aggregation?.ownLabel === undefined ? {} : { [aggregation.ownLabel]: 'true' };
  const role: StoredObject = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: bootstrapMetadata(name, ownLabels),
    rules: structuredClone(rules),
  };
  if (aggregation !== undefined) {
    role.aggregationRule = {
      clusterRoleSelectors: [{ matchLabels: { [aggregation.selectLabel]: 'true' } }],
    };
  }
  return role;
}

const AGGREGATE_TO_ADMIN_LABEL = `${RBAC_GROUP}/aggregate-to-admin`;
const AGGREGATE_TO_EDIT_LABEL = `${RBAC_GROUP}/aggregate-to-edit`;
const AGGREGATE_TO_VIEW_LABEL = `${RBAC_GROUP}/aggregate-to-view`;

/**
 * Returns new copies of the bootstrap ClusterRoles. admin, edit and view keep their
 * aggregationRule and aggregation labels, as on a cluster, and carry the aggregated rules
 * themselves.
 * NOTE: no aggregation controller runs here, so ClusterRoles labeled to aggregate into admin,
 * edit or view do not change their rules.
 */
export function bootstrapClusterRoles(): StoredObject[] {
  return [
    // The "root" role, which may do anything.
    clusterRole('cluster-admin', [resourceRule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
    // Enough to tell whether the server is ready and to discover API versions.
    clusterRole('system:discovery', [
      urlRule(
        ['get'],
        [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      ),
    ]),
    // Enough for a user to learn about themselves.
    clusterRole('system:basic-user', [
      resourceRule(
        ['create'],
        ['authorization.k8s.io'],
        ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      ),
      resourceRule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    // Cluster information that is safe to show to anyone, unauthenticated users included.
    clusterRole('system:public-info-viewer', [
      urlRule(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/']),
    ]),
    // A namespace administrator: edit plus managing Roles and RoleBindings.
    clusterRole('admin', ADMIN_RULES, { selectLabel: AGGREGATE_TO_ADMIN_LABEL }),
    // Every user-level action in a namespace.
    clusterRole('edit', EDIT_RULES, {
      selectLabel: AGGREGATE_TO_EDIT_LABEL,
      ownLabel: AGGREGATE_TO_ADMIN_LABEL,
    }),
    // Read-only access to the objects of a namespace that do not allow escalation.
    clusterRole('view', VIEW_RULES, {
      selectLabel: AGGREGATE_TO_VIEW_LABEL,
      ownLabel: AGGREGATE_TO_EDIT_LABEL,
    }),
  ];
}

function groupBinding(name: string, groups: readonly string[]): StoredObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: bootstrapMetadata(name),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
    subjects: groups.map((group) => ({ apiGroup: RBAC_GROUP, kind: 'Group', name: group })),
  };
}

/** Returns new copies of the bootstrap ClusterRoleBindings, each named after its ClusterRole. */
export function bootstrapClusterRoleBindings(): StoredObject[] {
  return [
    groupBinding('cluster-admin', [SYSTEM_PRIVILEGED_GROUP]),
    groupBinding('system:discovery', [ALL_AUTHENTICATED_GROUP]),
    groupBinding('system:basic-user', [ALL_AUTHENTICATED_GROUP]),
    groupBinding('system:public-info-viewer', [ALL_AUTHENTICATED_GROUP, ALL_UNAUTHENTICATED_GROUP]),
  ];
}
