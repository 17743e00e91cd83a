/**
 * The query and path parameters of kube-apiserver's REST operations, as its OpenAPI documents
 * name them. kubectl looks for `fieldValidation` among a PATCH operation's own parameters to
 * decide whether the server validates fields itself, so the names must stay exact.
 */

/** The name of a parameter, as it appears in the URL. */
export type ParameterName =
  | 'allowWatchBookmarks'
  | 'continue'
  | 'dryRun'
  | 'fieldManager'
  | 'fieldSelector'
  | 'fieldValidation'
  | 'force'
  | 'gracePeriodSeconds'
  | 'ignoreStoreReadErrorWithClusterBreakingPotential'
  | 'labelSelector'
  | 'limit'
  | 'name'
  | 'namespace'
  | 'orphanDependents'
  | 'pretty'
  | 'propagationPolicy'
  | 'resourceVersion'
  | 'resourceVersionMatch'
  | 'sendInitialEvents'
  | 'timeoutSeconds'
  | 'watch';

/** A parameter independent of the OpenAPI version that renders it. */
export interface ParameterSpec {
  readonly name: ParameterName;
  readonly in: 'path' | 'query';
  readonly description: string;
  readonly type: 'string' | 'boolean' | 'integer';
}

type ParameterFields = Omit<ParameterSpec, 'name'>;

const query = (type: ParameterSpec['type'], description: string): ParameterFields => ({
  in: 'query',
  description,
  type,
});

/** One entry per ParameterName: the Record type makes the compiler reject a missing one. */
const SPECS: Readonly<Record<ParameterName, ParameterFields>> = {
  allowWatchBookmarks: query(
    'boolean',
    'Requests BOOKMARK events, which carry only a resourceVersion, during a watch.',
  ),
  continue: query('string', 'The continue token of the previous page of a paginated list.'),
  dryRun: query('string', 'All: run every stage of the request but persist nothing.'),
  fieldManager: query(
    'string',
    'The name recorded as the manager of the fields this request sets.',
  ),
  fieldSelector: query(
    'string',
    'Restricts the objects returned by their fields, such as metadata.name=x.',
  ),
  fieldValidation: query(
    'string',
    'How to treat unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict.',
  ),
  force: query('boolean', 'Makes an apply patch take over fields that other managers own.'),
  gracePeriodSeconds: query('integer', 'Seconds to wait before the object is deleted.'),
  ignoreStoreReadErrorWithClusterBreakingPotential: query(
    'boolean',
    'Deletes an object that cannot be read from storage; unsafe.',
  ),
  labelSelector: query('string', 'Restricts the objects returned by their labels.'),
  limit: query('integer', 'The maximum number of objects in one page of a list.'),
  name: { in: 'path', description: 'The name of the object.', type: 'string' },
  namespace: { in: 'path', description: 'The namespace of the objects.', type: 'string' },
  orphanDependents: query(
    'boolean',
    'Deprecated in favour of propagationPolicy: true orphans the dependents.',
  ),
  pretty: query('string', 'true requests indented output.'),
  propagationPolicy: query(
    'string',
    'How dependents are garbage collected: Orphan, Background or Foreground.',
  ),
  resourceVersion: query('string', 'The resourceVersion a list or watch starts from.'),
  resourceVersionMatch: query(
    'string',
    'How resourceVersion applies to a list: Exact or NotOlderThan.',
  ),
  sendInitialEvents: query('boolean', 'Starts a watch with ADDED events for the current objects.'),
  timeoutSeconds: query('integer', 'Ends a list or watch after this many seconds.'),
  watch: query('boolean', 'Streams changes as watch events instead of returning a list.'),
};

/** Returns the location, type and description of a parameter. */
export function parameterSpec(name: ParameterName): ParameterSpec {
  return { name, ...SPECS[name] };
}

/** The parameters of a list or watch. */
export const LIST_PARAMETERS: readonly ParameterName[] = [
  'allowWatchBookmarks',
  'continue',
  'fieldSelector',
  'labelSelector',
  'limit',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
];

/** The parameters of a create or replace. */
export const WRITE_PARAMETERS: readonly ParameterName[] = [
  'dryRun',
  'fieldManager',
  'fieldValidation',
];

/** The parameters of a patch; kubectl requires fieldValidation here for server-side validation. */
export const PATCH_PARAMETERS: readonly ParameterName[] = [...WRITE_PARAMETERS, 'force'];

/** The parameters of a delete, from meta/v1 DeleteOptions. */
export const DELETE_PARAMETERS: readonly ParameterName[] = [
  'dryRun',
  'gracePeriodSeconds',
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'orphanDependents',
  'propagationPolicy',
];

/** The parameters of a delete of a collection: a delete's and a list's, without watch ones. */
export const DELETE_COLLECTION_PARAMETERS: readonly ParameterName[] = [
  ...new Set([
    ...DELETE_PARAMETERS,
    ...LIST_PARAMETERS.filter((name) => name !== 'allowWatchBookmarks' && name !== 'watch'),
  ]),
].sort();
