/**
 * Benchmark of the RBAC authorizer: the mean cost of authorize() with 10 and with 10,000
 * RoleBindings and ClusterRoleBindings of other users, for a user with one binding of each kind.
 * It prints both means and their ratio, and exits with status 1 when the ratio exceeds
 * MAX_RATIO, because a check must not slow down as bindings of other users are added.
 *
 * Run it with `make bench-authz`, or `node dist/hack/bench-authz.js` after a build.
 */
import { availableParallelism } from 'node:os';
import winston from 'winston';
import type { Attributes, Decision } from '../pkg/auth/authorizer/interfaces.js';
import { newUserInfo } from '../pkg/auth/user/user.js';
import type { GenericStore } from '../pkg/registry/generic/store.js';
import { ResourceRegistry } from '../pkg/registry/registry.js';
import { BUILTIN_RESOURCES } from '../pkg/registry/resources/index.js';
import { RBAC_GROUP } from '../pkg/registry/validation/rbac.js';
import { MemoryStorage } from '../pkg/storage/memory/memory_storage.js';
import { ensureBootstrapPolicy } from '../plugin/auth/authorizer/rbac/bootstrappolicy/index.js';
import { newRBACAuthorizer, type RBACAuthorizer } from '../plugin/auth/authorizer/rbac/rbac.js';

const SMALL_BINDING_COUNT = 10;
const LARGE_BINDING_COUNT = 10_000;
const MAX_RATIO = 2;
const ROUNDS = 7;
const CALLS_PER_ROUND = 30_000;
const NAMESPACE = 'bench';
const USER = 'bench-user';

const logger = winston.createLogger({ silent: true });

function requireStore(resources: ResourceRegistry, resource: string): GenericStore {
  const store = resources.lookup(RBAC_GROUP, 'v1', resource);
  if (store === undefined) throw new Error(`${RBAC_GROUP}/v1 ${resource} is not served`);
  return store;
}

function binding(namespace: string, name: string, clusterRole: string, user: string) {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: namespace === '' ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: namespace === '' ? { name } : { name, namespace },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRole },
    subjects: [{ apiGroup: RBAC_GROUP, kind: 'User', name: user }],
  };
}

/**
 * Starts an authorizer over a new registry with the bootstrap policy, `otherBindings`
 * RoleBindings in the benchmark namespace and as many ClusterRoleBindings, each for a different
 * other user, plus one binding of each kind for the measured user.
 */
async function buildAuthorizer(otherBindings: number): Promise<RBACAuthorizer> {
  const resources = new ResourceRegistry(BUILTIN_RESOURCES, new MemoryStorage(), logger);
  await resources.bootstrap();
  await ensureBootstrapPolicy(resources, logger);
  const namespaces = resources.lookup('', 'v1', 'namespaces');
  if (namespaces === undefined) throw new Error('namespaces are not served');
  await namespaces.create('', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NAMESPACE },
  });

  const clusterRoles = requireStore(resources, 'clusterroles');
  await clusterRoles.create('', {
    metadata: { name: 'pod-reader' },
    rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }],
  });
  await clusterRoles.create('', {
    metadata: { name: 'node-reader' },
    rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['nodes'] }],
  });

  const roleBindings = requireStore(resources, 'rolebindings');
  const clusterRoleBindings = requireStore(resources, 'clusterrolebindings');
  for (let i = 0; i < otherBindings; i++) {
    const other = `other-user-${i}`;
    await roleBindings.create(NAMESPACE, binding(NAMESPACE, other, 'pod-reader', other));
    await clusterRoleBindings.create('', binding('', other, 'node-reader', other));
  }
  await roleBindings.create(NAMESPACE, binding(NAMESPACE, USER, 'pod-reader', USER));
  await clusterRoleBindings.create('', binding('', USER, 'node-reader', USER));
  return newRBACAuthorizer(resources, logger);
}

function request(
  verb: string,
  resource: string,
  namespace: string,
): Attributes & { expected: Decision } {
  return {
    user: newUserInfo({ name: USER, groups: ['system:authenticated'] }),
    verb,
    isResourceRequest: true,
    path: namespace === '' ? `/api/v1/${resource}` : `/api/v1/namespaces/${namespace}/${resource}`,
    namespace,
    apiGroup: '',
    apiVersion: 'v1',
    resource,
    subresource: '',
    name: '',
    expected: verb === 'delete' ? 'noOpinion' : 'allow',
  };
}

/**
 * The measured requests, sent in turn: one allowed by the RoleBinding, one allowed by the
 * ClusterRoleBinding, and one denied, which visits every binding of the user.
 */
const REQUESTS = [
  request('list', 'pods', NAMESPACE),
  request('get', 'nodes', ''),
  request('delete', 'secrets', NAMESPACE),
];

/** Fails when a request gets another decision than expected, so the timing measures real checks. */
async function checkDecisions(authorizer: RBACAuthorizer): Promise<void> {
  for (const attributes of REQUESTS) {
    const { decision } = await authorizer.authorize(attributes);
    if (decision !== attributes.expected) {
      throw new Error(
        `${attributes.verb} ${attributes.resource}: expected ${attributes.expected}, got ${decision}`,
      );
    }
  }
}

/** Returns the mean time of one authorize() call in microseconds, over `calls` calls. */
async function meanMicroseconds(authorizer: RBACAuthorizer, calls: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    await authorizer.authorize(REQUESTS[i % REQUESTS.length] as Attributes);
  }
  return Number(process.hrtime.bigint() - start) / calls / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<number> {
  const small = await buildAuthorizer(SMALL_BINDING_COUNT);
  const large = await buildAuthorizer(LARGE_BINDING_COUNT);
  try {
    await checkDecisions(small);
    await checkDecisions(large);
    // The first round warms up the JIT and is not counted. Rounds alternate between the two
    // registries, so a slow stretch of the machine affects both.
    await meanMicroseconds(small, CALLS_PER_ROUND);
    await meanMicroseconds(large, CALLS_PER_ROUND);
    const smallMeans: number[] = [];
    const largeMeans: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      smallMeans.push(await meanMicroseconds(small, CALLS_PER_ROUND));
      largeMeans.push(await meanMicroseconds(large, CALLS_PER_ROUND));
    }
    const smallMean = median(smallMeans);
    const largeMean = median(largeMeans);
    const ratio = largeMean / smallMean;
    console.log(
      `RBAC authorize() mean cost, median of ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls ` +
        `(node ${process.version}, ${availableParallelism()} CPUs):`,
    );
    console.log(
      `  ${SMALL_BINDING_COUNT} RoleBindings + ${SMALL_BINDING_COUNT} ClusterRoleBindings: ` +
        `${smallMean.toFixed(2)} µs`,
    );
    console.log(
      `  ${LARGE_BINDING_COUNT} RoleBindings + ${LARGE_BINDING_COUNT} ClusterRoleBindings: ` +
        `${largeMean.toFixed(2)} µs`,
    );
    console.log(`  ratio: ${ratio.toFixed(2)} (maximum ${MAX_RATIO})`);
    if (ratio > MAX_RATIO) {
      console.error(
        `bench-authz: failed: authorize() with ${LARGE_BINDING_COUNT} bindings costs ` +
          `${ratio.toFixed(2)} times as much as with ${SMALL_BINDING_COUNT}, more than ${MAX_RATIO}`,
      );
      return 1;
    }
    return 0;
  } finally {
    small.close();
    large.close();
  }
}

process.exitCode = await main();
