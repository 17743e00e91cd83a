import type winston from 'winston';
import { fieldTypeErrors } from '../../../apis/schema/type_errors.js';
import { findUnknownFields, pruneUnknownFields } from '../../../apis/schema/unknown_fields.js';
import { applyPatch } from '../../../registry/patch/patch.js';
import type { StoredObject } from '../../../storage/interfaces.js';
import type { RESTDependencies, WriteAdmission } from './scope.js';

/** Builds the REST handlers' dependencies from the schema of @kubernetes/client-node's models. */
export function newRESTDependencies(options: {
  minRequestTimeoutSeconds: number;
  stop: AbortSignal;
  deleteNamespaceContents(namespace: string): Promise<void>;
  logger: winston.Logger;
  /** Checks creates, updates and patches before they are stored. None when unset. */
  admission?: WriteAdmission;
}): RESTDependencies {
  return {
    schema: {
      unknownFields: findUnknownFields,
      prune: (modelName, object) => pruneUnknownFields(modelName, object),
      typeErrors: fieldTypeErrors,
    },
    applyPatch: (patchType, original, patch, modelName) =>
      applyPatch(patchType, original, patch, modelName) as StoredObject,
    ...options,
  };
}
