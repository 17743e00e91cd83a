export { ensureBootstrapPolicy } from './ensure_policy.js';
export {
  AUTOUPDATE_ANNOTATION,
  BOOTSTRAP_LABELS,
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
} from './policy.js';
