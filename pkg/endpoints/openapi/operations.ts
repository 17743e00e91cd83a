/**
 * The REST operations of served resources, independent of the OpenAPI version that renders
 * them. Paths, operation IDs, tags and the x-kubernetes-action values follow kube-apiserver's
 * installer (apiserver's endpoints/installer.go and endpoints/openapi/openapi.go).
 */
import { compareStrings } from '../discovery/order.js';
import type { GroupVersionKind, ServedResource, ServedSubresource } from '../discovery/served.js';
import { isConnectSubresource } from '../discovery/subresources.js';
import {
  DELETE_COLLECTION_PARAMETERS,
  DELETE_PARAMETERS,
  LIST_PARAMETERS,
  PATCH_PARAMETERS,
  WRITE_PARAMETERS,
  type ParameterName,
} from './parameters.js';

/** An HTTP method, in lower case as OpenAPI path items key their operations. */
export type HTTPMethod = 'delete' | 'get' | 'patch' | 'post' | 'put';

/** The value of x-kubernetes-action, which names the Kubernetes verb of an operation. */
export type KubernetesAction =
  | 'connect'
  | 'delete'
  | 'deletecollection'
  | 'get'
  | 'list'
  | 'patch'
  | 'post'
  | 'put'
  | 'watch'
  | 'watchlist';

/** One operation of a path. */
export interface Operation {
  readonly method: HTTPMethod;
  readonly action: KubernetesAction;
  readonly operationId: string;
  readonly description: string;
  /** The kind the operation reads or writes; for a subresource, the subresource's kind. */
  readonly gvk: GroupVersionKind;
  /** The tag grouping operations by group version, such as `core_v1` or `apps_v1`. */
  readonly tag: string;
  /** Parameters of this operation only; those shared by the path are on the PathItem. */
  readonly parameters: readonly ParameterName[];
  /** HTTP status codes the operation documents. */
  readonly responses: readonly number[];
}

/** One path and its operations. */
export interface PathItem {
  readonly path: string;
  /** Path parameters, plus `pretty` on every path that is not a connect subresource. */
  readonly parameters: readonly ParameterName[];
  readonly operations: readonly Operation[];
}

const RESPONSES: Readonly<Record<KubernetesAction, readonly number[]>> = {
  connect: [200, 401],
  delete: [200, 202, 401],
  deletecollection: [200, 401],
  get: [200, 401],
  list: [200, 401],
  patch: [200, 201, 401],
  post: [200, 201, 202, 401],
  put: [200, 201, 401],
  watch: [200, 401],
  watchlist: [200, 401],
};

const ACTION_PARAMETERS: Readonly<Record<KubernetesAction, readonly ParameterName[]>> = {
  connect: [],
  delete: DELETE_PARAMETERS,
  deletecollection: DELETE_COLLECTION_PARAMETERS,
  get: [],
  list: LIST_PARAMETERS,
  patch: PATCH_PARAMETERS,
  post: WRITE_PARAMETERS,
  put: WRITE_PARAMETERS,
  watch: LIST_PARAMETERS,
  watchlist: LIST_PARAMETERS,
};

/** The HTTP method and action that serve each verb on a single object or subresource. */
const OBJECT_VERBS: ReadonlyMap<string, { method: HTTPMethod; action: KubernetesAction }> = new Map(
  [
    ['get', { method: 'get', action: 'get' }],
    ['update', { method: 'put', action: 'put' }],
    ['patch', { method: 'patch', action: 'patch' }],
    ['create', { method: 'post', action: 'post' }],
    ['delete', { method: 'delete', action: 'delete' }],
  ],
);

/** The operation ID verb of each action before the group version is inserted. */
const ID_VERBS: Readonly<Record<KubernetesAction, string>> = {
  connect: 'connect',
  delete: 'delete',
  deletecollection: 'delete',
  get: 'read',
  list: 'list',
  patch: 'patch',
  post: 'create',
  put: 'replace',
  watch: 'watch',
  watchlist: 'watch',
};

/**
 * Turns a group or version into an operation ID part as kube-apiserver's ToValidOperationID
 * does: letters and underscores are kept, a digit is kept unless it comes first, and any other
 * character is dropped and capitalizes the next one (`rbac.authorization` → `RbacAuthorization`).
 */
function operationIdPart(value: string, capitalizeFirst: boolean): string {
  let result = '';
  let capitalize = capitalizeFirst;
  for (const [index, char] of [...value].entries()) {
    const isAllowed = /\p{L}/u.test(char) || char === '_' || (index > 0 && /\d/.test(char));
    if (!isAllowed) {
      capitalize = true;
      continue;
    }
    result += capitalize ? char.toUpperCase() : char;
    capitalize = false;
  }
  return result;
}

