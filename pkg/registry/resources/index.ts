import type { ResourceDefinition } from '../resource.js';
import { CONFIG_MAPS } from './configmaps.js';
import { DEPLOYMENTS } from './deployments.js';
import { EVENTS } from './events.js';
import { NAMESPACES } from './namespaces.js';
import { PODS } from './pods.js';
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, ROLE_BINDINGS, ROLES } from './rbac.js';
import { SECRETS } from './secrets.js';
import { SERVICE_ACCOUNTS } from './serviceaccounts.js';
import { SERVICES } from './services.js';

export { CONFIG_MAPS } from './configmaps.js';
export { DEPLOYMENTS } from './deployments.js';
export { EVENTS } from './events.js';
export { humanDuration, shortHumanDuration, translateTimestampSince } from './humanduration.js';
export { NAMESPACES } from './namespaces.js';
export { PODS } from './pods.js';
export { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, ROLE_BINDINGS, ROLES } from './rbac.js';
export { SECRETS } from './secrets.js';
export { SERVICE_ACCOUNTS } from './serviceaccounts.js';
export { SERVICES } from './services.js';

/**
 * The built-in resources this server serves: the core group first, then apps and RBAC, each
 * group sorted by resource name as kube-apiserver's discovery lists them.
 */
export const BUILTIN_RESOURCES: ResourceDefinition[] = [
  CONFIG_MAPS,
  EVENTS,
  NAMESPACES,
  PODS,
  SECRETS,
  SERVICE_ACCOUNTS,
  SERVICES,
  DEPLOYMENTS,
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  ROLE_BINDINGS,
  ROLES,
];
