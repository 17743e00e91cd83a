import {
  ensureObjectField,
  hasField,
  objectArrayField,
  objectField,
  stringField,
  type JSONObject,
} from '../validation/unstructured.js';

/**
 * Defaults of core/v1 pod specs, as kube-apiserver 1.32's SetDefaults_PodSpec,
 * SetDefaults_Container and SetDefaults_Pod fill them. kube-apiserver applies them on every
 * decode; this server applies them in prepareForCreate only.
 */

function setDefault(target: JSONObject, key: string, value: unknown): void {
  if (!hasField(target, key) || target[key] === '') target[key] = value;
}

/**
 * Returns the tag of an image reference: `latest` when it has neither tag nor digest, and ''
 * when it is pinned by digest.
 */
export function imageTag(image: string): string {
  if (image.includes('@')) return '';
  const lastComponent = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastComponent.lastIndexOf(':');
  return colon === -1 ? 'latest' : lastComponent.slice(colon + 1);
}

/**
 * Fills a container's imagePullPolicy (Always for `latest` or untagged images, IfNotPresent
 * otherwise), empty resources, termination message settings and port protocols.
 */
export function setContainerDefaults(container: JSONObject): void {
  const pullPolicy =
    imageTag(stringField(container, 'image')) === 'latest' ? 'Always' : 'IfNotPresent';
  setDefault(container, 'imagePullPolicy', pullPolicy);
  // Go always serializes the resources struct, so kube-apiserver returns `resources: {}`.
  if (!hasField(container, 'resources')) container.resources = {};
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  for (const port of objectArrayField(container, 'ports')) setDefault(port, 'protocol', 'TCP');
}

/**
 * Fills the defaults shared by pods and pod templates: restart and DNS policies, scheduler,
 * grace period, an empty security context, and each container's defaults.
 */
export function setPodSpecDefaults(spec: JSONObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  if (!hasField(spec, 'securityContext')) spec.securityContext = {};
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const container of objectArrayField(spec, 'initContainers')) setContainerDefaults(container);
  for (const container of objectArrayField(spec, 'containers')) setContainerDefaults(container);
}

/**
 * Copies each limit into the matching request where the request is unset. Only pods get
 * this, not pod templates, so a template's QoS is decided by the pods made from it.
 */
function setRequestsFromLimits(container: JSONObject): void {
  const resources = objectField(container, 'resources');
  const limits = objectField(resources, 'limits');
  if (resources === undefined || limits === undefined) return;
  const requests = ensureObjectField(resources, 'requests');
  for (const [name, quantity] of Object.entries(limits)) {
    if (!hasField(requests, name)) requests[name] = quantity;
  }
}

/** Fills a pod's spec defaults plus the pod-only ones: service links and default requests. */
export function setPodDefaults(pod: JSONObject): void {
  const spec = ensureObjectField(pod, 'spec');
  setPodSpecDefaults(spec);
  if (!hasField(spec, 'enableServiceLinks')) spec.enableServiceLinks = true;
  for (const container of objectArrayField(spec, 'initContainers'))
    setRequestsFromLimits(container);
  for (const container of objectArrayField(spec, 'containers')) setRequestsFromLimits(container);
}
