import type { Status, StatusDetails } from '../../apis/meta/v1/status.js';

/**
 * An error that reaches the client as a `Status` body. Build one with the factory named after
 * its reason (newUnauthorized, newForbidden, ...), as k8s.io/apimachinery/pkg/api/errors does.
 */
export class StatusError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(status.message ?? status.reason ?? `status ${status.code}`);
    this.name = 'StatusError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** Builds a failure `Status`, leaving out empty optional fields as Go's omitempty does. */
export function failureStatus(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): Status {
  // Keys are added in kube-apiserver's field order, so clients and tests see the same JSON.
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
  } as Status;
  if (details !== undefined) status.details = details;
  status.code = code;
  return status;
}

/** Describes the object a failure concerns, as StatusDetails' group, kind and name. */
export interface QualifiedResource {
  group: string;
  resource: string;
}

function detailsFor(qualified: QualifiedResource, name: string): StatusDetails {
  const details: StatusDetails = {};
  if (name !== '') details.name = name;
  if (qualified.group !== '') details.group = qualified.group;
  if (qualified.resource !== '') details.kind = qualified.resource;
  return details;
}

function qualifiedString(qualified: QualifiedResource): string {
  return qualified.group === '' ? qualified.resource : `${qualified.resource}.${qualified.group}`;
}

/** 401 Unauthorized. kube-apiserver sends the bare word as the message. */
export function newUnauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(failureStatus(401, 'Unauthorized', message));
}

/**
 * 403 Forbidden for a named object. The message reads `pods "x" is forbidden: <message>`, or
 * `pods is forbidden: ...` without a name, and just `forbidden: ...` for non-resource requests.
 */
export function newForbidden(
  qualified: QualifiedResource,
  name: string,
  message: string,
): StatusError {
  const resource = qualifiedString(qualified);
  let subject = 'forbidden';
  if (resource !== '' && name !== '') subject = `${resource} "${name}" is forbidden`;
  else if (resource !== '') subject = `${resource} is forbidden`;
  return new StatusError(
    failureStatus(403, 'Forbidden', `${subject}: ${message}`, detailsFor(qualified, name)),
  );
}

/** 404 NotFound for a named object: `pods "x" not found`. */
export function newNotFound(qualified: QualifiedResource, name: string): StatusError {
  const resource = qualifiedString(qualified);
  return new StatusError(
    failureStatus(404, 'NotFound', `${resource} "${name}" not found`, detailsFor(qualified, name)),
  );
}

/** 404 NotFound for a path no handler serves. */
export function newPathNotFound(): StatusError {
  return new StatusError(
    failureStatus(404, 'NotFound', 'the server could not find the requested resource'),
  );
}

/** 400 BadRequest. */
export function newBadRequest(message: string): StatusError {
  return new StatusError(failureStatus(400, 'BadRequest', message));
}

/** 405 MethodNotAllowed for a verb a resource does not support. */
export function newMethodNotSupported(qualified: QualifiedResource, action: string): StatusError {
  const resource = qualifiedString(qualified);
  return new StatusError(
    failureStatus(
      405,
      'MethodNotAllowed',
      `${action} is not supported on resources of kind "${resource}"`,
      detailsFor(qualified, ''),
    ),
  );
}

/** 413 RequestEntityTooLarge. */
export function newRequestEntityTooLarge(message: string): StatusError {
  return new StatusError(
    failureStatus(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`),
  );
}

/** 415 UnsupportedMediaType for a request body in a format the server cannot decode. */
export function newUnsupportedMediaType(accepted: string[]): StatusError {
  return new StatusError(
    failureStatus(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  );
}

/** 504 Timeout: the server did not finish the request in time. */
export function newTimeout(message: string, retryAfterSeconds: number): StatusError {
  const details: StatusDetails = {};
  if (retryAfterSeconds > 0) details.retryAfterSeconds = retryAfterSeconds;
  return new StatusError(failureStatus(504, 'Timeout', `Timeout: ${message}`, details));
}

/** 500 InternalError. The message stays generic; the cause belongs in the log. */
export function newInternalError(message: string): StatusError {
  return new StatusError(
    failureStatus(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    }),
  );
}

/** 409 AlreadyExists: `pods "x" already exists`. */
export function newAlreadyExists(qualified: QualifiedResource, name: string): StatusError {
  const resource = qualifiedString(qualified);
  return new StatusError(
    failureStatus(
      409,
      'AlreadyExists',
      `${resource} "${name}" already exists`,
      detailsFor(qualified, name),
    ),
  );
}

/** 409 Conflict for a write whose precondition (resourceVersion or uid) no longer holds. */
export function newConflict(
  qualified: QualifiedResource,
  name: string,
  cause: string,
): StatusError {
  const resource = qualifiedString(qualified);
  return new StatusError(
    failureStatus(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${resource} "${name}": ${cause}`,
      detailsFor(qualified, name),
    ),
  );
}

/** 410 Expired for a watch or list from a resourceVersion the server no longer keeps. */
export function newResourceExpired(message: string): StatusError {
  return new StatusError(failureStatus(410, 'Expired', message));
}
