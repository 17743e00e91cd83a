/**
 * The Swagger 2.0 document at /openapi/v2 and the content negotiation of that endpoint.
 * kubectl requests it only as protobuf, which this server cannot encode. JSON serves other
 * clients, such as curl and API explorers.
 */
import { parseAccept } from '../discovery/accept.js';
import type { ServedResource } from '../discovery/served.js';
import { compareStrings, groupServedResources } from '../discovery/order.js';
import {
  groupVersionPathItems,
  renderPathItemWith,
  type Operation,
  type RenderedPathItem,
} from './operations.js';
import { parameterSpec, type ParameterName } from './parameters.js';
import { DEFAULT_OPENAPI_INFO, type OpenAPIInfo } from './v3.js';

/** A parameter object of Swagger 2.0. */
export interface SwaggerParameter {
  description: string;
  in: 'path' | 'query';
  name: string;
  required?: true;
  type: string;
  uniqueItems: true;
}

/** An operation object of Swagger 2.0, with the Kubernetes extensions. */
export interface SwaggerOperation {
  consumes: string[];
  description: string;
  operationId: string;
  parameters?: SwaggerParameter[];
  produces: string[];
  responses: Record<string, { description: string }>;
  schemes: ['https'];
  tags: string[];
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': { group: string; kind: string; version: string };
}

/** The body of GET /openapi/v2 as JSON. */
export interface SwaggerDocument {
  definitions: Record<string, never>;
  info: OpenAPIInfo;
  paths: Record<string, RenderedPathItem<SwaggerOperation, SwaggerParameter>>;
  /** One requirement per security definition, any of which is enough. */
  security?: Record<string, []>[];
  securityDefinitions?: Record<string, object>;
  swagger: '2.0';
}

/**
 * The reply of /openapi/v2 to an Accept header (kube-openapi's pkg/handler):
 * - `json`: 200 with the document as application/json.
 * - `protobuf`: kube-apiserver sends 200 with the gnostic protobuf encoding, Content-Type
 *   OPENAPI_V2_PROTOBUF_CONTENT_TYPE. kubectl 1.32 always requests this format.
 * - `not-acceptable`: 406 with an empty body, no Status and no Content-Type, and `Vary: Accept`.
 * NOTE: this server has no protobuf encoder for the document. Answering `protobuf` like
 * `not-acceptable` keeps `kubectl apply` working: it ignores any error from this endpoint
 * and builds its patch from its built-in types (kubectl's pkg/cmd/apply/patcher.go).
 */
export type OpenAPIV2Format = 'json' | 'protobuf' | 'not-acceptable';

