import { expect } from 'chai';
import { StorageError } from '../../../../pkg/storage/interfaces.js';
import type { Preconditions, StorageErrorCode } from '../../../../pkg/storage/interfaces.js';
import { checkPreconditions } from '../../../../pkg/storage/memory/preconditions.js';

describe('checkPreconditions', () => {
  const key = '/registry/pods/default/web';
  const cases: {
    name: string;
    preconditions: Preconditions;
    metadata: Record<string, unknown>;
    expectCode?: StorageErrorCode;
    expectMessage?: string;
  }[] = [
    { name: 'none', preconditions: {}, metadata: {} },
    {
      name: 'both match',
      preconditions: { uid: 'u1', resourceVersion: '4' },
      metadata: { uid: 'u1', resourceVersion: '4' },
    },
    {
      name: 'UID missing from object',
      preconditions: { uid: 'u1' },
      metadata: {},
      expectCode: 'UIDConflict',
      expectMessage:
        'precondition failed for key "/registry/pods/default/web": expected UID "u1", ' +
        'but the stored object has UID unset',
    },
    {
      name: 'empty resourceVersion is checked',
      preconditions: { resourceVersion: '' },
      metadata: { resourceVersion: '4' },
      expectCode: 'ResourceVersionConflict',
      expectMessage:
        'precondition failed for key "/registry/pods/default/web": expected resourceVersion "", ' +
        'but the stored object has resourceVersion "4". Read the object again and retry',
    },
    {
      name: 'non-string UID',
      preconditions: { uid: '7' },
      metadata: { uid: 7 },
      expectCode: 'UIDConflict',
      expectMessage:
        'precondition failed for key "/registry/pods/default/web": expected UID "7", ' +
        'but the stored object has UID 7',
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const check = (): void =>
        checkPreconditions(key, tc.preconditions, { metadata: tc.metadata });

      if (tc.expectCode === undefined) {
        expect(check).not.to.throw();
        return;
      }
      expect(check).to.throw(StorageError, tc.expectMessage);
      try {
        check();
      } catch (err) {
        expect((err as StorageError).code).to.equal(tc.expectCode);
        expect((err as StorageError).key).to.equal(key);
      }
    });
  }
});
