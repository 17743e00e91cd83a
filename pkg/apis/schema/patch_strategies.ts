import { modelSchema, type FieldType } from './models.js';

/**
 * Strategic merge patch metadata of one field, as the `patchStrategy` and `patchMergeKey` struct
 * tags of the upstream Go types declare it. client-node's models do not carry these tags.
 */
export interface PatchMeta {
  /** The `patchStrategy` tag split at commas: `merge`, `retainKeys`, `replace`. Empty if absent. */
  readonly patchStrategies: readonly string[];
  /** The `patchMergeKey` tag: the field that identifies a list element; empty if absent. */
  readonly patchMergeKey: string;
}

/** A field's struct tags as upstream spells them: `patchStrategy:"merge,retainKeys"`. */
export interface PatchTags {
  readonly patchStrategy: string;
  readonly patchMergeKey?: string;
}

const NO_TAGS: PatchMeta = { patchStrategies: [], patchMergeKey: '' };

const MERGE_BY_NAME: PatchTags = { patchStrategy: 'merge', patchMergeKey: 'name' };
const MERGE_BY_TYPE: PatchTags = { patchStrategy: 'merge', patchMergeKey: 'type' };
const MERGE_BY_IP: PatchTags = { patchStrategy: 'merge', patchMergeKey: 'ip' };
const MERGE_RETAIN_BY_NAME: PatchTags = {
  patchStrategy: 'merge,retainKeys',
  patchMergeKey: 'name',
};

/** Container and EphemeralContainer (EphemeralContainerCommon) carry the same tags. */
const CONTAINER_TAGS: Readonly<Record<string, PatchTags>> = {
  ports: { patchStrategy: 'merge', patchMergeKey: 'containerPort' },
  env: MERGE_BY_NAME,
  volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath' },
  volumeDevices: { patchStrategy: 'merge', patchMergeKey: 'devicePath' },
};

/**
 * The tagged fields of the kinds served here, keyed by client-node model and JSON field name,
 * transcribed from the struct tags of the Go types (k8s.io/api core/v1 and apps/v1 types.go,
 * k8s.io/apimachinery meta/v1 types.go). Every other list is replaced whole by a strategic merge
 * patch. That includes all lists of rbac/v1 (rules, subjects), which carry no tags, and
 * ServiceAccount.imagePullSecrets, which unlike PodSpec.imagePullSecrets has none.
 */
export const PATCH_TAGS: Readonly<Record<string, Readonly<Record<string, PatchTags>>>> = {
  V1ObjectMeta: {
    finalizers: { patchStrategy: 'merge' },
    ownerReferences: { patchStrategy: 'merge', patchMergeKey: 'uid' },
  },
  V1PodSpec: {
    volumes: MERGE_RETAIN_BY_NAME,
    initContainers: MERGE_BY_NAME,
    containers: MERGE_BY_NAME,
    ephemeralContainers: MERGE_BY_NAME,
    imagePullSecrets: MERGE_BY_NAME,
    hostAliases: MERGE_BY_IP,
    topologySpreadConstraints: { patchStrategy: 'merge', patchMergeKey: 'topologyKey' },
    resourceClaims: MERGE_RETAIN_BY_NAME,
    schedulingGates: MERGE_BY_NAME,
  },
  V1Container: CONTAINER_TAGS,
  V1EphemeralContainer: CONTAINER_TAGS,
  V1PodStatus: {
    conditions: MERGE_BY_TYPE,
    podIPs: MERGE_BY_IP,
    hostIPs: MERGE_BY_IP,
    resourceClaimStatuses: MERGE_RETAIN_BY_NAME,
  },
  V1ServiceSpec: {
    ports: { patchStrategy: 'merge', patchMergeKey: 'port' },
  },
  V1ServiceStatus: { conditions: MERGE_BY_TYPE },
  V1ServiceAccount: { secrets: MERGE_BY_NAME },
  V1NamespaceStatus: { conditions: MERGE_BY_TYPE },
  V1DeploymentSpec: { strategy: { patchStrategy: 'retainKeys' } },
  V1DeploymentStatus: { conditions: MERGE_BY_TYPE },
};

/** Returns the strategic merge patch metadata of a model's field; empty when it has no tags. */
export function patchMetaOf(modelName: string, fieldName: string): PatchMeta {
  const tags = PATCH_TAGS[modelName]?.[fieldName];
  if (tags === undefined) return NO_TAGS;
  return {
    patchStrategies: tags.patchStrategy.split(','),
    patchMergeKey: tags.patchMergeKey ?? '',
  };
}

/**
 * Returns the patch metadata of the field at a dotted path from a model, such as
 * `spec.template.spec.containers` from `V1Deployment`. List indices (`containers[0]`) are
 * ignored. Returns undefined when the path leaves the model's declared fields.
 */
export function patchMetaAt(modelName: string, path: string): PatchMeta | undefined {
  const segments = path.split('.').map((segment) => segment.replace(/\[\d+\]$/, ''));
  const last = segments.pop();
  if (last === undefined || last === '') return undefined;
  let model = modelName;
  for (const segment of segments) {
    const field = modelSchema(model)?.fields.get(segment);
    const next = field === undefined ? undefined : innermostModel(field.type);
    if (next === undefined) return undefined;
    model = next;
  }
  if (modelSchema(model)?.fields.has(last) !== true) return undefined;
  return patchMetaOf(model, last);
}

/**
 * Returns the merge key of the list at a dotted path from a model (`name` for
 * `spec.containers` of `V1Pod`), or undefined when that list has none.
 */
export function mergeKeyOf(modelName: string, path: string): string | undefined {
  const key = patchMetaAt(modelName, path)?.patchMergeKey;
  return key === undefined || key === '' ? undefined : key;
}

function innermostModel(type: FieldType): string | undefined {
  switch (type.kind) {
    case 'model':
      return type.model;
    case 'array':
      return innermostModel(type.items);
    case 'map':
      return innermostModel(type.values);
    default:
      return undefined;
  }
}
