import { expect } from 'chai';
import { fieldErrorString } from '../../../../../pkg/registry/validation/field.js';
import { validateObjectMeta } from '../../../../../pkg/registry/validation/objectmeta.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('validateObjectMeta', () => {
  const cases: {
    name: string;
    metadata: Record<string, unknown>;
    kind: string;
    namespaced: boolean;
    expect: string[];
  }[] = [
    {
      name: 'valid pod',
      metadata: { name: 'web', namespace: 'default' },
      kind: 'Pod',
      namespaced: true,
      expect: [],
    },
    {
      name: 'missing name',
      metadata: { namespace: 'default' },
      kind: 'Pod',
      namespaced: true,
      expect: ['metadata.name: Required value: name or generateName is required'],
    },
    {
      name: 'generateName instead of name',
      metadata: { generateName: 'web-', namespace: 'default' },
      kind: 'Pod',
      namespaced: true,
      expect: [],
    },
    {
      name: 'bad generateName',
      metadata: { generateName: 'Web-', namespace: 'default' },
      kind: 'Pod',
      namespaced: true,
      expect: [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MESSAGE}`],
    },
    {
      name: 'uppercase name',
      metadata: { name: 'MyPod', namespace: 'default' },
      kind: 'Pod',
      namespaced: true,
      expect: [`metadata.name: Invalid value: "MyPod": ${SUBDOMAIN_MESSAGE}`],
    },
    {
      name: 'namespace name with dots',
      metadata: { name: 'team.a' },
      kind: 'Namespace',
      namespaced: false,
      expect: ['metadata.name: Invalid value: "team.a": must not contain dots'],
    },
    {
      name: 'service name starting with digit',
      metadata: { name: '1web', namespace: 'default' },
      kind: 'Service',
      namespaced: true,
      expect: [`metadata.name: Invalid value: "1web": ${DNS1035_MESSAGE}`],
    },
    {
      name: 'rbac name with colon is fine',
      metadata: { name: 'system:controller:x' },
      kind: 'ClusterRole',
      namespaced: false,
      expect: [],
    },
    {
      name: 'rbac name with slash',
      metadata: { name: 'a/b', namespace: 'default' },
      kind: 'Role',
      namespaced: true,
      expect: ['metadata.name: Invalid value: "a/b": may not contain \'/\''],
    },
    {
      name: 'missing namespace',
      metadata: { name: 'web' },
      kind: 'ConfigMap',
      namespaced: true,
      expect: ['metadata.namespace: Required value'],
    },
    {
      name: 'namespace on cluster-scoped object',
      metadata: { name: 'admin', namespace: 'default' },
      kind: 'ClusterRole',
      namespaced: false,
      expect: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
    {
      name: 'negative generation',
      metadata: { name: 'web', namespace: 'default', generation: -1 },
      kind: 'Deployment',
      namespaced: true,
      expect: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'bad label key and value',
      metadata: { name: 'web', namespace: 'default', labels: { '-app': 'ok', tier: 'front end' } },
      kind: 'Pod',
      namespaced: true,
      expect: [
        `metadata.labels: Invalid value: "-app": name part ${QUALIFIED_MESSAGE}`,
        `metadata.labels: Invalid value: "front end": ${LABEL_VALUE_MESSAGE}`,
      ],
    },
    {
      name: 'annotation keys ignore case',
      metadata: {
        name: 'web',
        namespace: 'default',
        annotations: { 'Example.com/Note': 'x', 'a b': 'y' },
      },
      kind: 'Pod',
      namespaced: true,
      expect: [`metadata.annotations: Invalid value: "a b": name part ${QUALIFIED_MESSAGE}`],
    },
    {
      name: 'annotations over 256 KiB',
      metadata: { name: 'web', namespace: 'default', annotations: { big: 'x'.repeat(256 * 1024) } },
      kind: 'Pod',
      namespaced: true,
      expect: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    },
    {
      name: 'annotations at 256 KiB',
      metadata: {
        name: 'web',
        namespace: 'default',
        annotations: { big: 'x'.repeat(256 * 1024 - 3) },
      },
      kind: 'Pod',
      namespaced: true,
      expect: [],
    },
    {
      name: 'finalizers',
      metadata: {
        name: 'web',
        namespace: 'default',
        finalizers: ['example.com/done', 'kubernetes', 'custom', 'orphan', 'foregroundDeletion'],
      },
      kind: 'Pod',
      namespaced: true,
      expect: [
        'metadata.finalizers: Invalid value: []string{"example.com/done", "kubernetes", "custom", "orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
        'metadata.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    },
    {
      name: 'events skip metadata validation',
      metadata: { name: 'Bad Name', labels: { '-x': '-y' } },
      kind: 'Event',
      namespaced: true,
      expect: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const object: StoredObject = { metadata: tc.metadata };
      const errors = validateObjectMeta(object, { namespaced: tc.namespaced, kind: tc.kind });
      expect(errors.map(fieldErrorString)).to.deep.equal(tc.expect);
    });
  }

  it('reports the cause reasons', () => {
    const errors = validateObjectMeta(
      { metadata: { namespace: 'Bad', labels: { x: '-' } } },
      { namespaced: true, kind: 'Pod' },
    );
    expect(errors.map((error) => `${error.reason} ${error.field}`)).to.deep.equal([
      'FieldValueRequired metadata.name',
      'FieldValueInvalid metadata.namespace',
      'FieldValueInvalid metadata.labels',
    ]);
  });
});
