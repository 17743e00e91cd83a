import {
  newAlreadyExists,
  newConflict,
  newNotFound,
  newResourceExpired,
  type QualifiedResource,
  type StatusError,
} from '../../apiserver/errors/statuserror.js';
import { StorageError } from '../../storage/interfaces.js';

/** The message kube-apiserver gives for a write whose resourceVersion is stale. */
export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

/**
 * Converts a storage error into the `Status` kube-apiserver sends for it; other errors are
 * returned unchanged.
 */
export function interpretStorageError(
  err: unknown,
  qualified: QualifiedResource,
  name: string,
): unknown {
  if (!(err instanceof StorageError)) return err;
  const statusError: StatusError = (() => {
    switch (err.code) {
      case 'KeyNotFound':
        return newNotFound(qualified, name);
      case 'KeyExists':
        return newAlreadyExists(qualified, name);
      case 'ResourceVersionConflict':
        return newConflict(qualified, name, OBJECT_MODIFIED);
      case 'UIDConflict':
        return newConflict(qualified, name, `Precondition failed: ${err.message}`);
      case 'TooOldResourceVersion':
        return newResourceExpired(err.message);
    }
  })();
  return statusError;
}
