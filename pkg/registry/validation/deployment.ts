import type { StoredObject } from '../../storage/interfaces.js';
import type { FieldError } from '../resource.js';
import {
  GoSyntax,
  forbidden,
  goQuote,
  goStringMap,
  goStringSlice,
  invalid,
  notSupported,
  required,
} from './field.js';
import { parseLabelSelector, selectorMatches, validateLabelSelector } from './labels.js';
import { validatePodTemplateSpec } from './pod.js';
import {
  arrayField,
  hasField,
  isObject,
  numberField,
  objectField,
  stringArrayField,
  stringField,
  stringMapField,
} from './unstructured.js';

const NEGATIVE_MESSAGE = 'must be greater than or equal to 0';

function validateNonnegative(parent: unknown, key: string, path: string): FieldError[] {
  const value = numberField(parent, key);
  if (value === undefined || value >= 0) return [];
  return [invalid(path, value, NEGATIVE_MESSAGE)];
}

function goStringMapOrNil(parent: unknown, key: string): GoSyntax {
  return hasField(parent, key) ? goStringMap(stringMapField(parent, key)) : goStringMap(undefined);
}

/**
 * Renders a label selector as Go's `%#v` of metav1.LabelSelector, which kube-apiserver prints
 * as the bad value of `spec.selector` errors.
 */
export function goLabelSelector(selector: unknown): GoSyntax {
  const matchLabels = goStringMapOrNil(selector, 'matchLabels').text;
  let expressions = '[]v1.LabelSelectorRequirement(nil)';
  if (isObject(selector) && Array.isArray(selector.matchExpressions)) {
    const items = arrayField(selector, 'matchExpressions').map((expression) => {
      const values = hasField(expression, 'values')
        ? goStringSlice(stringArrayField(expression, 'values')).text
        : goStringSlice(undefined).text;
      const key = goQuote(stringField(expression, 'key'));
      const operator = goQuote(stringField(expression, 'operator'));
      return `v1.LabelSelectorRequirement{Key:${key}, Operator:${operator}, Values:${values}}`;
    });
    expressions = `[]v1.LabelSelectorRequirement{${items.join(', ')}}`;
  }
  return new GoSyntax(
    `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${expressions}}`,
  );
}

function validateSelectorAndTemplate(spec: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const selector = objectField(spec, 'selector');
  if (selector === undefined) {
    errors.push(required('spec.selector'));
  } else {
    errors.push(...validateLabelSelector(selector, 'spec.selector'));
    const count =
      Object.keys(stringMapField(selector, 'matchLabels')).length +
      arrayField(selector, 'matchExpressions').length;
    if (count === 0) {
      errors.push(
        invalid(
          'spec.selector',
          goLabelSelector(selector),
          'empty selector is invalid for deployment',
        ),
      );
    }
  }

  const parsed = parseLabelSelector(selector);
  if (parsed === undefined) {
    // kube-apiserver skips the template checks when the selector cannot be converted.
    errors.push(invalid('spec.selector', goLabelSelector(selector), 'invalid label selector'));
    return errors;
  }
  const template = objectField(spec, 'template');
  const templateMetadata = objectField(template, 'metadata');
  const empty = parsed.kind === 'requirements' && parsed.requirements.length === 0;
  if (!empty && !selectorMatches(parsed, stringMapField(templateMetadata, 'labels'))) {
    errors.push(
      invalid(
        'spec.template.metadata.labels',
        goStringMapOrNil(templateMetadata, 'labels'),
        '`selector` does not match template `labels`',
      ),
    );
  }
  errors.push(...validatePodTemplateSpec(template, 'spec.template'));
  const templateSpec = objectField(template, 'spec');
  const restartPolicy = stringField(templateSpec, 'restartPolicy');
  if (restartPolicy !== '' && restartPolicy !== 'Always') {
    errors.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  if (hasField(templateSpec, 'activeDeadlineSeconds')) {
    errors.push(
      forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  }
  return errors;
}

/**
 * Checks the strategy type and that Recreate carries no rollingUpdate.
 * NOTE: maxSurge and maxUnavailable values are not validated yet.
 */
function validateStrategy(spec: unknown): FieldError[] {
  const strategy = objectField(spec, 'strategy');
  const type = stringField(strategy, 'type');
  if (type === 'Recreate') {
    if (!hasField(strategy, 'rollingUpdate')) return [];
    return [
      forbidden(
        'spec.strategy.rollingUpdate',
        "may not be specified when strategy `type` is 'Recreate'",
      ),
    ];
  }
  if (type === 'RollingUpdate' || type === '') return [];
  // NOTE: Go prints a set rollingUpdate as a pointer address, which cannot be reproduced, so
  // this always shows it as nil.
  const value = new GoSyntax(
    `apps.DeploymentStrategy{Type:${goQuote(type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`,
  );
  return [notSupported('spec.strategy', value, ['Recreate', 'RollingUpdate'])];
}

/**
 * Validates a Deployment beyond its metadata, in ValidateDeploymentSpec's order: replicas,
 * selector (required, valid, not empty), template labels matching the selector, the pod
 * template, strategy, and the non-negative counters.
 */
export function validateDeployment(object: StoredObject): FieldError[] {
  const spec = objectField(object, 'spec');
  const errors = validateNonnegative(spec, 'replicas', 'spec.replicas');
  errors.push(...validateSelectorAndTemplate(spec));
  errors.push(...validateStrategy(spec));
  errors.push(...validateNonnegative(spec, 'minReadySeconds', 'spec.minReadySeconds'));
  errors.push(...validateNonnegative(spec, 'revisionHistoryLimit', 'spec.revisionHistoryLimit'));
  const progressDeadline = numberField(spec, 'progressDeadlineSeconds');
  if (progressDeadline !== undefined) {
    errors.push(
      ...validateNonnegative(spec, 'progressDeadlineSeconds', 'spec.progressDeadlineSeconds'),
    );
    if (progressDeadline <= (numberField(spec, 'minReadySeconds') ?? 0)) {
      errors.push(
        invalid(
          'spec.progressDeadlineSeconds',
          progressDeadline,
          'must be greater than minReadySeconds',
        ),
      );
    }
  }
  return errors;
}
