/**
 * What kube-apiserver's request info resolver extracts from a URL and method. Mirrors
 * k8s.io/apiserver/pkg/endpoints/request.RequestInfo.
 */
export interface RequestInfo {
  /** True for paths under an API prefix (/api, /apis) that name a resource or collection. */
  readonly isResourceRequest: boolean;
  /** The URL path without the query, with its percent escapes decoded. */
  readonly path: string;
  /** A Kubernetes verb for resource requests, or the lower-cased HTTP method otherwise. */
  readonly verb: string;
  /** `api` or `apis`, empty for non-resource requests. */
  readonly apiPrefix: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly namespace: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  /** Path segments after the prefix, group and version. */
  readonly parts: readonly string[];
}

const API_PREFIXES = new Set(['api', 'apis']);
/** Prefixes whose paths carry no group segment (the core group). */
const GROUPLESS_API_PREFIXES = new Set(['api']);
/** Verbs that used to be spelled as a path prefix, for example /api/v1/watch/pods. */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** Verbs that never carry a subresource after the name. */
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(['proxy']);
/** Namespace subresources that are not resources inside the namespace. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function nonResourceInfo(path: string, method: string): RequestInfo {
  return {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
}

/**
 * Returns true when ?watch is present with any value but 0 or false (in any case), an empty
 * value included, as kube-apiserver's query parameter conversion reads booleans.
 */
function isWatchQuery(query: URLSearchParams): boolean {
  const value = query.get('watch');
  if (value === null) return false;
  const lowered = value.toLowerCase();
  return lowered !== '0' && lowered !== 'false';
}

/** Returns true for a name usable as one path segment: no slash or %, and not `.` or `..`. */
function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** Returns X of a `metadata.name=X` field selector, which kube-apiserver treats as a name. */
function nameFromFieldSelector(query: URLSearchParams): string {
  const selector = query.get('fieldSelector') ?? '';
  for (const requirement of selector.split(',')) {
    const match = /^metadata\.name(==?)(.*)$/.exec(requirement.trim());
    if (match !== null && isValidPathSegmentName(match[2]!)) return match[2]!;
  }
  return '';
}

function verbForMethod(method: string): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'GET':
    case 'HEAD':
      return 'get';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return '';
  }
}

/** Thrown for an API path that names a special verb but no resource, such as /api/v1/watch. */
export class RequestInfoError extends Error {
  constructor(path: string) {
    super(`unable to determine kind and namespace from url, ${path}`);
    this.name = 'RequestInfoError';
  }
}

/** Thrown for a URL path with a `%` that is not followed by two hex digits. */
export class InvalidPathEscapeError extends Error {
  constructor(rawPath: string) {
    super(`invalid URL escape in path ${JSON.stringify(rawPath)}`);
    this.name = 'InvalidPathEscapeError';
  }
}

/**
 * Decodes the percent escapes of a raw URL path, as Go's url.ParseRequestURI does before
 * kube-apiserver reads req.URL.Path. `+` stays a plus sign, and %2F becomes a slash that later
 * splits segments, as it does in kube-apiserver. Each run of escapes is decoded as UTF-8.
 * @throws InvalidPathEscapeError for a `%` without two hex digits after it.
 */
export function decodeURLPath(rawPath: string): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(rawPath)) throw new InvalidPathEscapeError(rawPath);
  // NOTE: Go keeps bytes that are not valid UTF-8 in the decoded path, but this decoder replaces
  // them with U+FFFD, so messages naming such a path differ from kube-apiserver's.
  return rawPath.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) =>
    Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8'),
  );
}

/**
 * Resolves the request info of a raw URL path, query and method. The path is decoded first,
 * so names, namespaces and the non-resource path are the values clients meant to send.
 *
 * Resource paths look like /api/v1/namespaces/ns/pods/name/subresource or
 * /apis/group/version/resource/name. Everything else, including /api and /apis themselves,
 * is a non-resource request whose verb is the lower-cased method.
 * @throws InvalidPathEscapeError for a path with an invalid percent escape.
 * @throws RequestInfoError for a special-verb prefix with nothing after it (/api/v1/watch).
 */
export function resolveRequestInfo(
  rawPath: string,
  query: URLSearchParams,
  method: string,
): RequestInfo {
  const path = decodeURLPath(rawPath);
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  const prefix = segments[0] ?? '';
  if (segments.length < 3 || !API_PREFIXES.has(prefix)) {
    return nonResourceInfo(path, method);
  }

  let current = segments.slice(1);
  let apiGroup = '';
  if (!GROUPLESS_API_PREFIXES.has(prefix)) {
    if (current.length < 3) return nonResourceInfo(path, method);
    apiGroup = current[0]!;
    current = current.slice(1);
  }
  const apiVersion = current[0]!;
  current = current.slice(1);

  let verb: string;
  if (SPECIAL_VERBS.has(current[0]!)) {
    if (current.length < 2) throw new RequestInfoError(path);
    verb = current[0]!;
    current = current.slice(1);
  } else {
    verb = verbForMethod(method.toUpperCase());
  }

  let namespace = '';
  let resource = '';
  let subresource = '';
  let name = '';
  if (current[0] === 'namespaces') {
    if (current.length > 1) {
      namespace = current[1]!;
      // /namespaces/ns/status and /namespaces/ns/finalize are subresources of the namespace.
      if (current.length > 2 && !NAMESPACE_SUBRESOURCES.has(current[2]!)) {
        current = current.slice(2);
      }
    }
  }

  const parts = current;
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(verb)) {
    subresource = parts[2]!;
  }
  if (parts.length >= 2) name = parts[1]!;
  if (parts.length >= 1) resource = parts[0]!;

  // A GET without a name is a list, or a watch when ?watch is set.
  if (parts.length === 1 && verb === 'get') verb = 'list';
  if (verb === 'list' && isWatchQuery(query)) verb = 'watch';
  if (parts.length === 1 && verb === 'delete') verb = 'deletecollection';
  // A list or watch narrowed to one name is authorized as that name.
  if ((verb === 'list' || verb === 'watch') && name === '') name = nameFromFieldSelector(query);

  return {
    isResourceRequest: true,
    path,
    verb,
    apiPrefix: prefix,
    apiGroup,
    apiVersion,
    namespace,
    resource,
    subresource,
    name,
    parts,
  };
}
