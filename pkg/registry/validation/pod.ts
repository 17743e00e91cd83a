import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import { child, duplicate, index, invalid, notSupported, required } from './field.js';
import { validateAnnotations, validateLabels } from './labels.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from './names.js';
import {
  numberField,
  objectArrayField,
  objectField,
  stringField,
  stringMapField,
  type JSONObject,
} from './unstructured.js';

/** Protocols a container or service port may use, sorted as Go's sets.List returns them. */
export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

function validateContainerPorts(ports: JSONObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, position) => {
    const portPath = index(path, position);
    const name = stringField(port, 'name');
    if (name !== '') {
      const messages = isValidPortName(name);
      if (messages.length > 0) {
        for (const message of messages)
          errors.push(invalid(child(portPath, 'name'), name, message));
      } else if (names.has(name)) {
        errors.push(duplicate(child(portPath, 'name'), name));
      } else {
        names.add(name);
      }
    }
    const containerPort = numberField(port, 'containerPort') ?? 0;
    if (containerPort === 0) {
      errors.push(required(child(portPath, 'containerPort')));
    } else {
      for (const message of isValidPortNum(containerPort)) {
        errors.push(invalid(child(portPath, 'containerPort'), containerPort, message));
      }
    }
    const hostPort = numberField(port, 'hostPort') ?? 0;
    if (hostPort !== 0) {
      for (const message of isValidPortNum(hostPort)) {
        errors.push(invalid(child(portPath, 'hostPort'), hostPort, message));
      }
    }
    // Differs from kube-apiserver: an absent protocol is not reported as Required, because
    // this server defaults it only on create and an update may still lack it.
    const protocol = stringField(port, 'protocol');
    if (protocol !== '' && !SUPPORTED_PORT_PROTOCOLS.includes(protocol)) {
      errors.push(notSupported(child(portPath, 'protocol'), protocol, SUPPORTED_PORT_PROTOCOLS));
    }
  });
  return errors;
}

/** Checks what every container kind shares: name, image and ports. */
function validateContainerCommon(container: JSONObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = stringField(container, 'name');
  if (name === '') {
    errors.push(required(child(path, 'name')));
  } else {
    for (const message of isDNS1123Label(name)) {
      errors.push(invalid(child(path, 'name'), name, message));
    }
  }
  if (stringField(container, 'image') === '') errors.push(required(child(path, 'image')));
  errors.push(
    ...validateContainerPorts(objectArrayField(container, 'ports'), child(path, 'ports')),
  );
  return errors;
}

/**
 * Validates the basics of a PodSpec as ValidatePodSpec does, in its order: containers (at
 * least one, unique names, an image each, valid ports), then init containers, whose names must
 * not repeat any container name, then restartPolicy.
 */
export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const containersPath = child(path, 'containers');
  const containers = objectArrayField(spec, 'containers');
  const names = new Set<string>();
  if (containers.length === 0) {
    errors.push(required(containersPath));
  }
  containers.forEach((container, position) => {
    const containerPath = index(containersPath, position);
    errors.push(...validateContainerCommon(container, containerPath));
    const name = stringField(container, 'name');
    if (names.has(name)) errors.push(duplicate(child(containerPath, 'name'), name));
    else names.add(name);
  });

  const initPath = child(path, 'initContainers');
  objectArrayField(spec, 'initContainers').forEach((container, position) => {
    const containerPath = index(initPath, position);
    errors.push(...validateContainerCommon(container, containerPath));
    const name = stringField(container, 'name');
    if (names.has(name)) errors.push(duplicate(child(containerPath, 'name'), name));
    else names.add(name);
  });

  // Differs from kube-apiserver: an absent restartPolicy is not Required, as for protocols.
  const restartPolicy = stringField(spec, 'restartPolicy');
  if (restartPolicy !== '' && !RESTART_POLICIES.includes(restartPolicy)) {
    errors.push(notSupported(child(path, 'restartPolicy'), restartPolicy, RESTART_POLICIES));
  }
  return errors;
}

/** Validates a Pod beyond its metadata. */
export function validatePod(object: StoredObject): FieldError[] {
  return validatePodSpec(objectField(object, 'spec'), 'spec');
}

/**
 * Validates a PodTemplateSpec as ValidatePodTemplateSpec does. Its label and annotation errors
 * name `<path>.labels` and `<path>.annotations`, without `.metadata`, exactly as Go does.
 */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  const metadata = objectField(template, 'metadata');
  const errors = validateLabels(stringMapField(metadata, 'labels'), child(path, 'labels'));
  errors.push(
    ...validateAnnotations(stringMapField(metadata, 'annotations'), child(path, 'annotations')),
  );
  errors.push(...validatePodSpec(objectField(template, 'spec'), child(path, 'spec')));
  return errors;
}
