import type { UserInfo } from '../../../../pkg/auth/user/user.js';
import type { Binding, Role } from './policy_objects.js';
import { SubjectIndex } from './subject_index.js';

/**
 * The RBAC objects the authorizer reads, held in memory: Roles by namespace and name,
 * ClusterRoles by name, and bindings by subject, split into the cluster scope
 * (ClusterRoleBindings) and one scope per namespace (RoleBindings). The reflectors in
 * reflector.ts keep it current from the stores. Every method is synchronous, so a check reads
 * one consistent state of the index.
 */
export class PolicyIndex {
  private readonly roles = new Map<string, Map<string, Role>>();
  private readonly clusterRoles = new Map<string, Role>();
  private readonly clusterBindings = new SubjectIndex();
  private readonly namespaceBindings = new Map<string, SubjectIndex>();

  /** Returns the Role `name` in `namespace`, or undefined when it does not exist. */
  role(namespace: string, name: string): Role | undefined {
    return this.roles.get(namespace)?.get(name);
  }

  /** Returns the ClusterRole `name`, or undefined when it does not exist. */
  clusterRole(name: string): Role | undefined {
    return this.clusterRoles.get(name);
  }

  /** Returns the ClusterRoleBindings with a subject that may apply to the user. */
  clusterBindingsFor(user: UserInfo): Binding[] {
    return this.clusterBindings.candidates(user);
  }

  /** Returns the RoleBindings of `namespace` with a subject that may apply to the user. */
  namespaceBindingsFor(user: UserInfo, namespace: string): Binding[] {
    return this.namespaceBindings.get(namespace)?.candidates(user) ?? [];
  }

  /** Counts the objects of each kind, for logs. */
  counts(): Record<string, number> {
    let roles = 0;
    for (const byName of this.roles.values()) roles += byName.size;
    let roleBindings = 0;
    for (const scope of this.namespaceBindings.values()) roleBindings += scope.size;
    return {
      roles,
      clusterRoles: this.clusterRoles.size,
      roleBindings,
      clusterRoleBindings: this.clusterBindings.size,
    };
  }

  putRole(role: Role): void {
    let byName = this.roles.get(role.namespace);
    if (byName === undefined) {
      byName = new Map();
      this.roles.set(role.namespace, byName);
    }
    byName.set(role.name, role);
  }

  removeRole(namespace: string, name: string): void {
    const byName = this.roles.get(namespace);
    if (byName === undefined) return;
    byName.delete(name);
    if (byName.size === 0) this.roles.delete(namespace);
  }

  /** Replaces every Role with `roles`, after a relist. */
  replaceRoles(roles: readonly Role[]): void {
    this.roles.clear();
    for (const role of roles) this.putRole(role);
  }

  putClusterRole(role: Role): void {
    this.clusterRoles.set(role.name, role);
  }

  removeClusterRole(name: string): void {
    this.clusterRoles.delete(name);
  }

  /** Replaces every ClusterRole with `roles`, after a relist. */
  replaceClusterRoles(roles: readonly Role[]): void {
    this.clusterRoles.clear();
    for (const role of roles) this.putClusterRole(role);
  }

  putRoleBinding(binding: Binding): void {
    let scope = this.namespaceBindings.get(binding.namespace);
    if (scope === undefined) {
      scope = new SubjectIndex();
      this.namespaceBindings.set(binding.namespace, scope);
    }
    scope.put(binding);
  }

  removeRoleBinding(namespace: string, name: string): void {
    const scope = this.namespaceBindings.get(namespace);
    if (scope === undefined) return;
    scope.remove(name);
    if (scope.size === 0) this.namespaceBindings.delete(namespace);
  }

  /** Replaces every RoleBinding with `bindings`, after a relist. */
  replaceRoleBindings(bindings: readonly Binding[]): void {
    this.namespaceBindings.clear();
    for (const binding of bindings) this.putRoleBinding(binding);
  }

  putClusterRoleBinding(binding: Binding): void {
    this.clusterBindings.put(binding);
  }

  removeClusterRoleBinding(name: string): void {
    this.clusterBindings.remove(name);
  }

  /** Replaces every ClusterRoleBinding with `bindings`, after a relist. */
  replaceClusterRoleBindings(bindings: readonly Binding[]): void {
    this.clusterBindings.clear();
    for (const binding of bindings) this.putClusterRoleBinding(binding);
  }
}
