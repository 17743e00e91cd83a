import type { UserInfo } from '../../../../pkg/auth/user/user.js';
import type { Binding } from './policy_objects.js';
import { serviceAccountKey, serviceAccountKeyOfUser } from './subject_matching.js';

/** Adds `value` to the set at `key`, creating the set when it is missing. */
function addToSet<V>(map: Map<string, Set<V>>, key: string, value: V): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

/** Removes `value` from the set at `key`, and drops the set when it becomes empty. */
function removeFromSet<V>(map: Map<string, Set<V>>, key: string, value: V): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/**
 * The bindings of one scope (the cluster, or one namespace) keyed by subject: user name, group
 * name, and service account `namespace:name`. A lookup returns every binding with a subject that
 * may apply to the user, so a check reads only those bindings and not the whole scope.
 */
export class SubjectIndex {
  private readonly byName = new Map<string, Binding>();
  private readonly users = new Map<string, Set<Binding>>();
  private readonly groups = new Map<string, Set<Binding>>();
  private readonly serviceAccounts = new Map<string, Set<Binding>>();

  /** The number of bindings in the scope. */
  get size(): number {
    return this.byName.size;
  }

  /** Adds a binding, or replaces the binding of the same name. */
  put(binding: Binding): void {
    this.remove(binding.name);
    this.byName.set(binding.name, binding);
    this.forEachSubjectKey(binding, (map, key) => addToSet(map, key, binding));
  }

  /** Removes the binding with this name, if present. */
  remove(name: string): void {
    const existing = this.byName.get(name);
    if (existing === undefined) return;
    this.byName.delete(name);
    this.forEachSubjectKey(existing, (map, key) => removeFromSet(map, key, existing));
  }

  /** Removes every binding. */
  clear(): void {
    this.byName.clear();
    this.users.clear();
    this.groups.clear();
    this.serviceAccounts.clear();
  }

  /**
   * Returns the bindings with a subject that may apply to the user: those naming the user, one
   * of the user's groups, or the service account the username stands for. Each binding appears
   * once, in that order of lookup. The caller still matches the subjects, because the lookup
   * does not know which subject of a binding applies first.
   */
  candidates(user: UserInfo): Binding[] {
    const found: Binding[] = [];
    const seen = new Set<Binding>();
    const collect = (bindings: Set<Binding> | undefined): void => {
      if (bindings === undefined) return;
      for (const binding of bindings) {
        if (seen.has(binding)) continue;
        seen.add(binding);
        found.push(binding);
      }
    };
    collect(this.users.get(user.name));
    for (const group of user.groups) collect(this.groups.get(group));
    const accountKey = serviceAccountKeyOfUser(user.name);
    if (accountKey !== undefined) collect(this.serviceAccounts.get(accountKey));
    return found;
  }

  /** Calls `visit` with the map and key of each subject of the binding that can apply. */
  private forEachSubjectKey(
    binding: Binding,
    visit: (map: Map<string, Set<Binding>>, key: string) => void,
  ): void {
    for (const subject of binding.subjects) {
      switch (subject.kind) {
        case 'User':
          visit(this.users, subject.name);
          break;
        case 'Group':
          visit(this.groups, subject.name);
          break;
        case 'ServiceAccount': {
          const key = serviceAccountKey(subject, binding.namespace);
          if (key !== undefined) visit(this.serviceAccounts, key);
          break;
        }
      }
    }
  }
}
