import type { Context } from 'koa';
import type winston from 'winston';
import type { GenericStore } from '../../../registry/generic/store.js';
import type { RequestInfo } from '../../../genericapiserver/request/requestinfo.js';
import type { StoredObject } from '../../../storage/interfaces.js';
import type { UserInfo } from '../../../auth/user/user.js';

/** A field of a decoded object that the kind does not have. */
export interface FieldSchema {
  /** Returns the paths of fields the model does not define, such as `spec.bogus`. */
  unknownFields(modelName: string, object: unknown): string[];
  /** Returns a copy of the object without the fields the model does not define. */
  prune(modelName: string, object: StoredObject): StoredObject;
  /** Returns Go-decoder style messages for values of the wrong JSON type. */
  typeErrors(modelName: string, object: unknown): { path: string; message: string }[];
}

/** Applies a patch of one of the patch media types to an object. */
export type PatchApplier = (
  patchType: string,
  original: StoredObject,
  patch: Buffer,
  modelName: string,
) => StoredObject;

/** A write that admission checks before it is stored. */
export interface WriteAttributes {
  /** The user the request acts as, after impersonation. */
  readonly user: UserInfo;
  readonly info: RequestInfo;
  /** The object as it will be stored. */
  readonly object: StoredObject;
  /** The stored object an update or patch replaces; undefined on create. */
  readonly old: StoredObject | undefined;
}

/**
 * Checks a create, update or patch before the object is stored; throws a StatusError (for
 * example 403 Forbidden) to reject it. Runs on dry runs too, as kube-apiserver's admission does.
 */
export type WriteAdmission = (attributes: WriteAttributes) => Promise<void>;

/** What the REST handlers share across requests. */
export interface RESTDependencies {
  schema: FieldSchema;
  applyPatch: PatchApplier;
  /** --min-request-timeout in seconds, for watches without ?timeoutSeconds=. */
  minRequestTimeoutSeconds: number;
  /** Aborted when the server stops, which ends every watch. */
  stop: AbortSignal;
  /** Deletes every object of a namespace before the namespace itself is deleted. */
  deleteNamespaceContents(namespace: string): Promise<void>;
  logger: winston.Logger;
  /** Checks writes before they are stored, such as RBAC's escalation check; none when unset. */
  admission?: WriteAdmission;
}

/** One REST request: its context, resolved request info and the store of its resource. */
export interface RequestScope {
  ctx: Context;
  info: RequestInfo;
  store: GenericStore;
  query: URLSearchParams;
  deps: RESTDependencies;
}
