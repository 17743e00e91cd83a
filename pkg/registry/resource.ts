import type { StoredObject } from '../storage/interfaces.js';

/** A column of `kubectl get`'s table, as meta.k8s.io/v1 TableColumnDefinition describes it. */
export interface PrinterColumn {
  readonly name: string;
  /** OpenAPI type of the cells: string, integer, number, boolean or date. */
  readonly type: string;
  /** `name` for the object name column, otherwise empty or an OpenAPI format. */
  readonly format: string;
  readonly description: string;
  /** 0 for columns always shown, 1 for columns shown only with `-o wide`. */
  readonly priority: number;
}

/** Printer columns and the function that fills a row's cells, one cell per column. */
export interface TablePrinter {
  readonly columns: readonly PrinterColumn[];
  /** Returns the cells of one object's row; `now` is for ages such as `5m`. */
  cells(object: StoredObject, now: Date): unknown[];
}

/** One field error of a 422 Invalid response. */
export interface FieldError {
  /** kube-apiserver's cause reason, such as FieldValueRequired or FieldValueInvalid. */
  readonly reason: string;
  /** The path of the field, such as `metadata.name` or `spec.containers[0].image`. */
  readonly field: string;
  /** The message without the field, such as `Required value`. */
  readonly message: string;
}

/**
 * A served resource, declared as data. The generic store and REST handlers serve every
 * resource from its definition; nothing else is written per resource.
 */
export interface ResourceDefinition {
  /** API group; empty for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  /** The plural, lower-case resource name used in URLs, such as `pods`. */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  /** Subresources served, such as `status`. */
  readonly subresources: readonly string[];
  readonly printer: TablePrinter;
  /**
   * Fields a field selector may name besides metadata.name and metadata.namespace, such as
   * status.phase for pods.
   */
  readonly fieldLabels?: readonly string[];
  /**
   * The @kubernetes/client-node model class name of the kind (for example `V1Pod`), whose
   * field list defines which fields are known and how strategic merge patch merges lists.
   */
  readonly modelName: string;
  /** Fills server-side defaults and status on create, as kube-apiserver's strategies do. */
  prepareForCreate?(object: StoredObject): void;
  /** Validates an object beyond its metadata; returns every problem found. */
  validate?(object: StoredObject): FieldError[];
}
