import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import { child, duplicate, forbidden, index, invalid, notSupported, required } from './field.js';
import { validateLabels } from './labels.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from './names.js';
import { SUPPORTED_PORT_PROTOCOLS } from './pod.js';
import {
  arrayField,
  numberField,
  objectArrayField,
  objectField,
  stringField,
  stringMapField,
  type JSONObject,
} from './unstructured.js';

/** Service types, sorted as Go's sets.List returns them. */
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];

function validateTargetPort(targetPort: unknown, path: string): FieldError[] {
  // Zero and '' mean unset, because defaulting replaces them with the port.
  if (targetPort === 0 || targetPort === '') return [];
  if (typeof targetPort === 'number') {
    return isValidPortNum(targetPort).map((message) => invalid(path, targetPort, message));
  }
  if (typeof targetPort === 'string') {
    return isValidPortName(targetPort).map((message) => invalid(path, targetPort, message));
  }
  return [];
}

function validateServicePort(
  port: JSONObject,
  requireName: boolean,
  names: Set<string>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const name = stringField(port, 'name');
  if (requireName && name === '') {
    errors.push(required(child(path, 'name')));
  } else if (name !== '') {
    for (const message of isDNS1123Label(name))
      errors.push(invalid(child(path, 'name'), name, message));
    if (names.has(name)) errors.push(duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  const portNumber = numberField(port, 'port') ?? 0;
  for (const message of isValidPortNum(portNumber)) {
    errors.push(invalid(child(path, 'port'), portNumber, message));
  }
  // Differs from kube-apiserver: an absent protocol is not Required, because this server
  // defaults it only on create.
  const protocol = stringField(port, 'protocol');
  if (protocol !== '' && !SUPPORTED_PORT_PROTOCOLS.includes(protocol)) {
    errors.push(notSupported(child(path, 'protocol'), protocol, SUPPORTED_PORT_PROTOCOLS));
  }
  errors.push(...validateTargetPort(port.targetPort, child(path, 'targetPort')));
  return errors;
}

/**
 * Validates the basics of a Service beyond its metadata, in ValidateService's order: ports
 * (required unless headless or ExternalName), the external name, each port, the selector,
 * the session affinity and the type. Type and session affinity are checked only when set.
 */
export function validateService(object: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = objectField(object, 'spec');
  const type = stringField(spec, 'type');
  const ports = objectArrayField(spec, 'ports');
  const headless = stringField(spec, 'clusterIP') === 'None';
  if (ports.length === 0 && !headless && type !== 'ExternalName') {
    errors.push(required('spec.ports'));
  }
  if (type === 'ExternalName') {
    if (arrayField(spec, 'clusterIPs').length > 0) {
      errors.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
    // A trailing dot marks the name as fully qualified.
    const externalName = stringField(spec, 'externalName').replace(/\.$/, '');
    if (externalName === '') {
      errors.push(required('spec.externalName'));
    } else {
      for (const message of isDNS1123Subdomain(externalName)) {
        errors.push(invalid('spec.externalName', externalName, message));
      }
    }
  }
  const names = new Set<string>();
  ports.forEach((port, position) => {
    errors.push(
      ...validateServicePort(port, ports.length > 1, names, index('spec.ports', position)),
    );
  });
  errors.push(...validateLabels(stringMapField(spec, 'selector'), 'spec.selector'));

  const sessionAffinity = stringField(spec, 'sessionAffinity');
  if (sessionAffinity !== '' && !SESSION_AFFINITIES.includes(sessionAffinity)) {
    errors.push(notSupported('spec.sessionAffinity', sessionAffinity, SESSION_AFFINITIES));
  }
  if (type !== '' && !SERVICE_TYPES.includes(type)) {
    errors.push(notSupported('spec.type', type, SERVICE_TYPES));
  }
  return errors;
}
