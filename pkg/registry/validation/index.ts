/**
 * Validation of built-in objects with kube-apiserver 1.32's messages, and the 422 Invalid
 * Status built from its field errors.
 */
export { validateConfigMap, validateSecret, MAX_DATA_SIZE_BYTES } from './configmap.js';
export { validateDeployment } from './deployment.js';
export { validateEvent } from './event.js';
export {
  GoSyntax,
  child,
  duplicate,
  fieldErrorString,
  forbidden,
  goQuote,
  index,
  invalid,
  key,
  notSupported,
  required,
  tooLong,
  type BadValue,
} from './field.js';
export { aggregateMessage, invalidStatus, newInvalid, type GroupKind } from './invalid.js';
export {
  formatLabels,
  parseLabelSelector,
  selectorMatches,
  selectorString,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
  TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
} from './labels.js';
export { validateNamespace } from './namespace.js';
export {
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  nameValidatorForKind,
  validateObjectMeta,
  type NameValidator,
  type ObjectMetaOptions,
} from './objectmeta.js';
export { validatePod, validatePodSpec, validatePodTemplateSpec } from './pod.js';
export {
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from './rbac.js';
export { validateService } from './service.js';
