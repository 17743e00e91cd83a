import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import { invalid, required } from './field.js';
import { isDNS1123Subdomain, isQualifiedName } from './names.js';
import { hasField, objectField, stringField } from './unstructured.js';

const REPORTING_INSTANCE_MAX_LENGTH = 128;
const ACTION_MAX_LENGTH = 128;
const REASON_MAX_LENGTH = 128;
const NOTE_MAX_LENGTH = 1024;

function lengthError(path: string, value: string, maxLength: number): FieldError[] {
  if (Buffer.byteLength(value, 'utf8') <= maxLength) return [];
  return [invalid(path, '', `can have at most ${maxLength} characters`)];
}

/**
 * Validates the fields a new-style event (one with eventTime) must carry, as core/v1 names
 * them: reportingComponent, reportingInstance, action and reason.
 */
function validateSeriesEventFields(object: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const reportingController = stringField(object, 'reportingComponent');
  if (reportingController === '') errors.push(required('reportingComponent'));
  for (const message of isQualifiedName(reportingController)) {
    errors.push(invalid('reportingComponent', reportingController, message));
  }
  const reportingInstance = stringField(object, 'reportingInstance');
  if (reportingInstance === '') errors.push(required('reportingInstance'));
  errors.push(
    ...lengthError('reportingInstance', reportingInstance, REPORTING_INSTANCE_MAX_LENGTH),
  );
  const action = stringField(object, 'action');
  if (action === '') errors.push(required('action'));
  errors.push(...lengthError('action', action, ACTION_MAX_LENGTH));
  const reason = stringField(object, 'reason');
  if (reason === '') errors.push(required('reason'));
  errors.push(...lengthError('reason', reason, REASON_MAX_LENGTH));
  errors.push(...lengthError('message', stringField(object, 'message'), NOTE_MAX_LENGTH));
  return errors;
}

/**
 * Validates a core/v1 Event as kube-apiserver's legacy event validation does: the involved
 * object's namespace must agree with the event's, events with eventTime need the reporting
 * fields, and the namespace must be an RFC 1123 subdomain. The metadata is not otherwise
 * validated; see validateObjectMeta.
 */
export function validateEvent(object: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const namespace = stringField(object.metadata, 'namespace');
  const involvedNamespace = stringField(objectField(object, 'involvedObject'), 'namespace');
  const mismatch = invalid(
    'involvedObject.namespace',
    involvedNamespace,
    'does not match event.namespace',
  );
  if (!hasField(object, 'eventTime')) {
    // Old clients may file events about cluster-scoped objects in `default`.
    if (involvedNamespace === '') {
      if (namespace !== '' && namespace !== 'default') errors.push(mismatch);
    } else if (namespace !== involvedNamespace) {
      errors.push(mismatch);
    }
  } else {
    const systemNamespaces = ['default', 'kube-system'];
    if (involvedNamespace === '' && !systemNamespaces.includes(namespace)) errors.push(mismatch);
    errors.push(...validateSeriesEventFields(object));
  }
  for (const message of isDNS1123Subdomain(namespace)) {
    errors.push(invalid('namespace', namespace, message));
  }
  return errors;
}
