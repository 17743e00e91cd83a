import type winston from 'winston';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
  ResolvedRules,
  RuleResolver,
} from '../../../../pkg/auth/authorizer/interfaces.js';
import type { UserInfo } from '../../../../pkg/auth/user/user.js';
import type { ResourceRegistry } from '../../../../pkg/registry/registry.js';
import { goQuote } from '../../../../pkg/registry/validation/field.js';
import { PolicyIndex } from './policy_index.js';
import { startPolicySync } from './policy_sync.js';
import { ruleAllows } from './rule_matching.js';
import { aggregateMessage, describeSource, resolveRules, visitRulesFor } from './rule_resolver.js';

/** The RBAC authorizer, which also lists a user's rules. `close` stops its watches. */
export interface RBACAuthorizer extends Authorizer, RuleResolver {
  close(): void;
}

/** Describes the request for the denial log, in kube-apiserver's words. */
function describeRequest(attributes: Attributes): string {
  const scope =
    attributes.namespace === '' ? 'cluster-wide' : `in namespace ${goQuote(attributes.namespace)}`;
  if (!attributes.isResourceRequest) {
    return `${goQuote(attributes.verb)} nonResourceURL ${goQuote(attributes.path)} ${scope}`;
  }
  let resource = attributes.resource;
  if (attributes.apiGroup !== '') resource += `.${attributes.apiGroup}`;
  if (attributes.subresource !== '') resource += `/${attributes.subresource}`;
  const named = attributes.name === '' ? '' : ` named ${goQuote(attributes.name)}`;
  return `${goQuote(attributes.verb)} resource ${goQuote(resource)}${named} ${scope}`;
}

/**
 * Decides one request from the index: allow when a rule of a binding that applies to the user
 * allows it, with the reason naming that binding. Otherwise there is no opinion, with an empty
 * reason, or with the errors from resolving roles, as kube-apiserver's RBAC authorizer words them.
 */
function authorizeFromIndex(
  index: PolicyIndex,
  attributes: Attributes,
  logger: winston.Logger,
): AuthorizationResult {
  let reason: string | undefined;
  const errors: Error[] = [];
  visitRulesFor(index, attributes.user, attributes.namespace, (source, rule, error) => {
    if (source !== undefined && rule !== undefined && ruleAllows(attributes, rule)) {
      reason = `RBAC: allowed by ${describeSource(source)}`;
      return false;
    }
    if (error !== undefined) errors.push(error);
    return true;
  });
  if (reason !== undefined) return { decision: 'allow', reason };

  // kube-apiserver logs this at -v=5, which maps onto winston's silly level here.
  if (logger.isSillyEnabled()) {
    const { name, groups } = attributes.user;
    logger.silly(
      `RBAC: no rules authorize user ${goQuote(name)} with groups ` +
        `[${groups.map(goQuote).join(' ')}] to ${describeRequest(attributes)}`,
    );
  }
  return {
    decision: 'noOpinion',
    reason: errors.length === 0 ? '' : `RBAC: ${aggregateMessage(errors)}`,
  };
}

/**
 * Resolves after every promise continuation queued so far has run, including those that they
 * queue in turn. Node runs process.nextTick callbacks only once the microtask queue is empty,
 * when the callback is queued from promise code, as it is by every caller that awaited a write.
 */
function drainPromiseContinuations(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/**
 * Builds the RBAC authorizer over the Role, ClusterRole, RoleBinding and ClusterRoleBinding
 * stores of `resources`. It lists them into an in-memory index keyed by subject, so a check
 * reads only the bindings of the user's name, groups and service account, in the cluster scope
 * and the request's namespace, whatever the number of bindings. Watches keep the index current
 * until `close`. Resolves once the index contains every stored object.
 *
 * Freshness: a decision includes every write whose promise resolved before the call. MemoryStorage
 * hands each change to its watchers synchronously when the write commits. From there to the
 * index, every step is a promise continuation, and the reflector applies events without
 * awaiting anything else. So a request that arrives over HTTP after the write's response always
 * finds the change in the index. An in-process caller can call right after its write resolves,
 * while the change is still a few continuations away. For that case each call first waits for
 * queued continuations to drain, which costs one process.nextTick and never a storage read.
 * NOTE: a storage that delivers watch events after its write returns (etcd does) would need the
 * authorizer to wait for the index to reach the storage's current revision instead.
 * @throws Error when an RBAC resource is not served or its first list fails
 */
export async function newRBACAuthorizer(
  resources: ResourceRegistry,
  logger: winston.Logger,
): Promise<RBACAuthorizer> {
  const index = new PolicyIndex();
  const controller = new AbortController();
  try {
    await startPolicySync(resources, index, logger, controller.signal);
  } catch (err) {
    controller.abort();
    throw err;
  }
  logger.debug('RBAC authorizer index filled', index.counts());
  return {
    async authorize(attributes: Attributes): Promise<AuthorizationResult> {
      await drainPromiseContinuations();
      return authorizeFromIndex(index, attributes, logger);
    },
    async rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules> {
      await drainPromiseContinuations();
      return resolveRules(index, user, namespace);
    },
    close: () => controller.abort(),
  };
}