function titleCase(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** The path prefix of a group version: `/api/v1` for the core group, `/apis/G/V` otherwise. */
export function groupVersionPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** Parts of an operation ID besides the action. */
interface OperationIdOptions {
  /** The subresource, appended in title case: `status` gives `...NamespacedPodStatus`. */
  readonly subresource?: string;
  /** The HTTP method, which connect operations name: `connectCoreV1GetNamespacedPodExec`. */
  readonly method?: HTTPMethod;
  /** True for the list and watch across namespaces: `listCoreV1PodForAllNamespaces`. */
  readonly allNamespaces?: boolean;
}

/** Names the operations of one resource: operation IDs and the tag. */
class OperationNamer {
  readonly tag: string;
  private readonly groupVersionId: string;
  private readonly scope: string;

  /** The kind of the resource, which operation IDs and descriptions name. */
  readonly kind: string;

  constructor(private readonly resource: ServedResource) {
    this.kind = resource.kind;
    const group = resource.group === '' ? 'core' : resource.group.replace(/\.k8s\.io$/, '');
    this.groupVersionId = operationIdPart(group, true) + operationIdPart(resource.version, true);
    this.tag = `${operationIdPart(group, false)}_${operationIdPart(resource.version, false)}`;
    this.scope = resource.namespaced ? 'Namespaced' : '';
  }

  /** Returns an operation ID such as `patchCoreV1NamespacedPodStatus`. */
  operationId(action: KubernetesAction, options: OperationIdOptions = {}): string {
    const kind = this.resource.kind;
    const scope = options.allNamespaces === true ? '' : this.scope;
    const forAllNamespaces = options.allNamespaces === true ? 'ForAllNamespaces' : '';
    const suffix = options.subresource === undefined ? '' : titleCase(options.subresource);
    let rest: string;
    switch (action) {
      case 'deletecollection':
        rest = `Collection${scope}${kind}`;
        break;
      case 'connect':
        rest = `${titleCase(options.method ?? 'get')}${scope}${kind}${suffix}`;
        break;
      case 'watchlist':
        rest = `${scope}${kind}List${forAllNamespaces}`;
        break;
      default:
        rest = `${scope}${kind}${suffix}${forAllNamespaces}`;
    }
    return `${ID_VERBS[action]}${this.groupVersionId}${rest}`;
  }
}

function operationDescription(
  action: KubernetesAction,
  kind: string,
  subresource?: string,
): string {
  const target = subresource === undefined ? kind : `the ${subresource} subresource of one ${kind}`;
  switch (action) {
    case 'list':
      return `Lists ${kind} objects.`;
    case 'watchlist':
      return `Streams changes to ${kind} objects as watch events.`;
    case 'watch':
      return `Streams changes to one ${kind} as watch events.`;
    case 'deletecollection':
      return `Deletes every ${kind} that the selectors match.`;
    case 'post':
      return subresource === undefined ? `Creates a ${kind}.` : `Creates ${target}.`;
    case 'get':
      return `Reads ${subresource === undefined ? `one ${kind}` : target}.`;
    case 'put':
      return `Replaces ${subresource === undefined ? `one ${kind}` : target}.`;
    case 'patch':
      return `Applies a patch to ${subresource === undefined ? `one ${kind}` : target}.`;
    case 'delete':
      return `Deletes ${subresource === undefined ? `one ${kind}` : target}.`;
    case 'connect':
      return `Connects to ${target}.`;
  }
}

function operation(
  namer: OperationNamer,
  gvk: GroupVersionKind,
  method: HTTPMethod,
  action: KubernetesAction,
  idOptions: Omit<OperationIdOptions, 'method'> = {},
): Operation {
  return {
    method,
    action,
    operationId: namer.operationId(action, { ...idOptions, method }),
    description: operationDescription(action, namer.kind, idOptions.subresource),
    gvk,
    tag: namer.tag,
    parameters: ACTION_PARAMETERS[action],
    responses: RESPONSES[action],
  };
}

function withPretty(parameters: ParameterName[]): ParameterName[] {
  return [...parameters, 'pretty'];
}

function collectionItems(resource: ServedResource, namer: OperationNamer): PathItem[] {
  const prefix = groupVersionPrefix(resource.group, resource.version);
  const scope = resource.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const scopeParameters: ParameterName[] = resource.namespaced ? ['namespace'] : [];
  const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
  const has = (verb: string): boolean => resource.verbs.includes(verb);
  const op = (method: HTTPMethod, action: KubernetesAction): Operation =>
    operation(namer, gvk, method, action);

  const collection: Operation[] = [];
  if (has('list')) collection.push(op('get', 'list'));
  if (has('create')) collection.push(op('post', 'post'));
  if (has('deletecollection')) collection.push(op('delete', 'deletecollection'));
  const item: Operation[] = [];
  if (has('get')) item.push(op('get', 'get'));
  if (has('update')) item.push(op('put', 'put'));
  if (has('patch')) item.push(op('patch', 'patch'));
  if (has('delete')) item.push(op('delete', 'delete'));

  const items: PathItem[] = [
    {
      path: `${scope}/${resource.name}`,
      parameters: withPretty(scopeParameters),
      operations: collection,
    },
    {
      path: `${scope}/${resource.name}/{name}`,
      parameters: withPretty(['name', ...scopeParameters]),
      operations: item,
    },
  ];
  if (resource.namespaced && has('list')) {
    const allNamespaces = operation(namer, gvk, 'get', 'list', { allNamespaces: true });
    items.push({
      path: `${prefix}/${resource.name}`,
      parameters: ['pretty'],
      operations: [allNamespaces],
    });
  }
  if (has('watch')) items.push(...watchItems(resource, namer, gvk));
  return items.filter((pathItem) => pathItem.operations.length > 0);
}

/** Lists the deprecated /watch/ paths, which kube-apiserver 1.32 still serves and documents. */
function watchItems(
  resource: ServedResource,
  namer: OperationNamer,
  gvk: GroupVersionKind,
): PathItem[] {
  const prefix = `${groupVersionPrefix(resource.group, resource.version)}/watch`;
  const scope = resource.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const scopeParameters: ParameterName[] = resource.namespaced ? ['namespace'] : [];
  const watchList = operation(namer, gvk, 'get', 'watchlist');
  const watchOne = operation(namer, gvk, 'get', 'watch');
  const items: PathItem[] = [
    {
      path: `${scope}/${resource.name}`,
      parameters: withPretty(scopeParameters),
      operations: [watchList],
    },
    {
      path: `${scope}/${resource.name}/{name}`,
      parameters: withPretty(['name', ...scopeParameters]),
      operations: [watchOne],
    },
  ];
  if (resource.namespaced) {
    const allNamespaces = operation(namer, gvk, 'get', 'watchlist', { allNamespaces: true });
    items.push({
      path: `${prefix}/${resource.name}`,
      parameters: ['pretty'],
      operations: [allNamespaces],
    });
  }
  return items;
}

function subresourceItem(
  resource: ServedResource,
  subresource: ServedSubresource,
  namer: OperationNamer,
): PathItem {
  const prefix = groupVersionPrefix(resource.group, resource.version);
  const scope = resource.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const connect = isConnectSubresource(subresource.name);
  const operations: Operation[] = [];
  for (const verb of subresource.verbs) {
    const served = OBJECT_VERBS.get(verb);
    if (served === undefined) continue;
    const action = connect ? 'connect' : served.action;
    const idOptions = { subresource: subresource.name };
    operations.push(operation(namer, subresource.kind, served.method, action, idOptions));
  }
  const pathParameters: ParameterName[] = resource.namespaced ? ['name', 'namespace'] : ['name'];
  return {
    path: `${scope}/${resource.name}/{name}/${subresource.name}`,
    parameters: connect ? pathParameters : withPretty(pathParameters),
    operations,
  };
}

/** Lists the paths of one resource and its subresources. */
export function resourcePathItems(resource: ServedResource): PathItem[] {
  const namer = new OperationNamer(resource);
  return [
    ...collectionItems(resource, namer),
    ...resource.subresources.map((subresource) => subresourceItem(resource, subresource, namer)),
  ].filter((pathItem) => pathItem.operations.length > 0);
}

/** Lists the paths of every resource of one group version, sorted by path. */
export function groupVersionPathItems(
  resources: readonly ServedResource[],
  group: string,
  version: string,
): PathItem[] {
  return resources
    .filter((resource) => resource.group === group && resource.version === version)
    .flatMap(resourcePathItems)
    .sort((a, b) => compareStrings(a.path, b.path));
}

/** A path item as OpenAPI writes it: operations keyed by method, shared parameters beside them. */
export type RenderedPathItem<O, P> = { [method in HTTPMethod]?: O } & { parameters?: P[] };

/**
 * Renders a path item with its keys in alphabetical order, as Go writes kube-openapi's maps.
 * Only path parameters and `pretty` sit on the path. Each operation lists its own parameters,
 * because kubectl reads only the PATCH operation's list.
 * Differs from kube-apiserver: kube-apiserver moves every parameter of a single-operation path
 * up to the path. They stay on the operation here, so a PATCH always carries fieldValidation.
 */
export function renderPathItemWith<O, P>(
  item: PathItem,
  renderOperation: (operation: Operation) => O,
  renderParameter: (name: ParameterName) => P,
): RenderedPathItem<O, P> {
  const rendered: RenderedPathItem<O, P> = {};
  const operations = new Map(item.operations.map((operation) => [operation.method, operation]));
  for (const key of ['delete', 'get', 'parameters', 'patch', 'post', 'put'] as const) {
    if (key === 'parameters') {
      if (item.parameters.length > 0) rendered.parameters = item.parameters.map(renderParameter);
      continue;
    }
    const operation = operations.get(key);
    if (operation !== undefined) rendered[key] = renderOperation(operation);
  }
  return rendered;
}
