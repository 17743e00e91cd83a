import { expect } from 'chai';
import {
  applyJSONPatch,
  MAX_JSON_PATCH_OPERATIONS,
} from '../../../../../pkg/registry/patch/json_patch.js';
import { catchStatusError } from './status_error_helper.js';

const pod = {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { containers: [{ name: 'a', image: 'a:1' }] },
};

const NOT_APPLIED = 'the server rejected our request due to an error in our request';

describe('applyJSONPatch', () => {
  const cases: { name: string; operations: unknown[]; expectResult: unknown }[] = [
    {
      name: 'add a label',
      operations: [{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }],
      expectResult: { ...pod, metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } } },
    },
    {
      name: 'remove a label',
      operations: [{ op: 'remove', path: '/metadata/labels/app' }],
      expectResult: { ...pod, metadata: { name: 'web', labels: {} } },
    },
    {
      name: 'replace an image',
      operations: [{ op: 'replace', path: '/spec/containers/0/image', value: 'a:2' }],
      expectResult: { ...pod, spec: { containers: [{ name: 'a', image: 'a:2' }] } },
    },
    {
      name: 'append to a list',
      operations: [{ op: 'add', path: '/spec/containers/-', value: { name: 'b' } }],
      expectResult: { ...pod, spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b' }] } },
    },
    {
      name: 'test then replace',
      operations: [
        { op: 'test', path: '/metadata/name', value: 'web' },
        { op: 'replace', path: '/metadata/name', value: 'api' },
      ],
      expectResult: { ...pod, metadata: { name: 'api', labels: { app: 'web' } } },
    },
    {
      name: 'move and copy',
      operations: [
        { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
        { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/role' },
      ],
      expectResult: {
        ...pod,
        metadata: { name: 'web', labels: { role: 'web' }, annotations: { app: 'web' } },
      },
    },
    {
      name: 'replace of a missing member adds it',
      operations: [{ op: 'replace', path: '/metadata/labels/tier', value: 'fe' }],
      expectResult: { ...pod, metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } } },
    },
    {
      name: 'test of a missing member against null',
      operations: [{ op: 'test', path: '/metadata/labels/tier', value: null }],
      expectResult: pod,
    },
    { name: 'no operations', operations: [], expectResult: pod },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(applyJSONPatch(pod, JSON.stringify(tc.operations))).to.deep.equal(tc.expectResult);
    });
  }

  it('null body changes nothing', () => {
    expect(applyJSONPatch(pod, 'null')).to.deep.equal(pod);
  });

  it('accepts a byte body', () => {
    const body = new TextEncoder().encode('[{"op":"remove","path":"/spec"}]');
    expect(applyJSONPatch(pod, body)).to.deep.equal({ metadata: pod.metadata });
  });
});

describe('applyJSONPatch errors', () => {
  const notApplied: { name: string; operations: unknown[]; expectCause: string }[] = [
    {
      name: 'failed test',
      operations: [{ op: 'test', path: '/metadata/name', value: 'api' }],
      expectCause: 'testing value /metadata/name failed: test failed',
    },
    {
      name: 'remove a missing member',
      operations: [{ op: 'remove', path: '/metadata/labels/tier' }],
      expectCause:
        'remove operation does not apply: doc is missing path: "/metadata/labels/tier": missing value',
    },
    {
      name: 'add under a missing parent',
      operations: [{ op: 'add', path: '/spec/affinity/nodeAffinity', value: {} }],
      expectCause:
        'add operation does not apply: doc is missing path: "/spec/affinity/nodeAffinity": missing value',
    },
    {
      name: 'move from a missing member',
      operations: [{ op: 'move', from: '/spec/nope', path: '/spec/x' }],
      expectCause:
        'move operation does not apply: doc is missing from path: /spec/nope: missing value',
    },
    {
      name: 'index past the end',
      operations: [{ op: 'add', path: '/spec/containers/5', value: {} }],
      expectCause: "error in add for path: '/spec/containers/5': invalid index referenced",
    },
    {
      name: 'unknown operation',
      operations: [{ op: 'bogus', path: '/a' }],
      expectCause: 'Unexpected kind: bogus',
    },
    {
      name: 'missing operation',
      operations: [{ path: '/a' }],
      expectCause: 'Unexpected kind: unknown',
    },
  ];

  for (const tc of notApplied) {
    it(tc.name, () => {
      const error = catchStatusError(() => applyJSONPatch(pod, JSON.stringify(tc.operations)));
      expect(error.code).to.equal(422);
      expect(error.reason).to.equal('Invalid');
      expect(error.message).to.equal(NOT_APPLIED);
      expect(error.status.details).to.deep.equal({});
      expect((error.cause as Error).message).to.equal(tc.expectCause);
    });
  }

  const badRequests: { name: string; body: string; expectMessage: string | undefined }[] = [
    {
      name: 'object body',
      body: '{"op":"add"}',
      expectMessage: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    },
    {
      name: 'string operation',
      body: '["add"]',
      expectMessage: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    },
    { name: 'not JSON', body: '[{"op":', expectMessage: undefined },
  ];

  for (const tc of badRequests) {
    it(tc.name, () => {
      const error = catchStatusError(() => applyJSONPatch(pod, tc.body));
      expect(error.code).to.equal(400);
      expect(error.reason).to.equal('BadRequest');
      if (tc.expectMessage !== undefined) expect(error.message).to.equal(tc.expectMessage);
    });
  }

  it('too many operations', () => {
    const operations = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: 'test',
      path: '/metadata/name',
      value: 'web',
    }));
    const error = catchStatusError(() => applyJSONPatch(pod, JSON.stringify(operations)));
    expect(error.code).to.equal(413);
    expect(error.message).to.equal(
      'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    );
  });

  it('leaves the original unchanged', () => {
    const original = structuredClone(pod);
    catchStatusError(() =>
      applyJSONPatch(
        original,
        '[{"op":"remove","path":"/metadata/labels"},{"op":"test","path":"/x","value":1}]',
      ),
    );
    expect(original).to.deep.equal(pod);
  });
});
