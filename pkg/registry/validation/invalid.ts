import type { Status, StatusCause, StatusDetails } from '../../apis/meta/v1/status.js';
import { StatusError, failureStatus } from '../../apiserver/errors/statuserror.js';
import type { FieldError } from '../resource.js';
import { fieldErrorString, goQuote } from './field.js';

/** A kind qualified by its API group, as schema.GroupKind; `group` is empty for core. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * Joins field errors as apimachinery's ErrorList.ToAggregate().Error() does: repeated messages
 * are dropped, a single message is returned as it is, and several are wrapped as `[a, b]`.
 */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const unique = [...new Set(errors.map(fieldErrorString))];
  if (unique.length === 1) return unique[0] ?? '';
  return `[${unique.join(', ')}]`;
}

/**
 * Builds the 422 Invalid `Status` that kube-apiserver's errors.NewInvalid returns, such as
 * `Pod "x" is invalid: metadata.name: Required value: ...`. The message qualifies the kind
 * with its group (`Deployment.apps "x" is invalid`); a plain string kind is in the core group.
 * Every error becomes a cause, while the message drops repeated ones. Empty details fields are
 * left out as Go's omitempty does.
 */
export function invalidStatus(
  qualifiedKind: GroupKind | string,
  name: string,
  errors: readonly FieldError[],
): Status {
  const { group, kind } =
    typeof qualifiedKind === 'string' ? { group: '', kind: qualifiedKind } : qualifiedKind;
  const kindString = group === '' ? kind : `${kind}.${group}`;
  let message = `${kindString} ${goQuote(name)} is invalid`;
  if (errors.length > 0) message += `: ${aggregateMessage(errors)}`;

  const causes: StatusCause[] = errors.map((error) => {
    const cause: StatusCause = {};
    if (error.reason !== '') cause.reason = error.reason;
    if (error.message !== '') cause.message = error.message;
    if (error.field !== '') cause.field = error.field;
    return cause;
  });
  const details: StatusDetails = {};
  if (name !== '') details.name = name;
  if (group !== '') details.group = group;
  if (kind !== '') details.kind = kind;
  if (causes.length > 0) details.causes = causes;
  return failureStatus(422, 'Invalid', message, details);
}

/**
 * 422 Invalid for an object that failed validation; see invalidStatus. A ResourceDefinition
 * can be passed as `qualifiedKind`, since it has `group` and `kind`.
 */
export function newInvalid(
  qualifiedKind: GroupKind,
  name: string,
  errors: readonly FieldError[],
): StatusError {
  return new StatusError(invalidStatus(qualifiedKind, name, errors));
}
