import { expect } from 'chai';
import type { FieldError } from '../../../../../pkg/registry/resource.js';
import { DEPLOYMENTS, PODS } from '../../../../../pkg/registry/resources/index.js';
import { invalid, required } from '../../../../../pkg/registry/validation/field.js';
import {
  aggregateMessage,
  invalidStatus,
  newInvalid,
} from '../../../../../pkg/registry/validation/invalid.js';
import { validateObjectMeta } from '../../../../../pkg/registry/validation/objectmeta.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';

/** Validates a pod as a create would: metadata first, then the pod's own checks. */
function validatePodForCreate(pod: StoredObject): FieldError[] {
  return [
    ...validateObjectMeta(pod, { namespaced: true, kind: 'Pod' }),
    ...(PODS.validate?.(pod) ?? []),
  ];
}

const spec = { containers: [{ name: 'app', image: 'nginx' }] };

describe('invalidStatus', () => {
  const cases: { name: string; status: () => object; expectJSON: string }[] = [
    {
      name: 'pod without a name',
      status: () => {
        const pod: StoredObject = { metadata: { namespace: 'default' }, spec };
        return invalidStatus('Pod', '', validatePodForCreate(pod));
      },
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \\"\\" is invalid: metadata.name: Required value: name or generateName is required","reason":"Invalid","details":{"kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value: name or generateName is required","field":"metadata.name"}]},"code":422}',
    },
    {
      name: 'pod name with uppercase letters',
      status: () => {
        const pod: StoredObject = { metadata: { name: 'MyPod', namespace: 'default' }, spec };
        return invalidStatus({ group: '', kind: 'Pod' }, 'MyPod', validatePodForCreate(pod));
      },
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \\"MyPod\\" is invalid: metadata.name: Invalid value: \\"MyPod\\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')","reason":"Invalid","details":{"name":"MyPod","kind":"Pod","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \\"MyPod\\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')","field":"metadata.name"}]},"code":422}',
    },
    {
      name: 'pod with several errors',
      status: () => {
        const pod: StoredObject = {
          metadata: { name: 'web', namespace: 'default' },
          spec: { containers: [{}] },
        };
        return invalidStatus('Pod', 'web', validatePodForCreate(pod));
      },
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \\"web\\" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value]","reason":"Invalid","details":{"name":"web","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers[0].name"},{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers[0].image"}]},"code":422}',
    },
    {
      name: 'deployment without selector',
      status: () => {
        const deployment: StoredObject = {
          metadata: { name: 'web', namespace: 'default' },
          spec: { template: { metadata: { labels: { app: 'web' } }, spec } },
        };
        return invalidStatus(DEPLOYMENTS, 'web', DEPLOYMENTS.validate?.(deployment) ?? []);
      },
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Deployment.apps \\"web\\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{\\"app\\":\\"web\\"}: `selector` does not match template `labels`]","reason":"Invalid","details":{"name":"web","group":"apps","kind":"Deployment","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.selector"},{"reason":"FieldValueInvalid","message":"Invalid value: map[string]string{\\"app\\":\\"web\\"}: `selector` does not match template `labels`","field":"spec.template.metadata.labels"}]},"code":422}',
    },
    {
      name: 'no errors',
      status: () => invalidStatus({ group: 'rbac.authorization.k8s.io', kind: 'Role' }, 'r', []),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Role.rbac.authorization.k8s.io \\"r\\" is invalid","reason":"Invalid","details":{"name":"r","group":"rbac.authorization.k8s.io","kind":"Role"},"code":422}',
    },
    {
      name: 'error without field',
      status: () =>
        invalidStatus('ConfigMap', 'c', [
          {
            reason: 'FieldValueTooLong',
            field: '',
            message: 'Too long: may not be more than 1048576 bytes',
          },
        ]),
      expectJSON:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap \\"c\\" is invalid: : Too long: may not be more than 1048576 bytes","reason":"Invalid","details":{"name":"c","kind":"ConfigMap","causes":[{"reason":"FieldValueTooLong","message":"Too long: may not be more than 1048576 bytes"}]},"code":422}',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(JSON.stringify(tc.status())).to.equal(tc.expectJSON);
    });
  }
});

describe('aggregateMessage', () => {
  const duplicateError = invalid('metadata.labels', 'x', 'bad');
  const cases = [
    { name: 'one error', errors: [required('a')], expect: 'a: Required value' },
    {
      name: 'repeated error counts once',
      errors: [duplicateError, duplicateError],
      expect: 'metadata.labels: Invalid value: "x": bad',
    },
    {
      name: 'repeats dropped among several',
      errors: [required('a'), duplicateError, required('a')],
      expect: '[a: Required value, metadata.labels: Invalid value: "x": bad]',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(aggregateMessage(tc.errors)).to.equal(tc.expect);
    });
  }
});

describe('newInvalid', () => {
  it('wraps the status in a 422 StatusError', () => {
    const error = newInvalid(PODS, 'web', [required('spec.containers')]);
    expect(error.code).to.equal(422);
    expect(error.reason).to.equal('Invalid');
    expect(error.message).to.equal('Pod "web" is invalid: spec.containers: Required value');
    expect(error.status.details?.causes).to.have.length(1);
  });

  it('keeps every cause when messages repeat', () => {
    const status = invalidStatus('Pod', 'web', [required('a'), required('a')]);
    expect(status.message).to.equal('Pod "web" is invalid: a: Required value');
    expect(status.details?.causes).to.have.length(2);
  });

  it('quotes names as Go does', () => {
    const status = invalidStatus('Pod', 'a\tb\u0001', []);
    expect(status.message).to.equal('Pod "a\\tb\\x01" is invalid');
  });
});