/** The Content-Type kube-apiserver sends with the protobuf document, for either spelling asked. */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** The media types /openapi/v2 offers, in the order kube-openapi tries them for each clause. */
const OFFERED: readonly { subtype: string; format: Exclude<OpenAPIV2Format, 'not-acceptable'> }[] =
  [
    { subtype: 'json', format: 'json' },
    // The spelling with `@` is deprecated but is the one kubectl 1.32 sends.
    { subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', format: 'protobuf' },
    { subtype: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', format: 'protobuf' },
  ];

const MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_MEDIA_TYPES = [
  ...MEDIA_TYPES,
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
];
const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  401: 'Unauthorized',
};

/**
 * Returns how kube-apiserver replies to GET /openapi/v2 for an Accept header. An empty header
 * accepts anything. Clauses are tried in goautoneg's order, and the first one that names JSON,
 * either protobuf spelling or a wildcard wins, whatever its parameters.
 */
export function negotiateOpenAPIV2(accept: string | undefined): OpenAPIV2Format {
  const header = accept === undefined || accept === '' ? '*/*' : accept;
  for (const clause of parseAccept(header)) {
    if (clause.type !== 'application' && clause.type !== '*') continue;
    for (const offered of OFFERED) {
      if (clause.subtype === offered.subtype || clause.subtype === '*') return offered.format;
    }
  }
  return 'not-acceptable';
}

function renderParameter(name: ParameterName): SwaggerParameter {
  const spec = parameterSpec(name);
  return {
    description: spec.description,
    in: spec.in,
    name: spec.name,
    ...(spec.in === 'path' ? { required: true as const } : {}),
    type: spec.type,
    uniqueItems: true,
  };
}

function mediaTypes(operation: Operation): { consumes: string[]; produces: string[] } {
  if (operation.action === 'connect') return { consumes: ['*/*'], produces: ['*/*'] };
  const watch = operation.action === 'watch' || operation.action === 'watchlist';
  return {
    consumes: operation.action === 'patch' ? [...PATCH_MEDIA_TYPES] : ['*/*'],
    produces: [...(watch ? WATCH_MEDIA_TYPES : MEDIA_TYPES)],
  };
}

function renderOperation(operation: Operation): SwaggerOperation {
  const responses: Record<string, { description: string }> = {};
  for (const code of operation.responses) {
    responses[String(code)] = { description: REASONS[code] ?? String(code) };
  }
  const { consumes, produces } = mediaTypes(operation);
  // No body parameters: they would need the definitions, which are not served.
  return {
    consumes,
    description: operation.description,
    operationId: operation.operationId,
    ...(operation.parameters.length > 0
      ? { parameters: operation.parameters.map(renderParameter) }
      : {}),
    produces,
    responses,
    schemes: ['https'],
    tags: [operation.tag],
    'x-kubernetes-action': operation.action,
    'x-kubernetes-group-version-kind': {
      group: operation.gvk.group,
      kind: operation.gvk.kind,
      version: operation.gvk.version,
    },
  };
}

/** The authenticators that decide which security definitions /openapi/v2 publishes. */
export interface OpenAPIV2Authentication {
  /** True when a basic authenticator is on: --basic-auth-file or Keystone. */
  basicAuthEnabled: boolean;
}

/**
 * Returns the securityDefinitions of /openapi/v2 for the authenticators in use, with the keys,
 * types and descriptions of kube-apiserver's pkg/kubeapiserver/authenticator/config.go up to
 * 1.18, the last release with basic authentication. kube-apiserver adds BearerToken when any
 * token authenticator is on, which here is always, because the token file is never off. It adds
 * HTTPBasic when basic authentication is on.
 */
export function openAPIV2SecurityDefinitions(
  authentication: OpenAPIV2Authentication,
): Record<string, object> {
  const definitions: Record<string, object> = {
    BearerToken: {
      type: 'apiKey',
      name: 'authorization',
      in: 'header',
      description: 'Bearer Token authentication',
    },
  };
  if (authentication.basicAuthEnabled) {
    definitions.HTTPBasic = { type: 'basic', description: 'HTTP Basic authentication' };
  }
  return definitions;
}

/**
 * Builds the Swagger 2.0 document of every served group version. securityDefinitions are
 * passed through as given (see openAPIV2SecurityDefinitions). Top-level `security` lists one
 * requirement per definition, sorted by name, as genericapiserver's Config.Complete builds it.
 * Both keys are left out when there are none. Definitions (schemas) are left out.
 */
export function openAPIV2(
  resources: readonly ServedResource[],
  securityDefinitions: Readonly<Record<string, object>>,
  info: OpenAPIInfo = DEFAULT_OPENAPI_INFO,
): SwaggerDocument {
  const items = groupServedResources(resources)
    .flatMap((group) => group.versions)
    .flatMap((gv) => groupVersionPathItems(resources, gv.group, gv.version))
    .sort((a, b) => compareStrings(a.path, b.path));
  const paths: SwaggerDocument['paths'] = {};
  for (const item of items)
    paths[item.path] = renderPathItemWith(item, renderOperation, renderParameter);
  const names = Object.keys(securityDefinitions).sort();
  return {
    definitions: {},
    info: { ...info },
    paths,
    ...(names.length === 0
      ? {}
      : {
          security: names.map((name) => ({ [name]: [] as [] })),
          securityDefinitions: { ...securityDefinitions },
        }),
    swagger: '2.0',
  };
}
