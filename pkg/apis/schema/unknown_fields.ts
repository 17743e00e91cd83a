import {
  isJSONObject,
  modelSchema,
  requireModelSchema,
  setJSONField,
  type FieldType,
} from './models.js';

/**
 * Lists the fields of `object` that the model does not declare, in document order, as paths in
 * the form kube-apiserver's strict decoder (sigs.k8s.io/json) reports them:
 * `strict decoding error: unknown field "spec.containers[0].foo"`. Map values and fields typed
 * `any` are open, so any key is accepted there. Values of the wrong JSON type are skipped,
 * because fieldTypeErrors reports them.
 *
 * @throws TypeError when client-node has no model named `modelName`.
 */
export function findUnknownFields(modelName: string, object: unknown): string[] {
  requireModelSchema(modelName);
  const found: string[] = [];
  collectUnknown({ kind: 'model', model: modelName }, object, '', found);
  return found;
}

/**
 * Returns a deep copy of `object` without the fields the model does not declare. kube-apiserver
 * drops them the same way when it decodes a body into its Go types, whatever the `fieldValidation`
 * setting, so a stored object never carries them.
 *
 * @throws TypeError when client-node has no model named `modelName`.
 */
export function pruneUnknownFields<T>(modelName: string, object: T): T {
  requireModelSchema(modelName);
  return prune({ kind: 'model', model: modelName }, object) as T;
}

/** Joins a field or map key onto a path: `spec` + `containers` is `spec.containers`. */
export function joinFieldPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function collectUnknown(type: FieldType, value: unknown, path: string, found: string[]): void {
  switch (type.kind) {
    case 'model': {
      const schema = modelSchema(type.model);
      if (schema === undefined || !isJSONObject(value)) return;
      for (const [key, child] of Object.entries(value)) {
        const field = schema.fields.get(key);
        const childPath = joinFieldPath(path, key);
        if (field === undefined) found.push(childPath);
        else collectUnknown(field.type, child, childPath, found);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => collectUnknown(type.items, item, `${path}[${i}]`, found));
      return;
    case 'map':
      if (!isJSONObject(value)) return;
      for (const [key, child] of Object.entries(value)) {
        collectUnknown(type.values, child, joinFieldPath(path, key), found);
      }
      return;
    case 'scalar':
    case 'open':
      return;
  }
}

function prune(type: FieldType, value: unknown): unknown {
  switch (type.kind) {
    case 'model': {
      const schema = modelSchema(type.model);
      if (schema === undefined || !isJSONObject(value)) return structuredClone(value);
      const pruned: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        const field = schema.fields.get(key);
        if (field !== undefined) setJSONField(pruned, key, prune(field.type, child));
      }
      return pruned;
    }
    case 'array':
      if (!Array.isArray(value)) return structuredClone(value);
      return value.map((item) => prune(type.items, item));
    case 'map': {
      if (!isJSONObject(value)) return structuredClone(value);
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        setJSONField(copy, key, prune(type.values, child));
      }
      return copy;
    }
    case 'scalar':
    case 'open':
      return structuredClone(value);
  }
}
