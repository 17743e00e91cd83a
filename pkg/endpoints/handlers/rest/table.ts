import type { StoredObject } from '../../../storage/interfaces.js';
import type { ResourceDefinition } from '../../../registry/resource.js';

/** What each Table row carries as its object, from ?includeObject= (Metadata by default). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/**
 * Parses ?includeObject=.
 * @throws Error for another value; the caller responds 400.
 */
export function parseIncludeObject(value: string | null): IncludeObject {
  if (value === null || value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw new Error(
    `includeObject: invalid value ${JSON.stringify(value)}: use None, Metadata or Object`,
  );
}

function rowObject(object: StoredObject, include: IncludeObject): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/**
 * Builds a meta.k8s.io/v1 Table of objects with the resource's printer columns, as
 * kube-apiserver returns for `kubectl get`.
 */
export function buildTable(
  definition: ResourceDefinition,
  objects: readonly StoredObject[],
  options: {
    include: IncludeObject;
    resourceVersion: string;
    continueToken?: string;
    withColumns?: boolean;
  },
  now: Date = new Date(),
): object {
  const metadata: Record<string, string> = { resourceVersion: options.resourceVersion };
  if (options.continueToken !== undefined) metadata.continue = options.continueToken;
  const rows = objects.map((object) => {
    const row: Record<string, unknown> = { cells: definition.printer.cells(object, now) };
    const included = rowObject(object, options.include);
    if (included !== undefined) row.object = included;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.withColumns === false ? null : definition.printer.columns,
    rows,
  };
}
