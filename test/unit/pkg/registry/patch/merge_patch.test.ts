import { expect } from 'chai';
import { applyMergePatch, mergePatch } from '../../../../../pkg/registry/patch/merge_patch.js';
import { catchStatusError } from './status_error_helper.js';

describe('mergePatch', () => {
  // The examples of RFC 7386, appendix A.
  const cases: { name: string; target: unknown; patch: unknown; expectResult: unknown }[] = [
    { name: 'replace member', target: { a: 'b' }, patch: { a: 'c' }, expectResult: { a: 'c' } },
    { name: 'add member', target: { a: 'b' }, patch: { b: 'c' }, expectResult: { a: 'b', b: 'c' } },
    { name: 'null deletes', target: { a: 'b' }, patch: { a: null }, expectResult: {} },
    {
      name: 'null deletes one of two',
      target: { a: 'b', b: 'c' },
      patch: { a: null },
      expectResult: { b: 'c' },
    },
    { name: 'list replaces', target: { a: ['b'] }, patch: { a: 'c' }, expectResult: { a: 'c' } },
    { name: 'scalar to list', target: { a: 'c' }, patch: { a: ['b'] }, expectResult: { a: ['b'] } },
    {
      name: 'nested merge',
      target: { a: { b: 'c' } },
      patch: { a: { b: 'd', c: null } },
      expectResult: { a: { b: 'd' } },
    },
    {
      name: 'lists are not merged',
      target: { a: [{ b: 'c' }] },
      patch: { a: [1] },
      expectResult: { a: [1] },
    },
    {
      name: 'list patch replaces',
      target: ['a', 'b'],
      patch: ['c', 'd'],
      expectResult: ['c', 'd'],
    },
    { name: 'object replaces list', target: { a: 'b' }, patch: ['c'], expectResult: ['c'] },
    {
      name: 'null into absent',
      target: { e: null },
      patch: { a: 1 },
      expectResult: { e: null, a: 1 },
    },
    {
      name: 'nested null into absent',
      target: {},
      patch: { a: { bb: { ccc: null } } },
      expectResult: { a: { bb: {} } },
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(mergePatch(tc.target, tc.patch)).to.deep.equal(tc.expectResult);
    });
  }

  it('leaves its inputs unchanged', () => {
    const target = { metadata: { labels: { a: '1' } } };
    const patch = { metadata: { labels: { a: null, b: '2' } } };
    mergePatch(target, patch);
    expect(target).to.deep.equal({ metadata: { labels: { a: '1' } } });
    expect(patch).to.deep.equal({ metadata: { labels: { a: null, b: '2' } } });
  });
});

describe('applyMergePatch', () => {
  it('kubectl label patch', () => {
    const pod = { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [] } };
    const result = applyMergePatch(pod, '{"metadata":{"labels":{"tier":"x","app":null}}}');
    expect(result).to.deep.equal({
      metadata: { name: 'p', labels: { tier: 'x' } },
      spec: { containers: [] },
    });
  });

  it('replaces a list whole', () => {
    const pod = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    const result = applyMergePatch(pod, '{"spec":{"containers":[{"name":"c"}]}}');
    expect(result).to.deep.equal({ spec: { containers: [{ name: 'c' }] } });
  });

  const invalid = ['{"metadata":', 'null', '"text"', '42', 'true'];
  for (const body of invalid) {
    it(`rejects body ${body}`, () => {
      const error = catchStatusError(() => applyMergePatch({}, body));
      expect(error.code).to.equal(400);
      expect(error.reason).to.equal('BadRequest');
      expect(error.message).to.equal('Invalid JSON Patch');
    });
  }
});
