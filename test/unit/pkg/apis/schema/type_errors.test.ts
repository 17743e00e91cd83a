import { expect } from 'chai';
import { modelSchema } from '../../../../../pkg/apis/schema/models.js';
import {
  fieldTypeErrors,
  type FieldTypeError,
} from '../../../../../pkg/apis/schema/type_errors.js';

before(function () {
  this.timeout(30_000);
  modelSchema('V1Pod');
});

const QUANTITY_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

describe('fieldTypeErrors', () => {
  const cases: { name: string; model: string; object: unknown; expectErrors: FieldTypeError[] }[] =
    [
      {
        name: 'string for a list',
        model: 'V1Pod',
        object: { spec: { containers: 'nginx' } },
        expectErrors: [
          {
            path: 'spec.containers',
            message:
              'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container',
          },
        ],
      },
      {
        name: 'number for a string in a list',
        model: 'V1Deployment',
        object: {
          spec: {
            template: { spec: { containers: [{ name: 'a', env: [{ name: 'N', value: 3 }] }] } },
          },
        },
        expectErrors: [
          {
            path: 'spec.template.spec.containers[0].env[0].value',
            message:
              'json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string',
          },
        ],
      },
      {
        name: 'array for an object',
        model: 'V1Pod',
        object: { spec: [] },
        expectErrors: [
          {
            path: 'spec',
            message:
              'json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec',
          },
        ],
      },
      {
        name: 'object for a string',
        model: 'V1Pod',
        object: { metadata: { name: {} } },
        expectErrors: [
          {
            path: 'metadata.name',
            message:
              'json: cannot unmarshal object into Go struct field ObjectMeta.metadata.name of type string',
          },
        ],
      },
      {
        name: 'string for a boolean',
        model: 'V1Pod',
        object: { spec: { hostNetwork: 'true' } },
        expectErrors: [
          {
            path: 'spec.hostNetwork',
            message:
              'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool',
          },
        ],
      },
      {
        name: 'fraction for an integer',
        model: 'V1Deployment',
        object: { spec: { replicas: 1.5 } },
        expectErrors: [
          {
            path: 'spec.replicas',
            message:
              'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
          },
        ],
      },
      {
        name: 'int32 overflow',
        model: 'V1Deployment',
        object: { spec: { replicas: 2147483648 } },
        expectErrors: [
          {
            path: 'spec.replicas',
            message:
              'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
          },
        ],
      },
      {
        name: 'number for a label value',
        model: 'V1ConfigMap',
        object: { metadata: { labels: { tier: 1 } } },
        expectErrors: [
          {
            path: 'metadata.labels.tier',
            message:
              'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
          },
        ],
      },
      {
        name: 'number for secret data',
        model: 'V1Secret',
        object: { data: { password: 1234 } },
        expectErrors: [
          {
            path: 'data.password',
            message:
              'json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
          },
        ],
      },
      {
        name: 'top-level array',
        model: 'V1Pod',
        object: [],
        expectErrors: [
          { path: '', message: 'json: cannot unmarshal array into Go value of type v1.Pod' },
        ],
      },
      {
        name: 'number for a timestamp',
        model: 'V1Pod',
        object: { metadata: { creationTimestamp: 5 } },
        expectErrors: [
          {
            path: 'metadata.creationTimestamp',
            message: 'json: cannot unmarshal number into Go value of type string',
          },
        ],
      },
      {
        name: 'int-or-string accepts both',
        model: 'V1Service',
        object: {
          spec: {
            ports: [
              { port: 80, targetPort: 'http' },
              { port: 81, targetPort: 8081 },
            ],
          },
        },
        expectErrors: [],
      },
      {
        name: 'int-or-string rejects a boolean',
        model: 'V1Service',
        object: { spec: { ports: [{ port: 80, targetPort: true }] } },
        expectErrors: [
          {
            path: 'spec.ports[0].targetPort',
            message: 'json: cannot unmarshal bool into Go value of type int32',
          },
        ],
      },
      {
        name: 'quantities accept numbers',
        model: 'V1Pod',
        object: {
          spec: { containers: [{ name: 'a', resources: { limits: { cpu: 1, memory: '1Gi' } } }] },
        },
        expectErrors: [],
      },
      {
        name: 'quantities reject booleans',
        model: 'V1Pod',
        object: { spec: { containers: [{ name: 'a', resources: { requests: { cpu: true } } }] } },
        expectErrors: [
          { path: 'spec.containers[0].resources.requests.cpu', message: QUANTITY_ERROR },
        ],
      },
      {
        name: 'null fits every field',
        model: 'V1Pod',
        object: { metadata: { labels: null, name: null }, spec: { containers: [null] } },
        expectErrors: [],
      },
      {
        name: 'unknown fields are skipped',
        model: 'V1Pod',
        object: { spec: { bogus: 'x', containers: [] } },
        expectErrors: [],
      },
      {
        name: 'open fields take anything',
        model: 'V1Pod',
        object: { metadata: { managedFields: [{ fieldsV1: 'anything' }] } },
        expectErrors: [],
      },
      {
        name: 'errors in document order',
        model: 'CoreV1Event',
        object: { count: 'two', involvedObject: 'pod', reason: 1 },
        expectErrors: [
          {
            path: 'count',
            message: 'json: cannot unmarshal string into Go struct field Event.count of type int32',
          },
          {
            path: 'involvedObject',
            message:
              'json: cannot unmarshal string into Go struct field Event.involvedObject of type v1.ObjectReference',
          },
          {
            path: 'reason',
            message:
              'json: cannot unmarshal number into Go struct field Event.reason of type string',
          },
        ],
      },
    ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(fieldTypeErrors(tc.model, tc.object)).to.deep.equal(tc.expectErrors);
    });
  }

  it('rejects an unknown model', () => {
    expect(() => fieldTypeErrors('V9Nothing', {})).to.throw(TypeError, 'V9Nothing');
  });
});
