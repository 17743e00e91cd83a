import { expect } from 'chai';
import {
  applyPatch,
  ApplyYAMLPatchType,
  JSONPatchType,
  MergePatchType,
  StrategicMergePatchType,
} from '../../../../../pkg/registry/patch/patch.js';
import { newInvalidPatch } from '../../../../../pkg/registry/patch/errors.js';
import { catchStatusError, loadSchemaBeforeTests } from './status_error_helper.js';

loadSchemaBeforeTests();

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
  spec: {
    containers: [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:1' },
    ],
  },
};

const UNSUPPORTED =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json';

describe('applyPatch', () => {
  const cases: { name: string; patchType: string; body: string; expectResult: unknown }[] = [
    {
      name: 'json patch',
      patchType: JSONPatchType,
      body: '[{"op":"remove","path":"/metadata/labels/tier"}]',
      expectResult: { ...pod, metadata: { name: 'web', labels: { app: 'web' } } },
    },
    {
      name: 'merge patch replaces lists',
      patchType: MergePatchType,
      body: '{"spec":{"containers":[{"name":"c"}]}}',
      expectResult: { ...pod, spec: { containers: [{ name: 'c' }] } },
    },
    {
      name: 'strategic merge patch merges lists',
      patchType: StrategicMergePatchType,
      body: '{"spec":{"containers":[{"name":"b","image":"b:2"}]}}',
      expectResult: {
        ...pod,
        spec: {
          containers: [
            { name: 'a', image: 'a:1' },
            { name: 'b', image: 'b:2' },
          ],
        },
      },
    },
    {
      name: 'content type parameters',
      patchType: 'application/merge-patch+json; charset=utf-8',
      body: '{"metadata":{"labels":null}}',
      expectResult: { ...pod, metadata: { name: 'web' } },
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const before = structuredClone(pod);
      expect(applyPatch(tc.patchType, pod, tc.body, 'V1Pod')).to.deep.equal(tc.expectResult);
      expect(pod, 'original changed').to.deep.equal(before);
    });
  }

  const unsupported = [ApplyYAMLPatchType, 'application/json', 'text/plain', ''];
  for (const patchType of unsupported) {
    it(`rejects ${patchType === '' ? 'no content type' : patchType}`, () => {
      const error = catchStatusError(() => applyPatch(patchType, pod, '{}', 'V1Pod'));
      expect(error.code).to.equal(415);
      expect(error.reason).to.equal('UnsupportedMediaType');
      expect(error.message).to.equal(UNSUPPORTED);
    });
  }

  it('rejects a result that is not an object', () => {
    const error = catchStatusError(() => applyPatch(MergePatchType, pod, '["a"]', 'V1Pod'));
    expect(error.code).to.equal(422);
    expect(error.reason).to.equal('Invalid');
    expect(error.message).to.equal(
      ' "" is invalid: patch: Invalid value: "[\\"a\\"]": json: cannot unmarshal array into Go value of type v1.Pod',
    );
    expect(error.status.details?.causes).to.deep.equal([
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "[\\"a\\"]": json: cannot unmarshal array into Go value of type v1.Pod',
        field: 'patch',
      },
    ]);
  });

  it('rejects an unknown model', () => {
    expect(() => applyPatch(MergePatchType, pod, '{}', 'V1Nothing')).to.throw(TypeError);
  });
});

describe('newInvalidPatch', () => {
  it('strict decoding error', () => {
    const error = newInvalidPatch(
      'map[spec:map[bogus:1]]',
      'strict decoding error: unknown field "spec.bogus"',
    );
    expect(error.code).to.equal(422);
    expect(error.message).to.equal(
      ' "" is invalid: patch: Invalid value: "map[spec:map[bogus:1]]": strict decoding error: unknown field "spec.bogus"',
    );
  });
});
