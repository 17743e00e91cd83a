/**
 * OpenAPI v3 documents: the root at /openapi/v3, which maps each group version to its
 * document, and the per-group-version documents at /openapi/v3/api/v1 and
 * /openapi/v3/apis/GROUP/VERSION. kubectl's `create -f` and `apply -f` read them to learn that
 * the server validates fields itself (`fieldValidation` on the PATCH operation of the kind).
 */
import { computeETag } from '../discovery/etag.js';
import type { ServedResource } from '../discovery/served.js';
import { GIT_VERSION } from '../version.js';
import {
  groupVersionPathItems,
  renderPathItemWith,
  type Operation,
  type PathItem,
  type RenderedPathItem,
} from './operations.js';
import { parameterSpec, type ParameterName } from './parameters.js';

/** The `info` object of an OpenAPI document. */
export interface OpenAPIInfo {
  title: string;
  version: string;
}

/**
 * kube-apiserver's info: title `Kubernetes`, and its gitVersion without a `-suffix` as the
 * version (genericapiserver's Config.Complete).
 */
export const DEFAULT_OPENAPI_INFO: Readonly<OpenAPIInfo> = {
  title: 'Kubernetes',
  version: GIT_VERSION.split('-')[0] ?? GIT_VERSION,
};

/** Options of an OpenAPI v3 document besides its paths. */
export interface OpenAPIV3Options {
  /**
   * components.securitySchemes, passed through as given. kube-apiserver 1.32 with token
   * authentication sends `{BearerToken: {type: 'apiKey', name: 'authorization', in: 'header',
   * description: ...}}`. Left out when absent.
   */
  readonly securitySchemes?: Readonly<Record<string, object>>;
  /** Default: DEFAULT_OPENAPI_INFO. */
  readonly info?: OpenAPIInfo;
}

/** A parameter object of OpenAPI 3.0. */
export interface OpenAPIV3Parameter {
  description: string;
  in: 'path' | 'query';
  name: string;
  required?: true;
  schema: { type: string };
}

/** An operation object of OpenAPI 3.0, with the Kubernetes extensions kubectl reads. */
export interface OpenAPIV3Operation {
  description: string;
  operationId: string;
  parameters?: OpenAPIV3Parameter[];
  responses: Record<string, { description: string }>;
  tags: string[];
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': { group: string; kind: string; version: string };
}

/** A path item object of OpenAPI 3.0. */
export type OpenAPIV3PathItem = RenderedPathItem<OpenAPIV3Operation, OpenAPIV3Parameter>;

/** The document of one group version. */
export interface OpenAPIV3Document {
  components?: { securitySchemes: Record<string, object> };
  info: OpenAPIInfo;
  openapi: '3.0.0';
  paths: Record<string, OpenAPIV3PathItem>;
}

/** The body of GET /openapi/v3. */
export interface OpenAPIV3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** HTTP reason phrases of the documented status codes. */
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  401: 'Unauthorized',
};

/** Returns the key of a group version in the v3 root: `api/v1` or `apis/GROUP/VERSION`. */
export function openAPIV3GroupVersionKey(group: string, version: string): string {
  // kubectl looks the key up without a leading slash, so with one it finds no document.
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/**
 * Computes the hash that the root puts in each serverRelativeURL: the upper-case hex SHA-512
 * of the document serialized by JSON.stringify without indentation, as kube-openapi's handler3
 * does. Serve exactly those bytes so that the hash names what the client gets.
 */
export function openAPIV3Hash(document: OpenAPIV3Document): string {
  return computeETag(JSON.stringify(document));
}

function renderParameter(name: ParameterName): OpenAPIV3Parameter {
  const spec = parameterSpec(name);
  return {
    description: spec.description,
    in: spec.in,
    name: spec.name,
    ...(spec.in === 'path' ? { required: true as const } : {}),
    schema: { type: spec.type },
  };
}

function renderOperation(operation: Operation): OpenAPIV3Operation {
  const responses: Record<string, { description: string }> = {};
  for (const code of operation.responses) {
    responses[String(code)] = { description: REASONS[code] ?? String(code) };
  }
  // No requestBody anywhere. On PATCH one would make `kubectl apply` compute its patch from
  // this document's schemas, which are not served, and it prints
  // "warning: error calculating patch from openapi v3 spec" before it falls back.
  return {
    description: operation.description,
    operationId: operation.operationId,
    ...(operation.parameters.length > 0
      ? { parameters: operation.parameters.map(renderParameter) }
      : {}),
    responses,
    tags: [operation.tag],
    'x-kubernetes-action': operation.action,
    'x-kubernetes-group-version-kind': {
      group: operation.gvk.group,
      kind: operation.gvk.kind,
      version: operation.gvk.version,
    },
  };
}

function renderPathItem(item: PathItem): OpenAPIV3PathItem {
  return renderPathItemWith(item, renderOperation, renderParameter);
}

/**
 * Builds the OpenAPI 3.0 document of one group version, or returns undefined when none of the
 * resources belong to it (404). Component schemas are left out: kubectl's field validation
 * check needs only the operations.
 */
export function openAPIV3GroupVersion(
  resources: readonly ServedResource[],
  group: string,
  version: string,
  options: OpenAPIV3Options = {},
): OpenAPIV3Document | undefined {
  const items = groupVersionPathItems(resources, group, version);
  if (items.length === 0) return undefined;
  const paths: Record<string, OpenAPIV3PathItem> = {};
  for (const item of items) paths[item.path] = renderPathItem(item);
  return {
    ...(options.securitySchemes === undefined
      ? {}
      : { components: { securitySchemes: { ...options.securitySchemes } } }),
    info: { ...(options.info ?? DEFAULT_OPENAPI_INFO) },
    openapi: '3.0.0',
    paths,
  };
}

/**
 * Builds the body of GET /openapi/v3: one entry per served group version, keyed without a
 * leading slash and sorted, whose serverRelativeURL carries the document's hash as a cache key.
 * Pass the same options as to openAPIV3GroupVersion, or the hashes name other documents.
 * NOTE: kube-apiserver's root also lists documents that are not group versions, such as `api`,
 * `apis`, `apis/GROUP` and `version`. kubectl reads only the group versions.
 */
export function openAPIV3Root(
  resources: readonly ServedResource[],
  options: OpenAPIV3Options = {},
): OpenAPIV3Root {
  const groupVersions = new Map<string, { group: string; version: string }>();
  for (const resource of resources) {
    const key = openAPIV3GroupVersionKey(resource.group, resource.version);
    groupVersions.set(key, { group: resource.group, version: resource.version });
  }
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const key of [...groupVersions.keys()].sort()) {
    const gv = groupVersions.get(key);
    if (gv === undefined) continue;
    const document = openAPIV3GroupVersion(resources, gv.group, gv.version, options);
    if (document === undefined) continue;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${openAPIV3Hash(document)}` };
  }
  return { paths };
}
