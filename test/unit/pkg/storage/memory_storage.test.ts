import { expect } from 'chai';
import { StorageError } from '../../../../pkg/storage/interfaces.js';
import type {
  ListOptions,
  Preconditions,
  StorageErrorCode,
  StoredObject,
  WatchEvent,
} from '../../../../pkg/storage/interfaces.js';
import { MemoryStorage } from '../../../../pkg/storage/memory/memory_storage.js';
import type { MemoryStorageOptions } from '../../../../pkg/storage/memory/memory_storage.js';
import { expectRejection } from '../../../helpers/e2e/rejection.js';

/** Builds a pod-like object with its storage key in a `key` field, so tests can identify items. */
function objectAt(key: string, labels: Record<string, string> = {}): StoredObject {
  const name = key.split('/').pop() ?? '';
  return { apiVersion: 'v1', kind: 'Pod', key, metadata: { name, uid: `uid-${name}`, labels } };
}

async function expectStorageError(
  promise: Promise<unknown>,
  expectCode: StorageErrorCode,
  expectMessage: string,
): Promise<void> {
  const err = await expectRejection(promise);
  expect(err).to.be.instanceOf(StorageError);
  expect((err as StorageError).code).to.equal(expectCode);
  expect((err as StorageError).message).to.equal(expectMessage);
}

function expectThrownStorageError(
  run: () => unknown,
  expectCode: StorageErrorCode,
  expectMessage: string,
): void {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected a StorageError to be thrown').to.be.instanceOf(StorageError);
  expect((thrown as StorageError).code).to.equal(expectCode);
  expect((thrown as StorageError).message).to.equal(expectMessage);
}

function iteratorOf(events: AsyncIterable<WatchEvent>): AsyncIterator<WatchEvent> {
  return events[Symbol.asyncIterator]();
}

/** Reads `count` events and describes each as `TYPE key revision`. */
async function readEvents(iterator: AsyncIterator<WatchEvent>, count: number): Promise<string[]> {
  const described: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await iterator.next();
    if (result.done === true) {
      throw new Error(`watch ended after ${i} of ${count} expected events`);
    }
    const event = result.value;
    described.push(`${event.type} ${event.key} ${event.revision}`);
  }
  return described;
}

/** Creates a latch: a promise that settles only when the test calls `release`. */
function newLatch(): { wait: Promise<void>; release: () => void } {
  let release = (): void => {};
  const wait = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { wait, release };
}

/** Lets queued promise callbacks and immediates run. */
function flushAsyncWork(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('MemoryStorage', () => {
  describe('options', () => {
    const invalid: { name: string; options: MemoryStorageOptions; expectMessage: string }[] = [
      {
        name: 'zero history',
        options: { historyLimit: 0 },
        expectMessage: 'historyLimit must be a positive integer, got 0',
      },
      {
        name: 'fractional history',
        options: { historyLimit: 1.5 },
        expectMessage: 'historyLimit must be a positive integer, got 1.5',
      },
      {
        name: 'NaN history',
        options: { historyLimit: NaN },
        expectMessage: 'historyLimit must be a positive integer, got NaN',
      },
      {
        name: 'negative watch buffer',
        options: { watchBufferLimit: -1 },
        expectMessage: 'watchBufferLimit must be a positive integer, got -1',
      },
    ];
    for (const tc of invalid) {
      it(`${tc.name} rejected`, () => {
        expect(() => new MemoryStorage(tc.options)).to.throw(TypeError, tc.expectMessage);
      });
    }
  });

  describe('revisions', () => {
    it('starts at 0', () => {
      expect(new MemoryStorage().currentRevision()).to.equal(0);
    });

    it('raises one counter across keys', async () => {
      const storage = new MemoryStorage();
      const steps: { name: string; write: () => Promise<StoredObject>; expectRV: string }[] = [
        { name: 'create a', write: () => storage.create('/r/a', objectAt('/r/a')), expectRV: '1' },
        { name: 'create b', write: () => storage.create('/r/b', objectAt('/r/b')), expectRV: '2' },
        {
          name: 'update a',
          write: () => storage.guaranteedUpdate('/r/a', {}, (a) => ({ ...a, spec: { n: 1 } })),
          expectRV: '3',
        },
        { name: 'delete b', write: () => storage.delete('/r/b'), expectRV: '4' },
        {
          name: 'create b again',
          write: () => storage.create('/r/b', objectAt('/r/b')),
          expectRV: '5',
        },
      ];
      for (const step of steps) {
        const written = await step.write();
        expect(written.metadata.resourceVersion, step.name).to.equal(step.expectRV);
        expect(storage.currentRevision(), step.name).to.equal(Number(step.expectRV));
      }
    });

    it('stores the modification revision', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));
      await storage.create('/r/b', objectAt('/r/b'));

      const a = await storage.get('/r/a');
      const b = await storage.get('/r/b');

      expect(a.metadata.resourceVersion).to.equal('1');
      expect(b.metadata.resourceVersion).to.equal('2');
    });
  });

  describe('copies', () => {
    it('create input is copied', async () => {
      const storage = new MemoryStorage();
      const input = objectAt('/r/a');

      await storage.create('/r/a', input);
      input.metadata.name = 'changed';

      expect((await storage.get('/r/a')).metadata.name).to.equal('a');
      expect(input.metadata.resourceVersion).to.equal(undefined);
    });

    it('create result is a copy', async () => {
      const storage = new MemoryStorage();
      const created = await storage.create('/r/a', objectAt('/r/a'));

      created.metadata.name = 'changed';

      expect((await storage.get('/r/a')).metadata.name).to.equal('a');
    });

    it('get result is a copy', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));

      const first = await storage.get('/r/a');
      first.metadata.name = 'changed';

      expect((await storage.get('/r/a')).metadata.name).to.equal('a');
    });

    it('list items are copies', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));

      const { items } = await storage.list('/r/');
      (items[0] as StoredObject).metadata.name = 'changed';

      expect((await storage.get('/r/a')).metadata.name).to.equal('a');
    });

    it('list filter cannot change objects', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));

      const err = await expectRejection(
        storage.list('/r/', {
          filter: (object) => {
            object.metadata.name = 'changed';
            return true;
          },
        }),
      );

      expect(err).to.be.instanceOf(TypeError);
      expect((await storage.get('/r/a')).metadata.name).to.equal('a');
    });

    it('update function sees a copy', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));
      const failure = new Error('update failed');

      const err = await expectRejection(
        storage.guaranteedUpdate('/r/a', {}, (current) => {
          current.metadata.name = 'changed';
          throw failure;
        }),
      );

      expect(err).to.equal(failure);
      expect((await storage.get('/r/a')).metadata.name).to.equal('a');
      expect(storage.currentRevision()).to.equal(1);
    });

    it('update result is copied', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));
      const replacement = { ...objectAt('/r/a'), spec: { n: 1 } };

      await storage.guaranteedUpdate('/r/a', {}, () => replacement);
      replacement.spec.n = 2;

      expect((await storage.get('/r/a')).spec).to.deep.equal({ n: 1 });
    });

    it('watch events are copies per watcher', async () => {
      const storage = new MemoryStorage();
      const controller = new AbortController();
      const first = iteratorOf(storage.watch('/r/', 0, controller.signal));
      const second = iteratorOf(storage.watch('/r/', 0, controller.signal));
      await storage.create('/r/a', objectAt('/r/a'));

      const firstEvent = await first.next();
      (firstEvent.value as WatchEvent).object.metadata.name = 'changed';
      const secondEvent = await second.next();

      expect((secondEvent.value as WatchEvent).object.metadata.name).to.equal('a');
      expect((await storage.get('/r/a')).metadata.name).to.equal('a');
      controller.abort();
    });
  });

  describe('get', () => {
    it('missing key is KeyNotFound', async () => {
      await expectStorageError(
        new MemoryStorage().get('/registry/pods/default/web'),
        'KeyNotFound',
        'key "/registry/pods/default/web" not found',
      );
    });
  });

  describe('list', () => {
    const keys = [
      '/registry/pods/ns1/c',
      '/registry/pods/ns2/b',
      '/registry/pods/ns1/a',
      '/registry/services/ns1/a',
      '/registry/pods/ns1/b',
    ];
    const webPods = new Set(['/registry/pods/ns1/a', '/registry/pods/ns2/b']);
    const isWeb = (object: StoredObject): boolean =>
      (object.metadata.labels as Record<string, string>).app === 'web';

    const cases: {
      name: string;
      prefix: string;
      options?: ListOptions;
      expectKeys: string[];
      expectContinueKey?: string;
    }[] = [
      {
        name: 'all pods in key order',
        prefix: '/registry/pods/',
        expectKeys: [
          '/registry/pods/ns1/a',
          '/registry/pods/ns1/b',
          '/registry/pods/ns1/c',
          '/registry/pods/ns2/b',
        ],
      },
      {
        name: 'one namespace',
        prefix: '/registry/pods/ns1/',
        expectKeys: ['/registry/pods/ns1/a', '/registry/pods/ns1/b', '/registry/pods/ns1/c'],
      },
      {
        name: 'limit cuts the list',
        prefix: '/registry/pods/',
        options: { limit: 2 },
        expectKeys: ['/registry/pods/ns1/a', '/registry/pods/ns1/b'],
        expectContinueKey: '/registry/pods/ns1/b',
      },
      {
        name: 'continue after a key',
        prefix: '/registry/pods/',
        options: { limit: 1, continueAfter: '/registry/pods/ns1/b' },
        expectKeys: ['/registry/pods/ns1/c'],
        expectContinueKey: '/registry/pods/ns1/c',
      },
      {
        name: 'last page has no continue key',
        prefix: '/registry/pods/',
        options: { limit: 2, continueAfter: '/registry/pods/ns1/b' },
        expectKeys: ['/registry/pods/ns1/c', '/registry/pods/ns2/b'],
      },
      {
        name: 'limit equal to the count',
        prefix: '/registry/pods/',
        options: { limit: 4 },
        expectKeys: [
          '/registry/pods/ns1/a',
          '/registry/pods/ns1/b',
          '/registry/pods/ns1/c',
          '/registry/pods/ns2/b',
        ],
      },
      {
        name: 'limit 0 means all',
        prefix: '/registry/pods/ns2/',
        options: { limit: 0 },
        expectKeys: ['/registry/pods/ns2/b'],
      },
      {
        name: 'filter',
        prefix: '/registry/pods/',
        options: { filter: isWeb },
        expectKeys: ['/registry/pods/ns1/a', '/registry/pods/ns2/b'],
      },
      {
        name: 'limit counts accepted objects',
        prefix: '/registry/pods/',
        options: { filter: isWeb, limit: 1 },
        expectKeys: ['/registry/pods/ns1/a'],
        expectContinueKey: '/registry/pods/ns1/a',
      },
      {
        name: 'no continue key when the rest is filtered out',
        prefix: '/registry/pods/ns1/',
        options: { filter: isWeb, limit: 1 },
        expectKeys: ['/registry/pods/ns1/a'],
      },
      {
        name: 'continue key before the prefix',
        prefix: '/registry/pods/ns2/',
        options: { continueAfter: '/registry/pods/ns1/z' },
        expectKeys: ['/registry/pods/ns2/b'],
      },
      {
        name: 'continue key past the prefix',
        prefix: '/registry/pods/',
        options: { continueAfter: '/registry/pods/zz' },
        expectKeys: [],
      },
      { name: 'no match', prefix: '/registry/nodes/', expectKeys: [] },
    ];

    for (const tc of cases) {
      it(tc.name, async () => {
        const storage = new MemoryStorage();
        for (const key of keys) {
          const labels: Record<string, string> = webPods.has(key) ? { app: 'web' } : {};
          await storage.create(key, objectAt(key, labels));
        }

        const result = await storage.list(tc.prefix, tc.options);

        expect(result.items.map((item) => item.key)).to.deep.equal(tc.expectKeys);
        expect(result.continueKey).to.equal(tc.expectContinueKey);
        expect(result.revision).to.equal(keys.length);
      });
    }

    it('prefix excludes longer names', async () => {
      const storage = new MemoryStorage();
      await storage.create('/registry/pods/ab', objectAt('/registry/pods/ab'));
      await storage.create('/registry/pods/a/x', objectAt('/registry/pods/a/x'));

      const result = await storage.list('/registry/pods/a/');

      expect(result.items.map((item) => item.key)).to.deep.equal(['/registry/pods/a/x']);
    });

    it('revision of an empty store', async () => {
      const result = await new MemoryStorage().list('/registry/');

      expect(result.items).to.deep.equal([]);
      expect(result.revision).to.equal(0);
      expect(result.continueKey).to.equal(undefined);
    });
  });

  describe('create', () => {
    it('existing key is KeyExists', async () => {
      const storage = new MemoryStorage();
      await storage.create('/registry/pods/default/web', objectAt('/registry/pods/default/web'));

      await expectStorageError(
        storage.create('/registry/pods/default/web', objectAt('/registry/pods/default/web')),
        'KeyExists',
        'key "/registry/pods/default/web" already exists',
      );
      expect(storage.currentRevision()).to.equal(1);
    });
  });

  describe('guaranteedUpdate', () => {
    const key = '/registry/pods/default/web';
    const cases: {
      name: string;
      preconditions: Preconditions;
      expectCode?: StorageErrorCode;
      expectMessage?: string;
    }[] = [
      { name: 'no preconditions', preconditions: {} },
      { name: 'matching UID', preconditions: { uid: 'uid-web' } },
      { name: 'matching resourceVersion', preconditions: { resourceVersion: '1' } },
      { name: 'both matching', preconditions: { uid: 'uid-web', resourceVersion: '1' } },
      {
        name: 'UID mismatch',
        preconditions: { uid: 'uid-other' },
        expectCode: 'UIDConflict',
        expectMessage:
          'precondition failed for key "/registry/pods/default/web": expected UID "uid-other", ' +
          'but the stored object has UID "uid-web"',
      },
      {
        name: 'resourceVersion mismatch',
        preconditions: { resourceVersion: '7' },
        expectCode: 'ResourceVersionConflict',
        expectMessage:
          'precondition failed for key "/registry/pods/default/web": expected resourceVersion ' +
          '"7", but the stored object has resourceVersion "1". Read the object again and retry',
      },
      {
        name: 'UID checked first',
        preconditions: { uid: 'uid-other', resourceVersion: '7' },
        expectCode: 'UIDConflict',
        expectMessage:
          'precondition failed for key "/registry/pods/default/web": expected UID "uid-other", ' +
          'but the stored object has UID "uid-web"',
      },
      {
        name: 'empty UID is checked',
        preconditions: { uid: '' },
        expectCode: 'UIDConflict',
        expectMessage:
          'precondition failed for key "/registry/pods/default/web": expected UID "", ' +
          'but the stored object has UID "uid-web"',
      },
    ];

    for (const tc of cases) {
      it(tc.name, async () => {
        const storage = new MemoryStorage();
        await storage.create(key, objectAt(key));
        const update = storage.guaranteedUpdate(key, tc.preconditions, (current) => ({
          ...current,
          spec: { replicas: 2 },
        }));

        if (tc.expectCode === undefined) {
          const updated = await update;
          expect(updated.spec).to.deep.equal({ replicas: 2 });
          expect(updated.metadata.resourceVersion).to.equal('2');
          expect((await storage.get(key)).spec).to.deep.equal({ replicas: 2 });
        } else {
          await expectStorageError(update, tc.expectCode, tc.expectMessage ?? '');
          expect((await storage.get(key)).spec).to.equal(undefined);
          expect(storage.currentRevision()).to.equal(1);
        }
      });
    }

    it('missing key is KeyNotFound', async () => {
      let called = false;

      await expectStorageError(
        new MemoryStorage().guaranteedUpdate(key, {}, (current) => {
          called = true;
          return current;
        }),
        'KeyNotFound',
        'key "/registry/pods/default/web" not found',
      );
      expect(called).to.equal(false);
    });

    it('update sees the stored resourceVersion', async () => {
      const storage = new MemoryStorage();
      await storage.create(key, objectAt(key));
      let seen: unknown;

      await storage.guaranteedUpdate(key, {}, (current) => {
        seen = current.metadata.resourceVersion;
        return { ...current, spec: {} };
      });

      expect(seen).to.equal('1');
    });

    it('async update function applies', async () => {
      const storage = new MemoryStorage();
      await storage.create(key, objectAt(key));

      const updated = await storage.guaranteedUpdate(key, {}, async (current) => {
        await flushAsyncWork();
        return { ...current, spec: { replicas: 3 } };
      });

      expect(updated.spec).to.deep.equal({ replicas: 3 });
      expect(updated.metadata.resourceVersion).to.equal('2');
    });

    const noOps: { name: string; update: (current: StoredObject) => StoredObject }[] = [
      { name: 'unchanged object', update: (current) => current },
      { name: 'equal copy', update: (current) => structuredClone(current) },
      {
        name: 'only resourceVersion changed',
        update: (current) => ({
          ...current,
          metadata: { ...current.metadata, resourceVersion: '' },
        }),
      },
      {
        name: 'keys in another order',
        update: (current) => Object.fromEntries(Object.entries(current).reverse()) as StoredObject,
      },
    ];
    for (const tc of noOps) {
      it(`no-op update: ${tc.name}`, async () => {
        const storage = new MemoryStorage();
        await storage.create(key, objectAt(key));
        const controller = new AbortController();
        const events = iteratorOf(storage.watch('/registry/', 0, controller.signal));

        const result = await storage.guaranteedUpdate(key, {}, tc.update);
        await storage.create(
          '/registry/pods/default/other',
          objectAt('/registry/pods/default/other'),
        );

        expect(result).to.deep.equal(await storage.get(key));
        expect(result.metadata.resourceVersion).to.equal('1');
        expect(storage.currentRevision()).to.equal(2);
        // The next event is the create, so the no-op update sent none.
        expect(await readEvents(events, 1)).to.deep.equal(['ADDED /registry/pods/default/other 2']);
        controller.abort();
      });
    }

    it('50 parallel updates all apply', async () => {
      const storage = new MemoryStorage();
      await storage.create(key, { ...objectAt(key), counter: 0 });

      const updates = Array.from({ length: 50 }, () =>
        storage.guaranteedUpdate(key, {}, async (current) => {
          const counter = current.counter as number;
          // Yielding between read and write makes unserialized updates lose increments.
          await flushAsyncWork();
          return { ...current, counter: counter + 1 };
        }),
      );
      const results = await Promise.all(updates);

      const stored = await storage.get(key);
      expect(stored.counter).to.equal(50);
      expect(stored.metadata.resourceVersion).to.equal('51');
      expect(storage.currentRevision()).to.equal(51);
      expect(results.map((result) => result.counter)).to.deep.equal(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    });

    it('slow update blocks only its key', async () => {
      const storage = new MemoryStorage();
      await storage.create(key, objectAt(key));
      const latch = newLatch();
      const slow = storage.guaranteedUpdate(key, {}, async (current) => {
        await latch.wait;
        return { ...current, spec: { slow: true } };
      });
      let deleteSettled = false;
      const deletion = storage.delete(key).finally(() => {
        deleteSettled = true;
      });

      await storage.create(
        '/registry/pods/default/other',
        objectAt('/registry/pods/default/other'),
      );
      await flushAsyncWork();

      expect(deleteSettled).to.equal(false);
      latch.release();
      expect((await slow).metadata.resourceVersion).to.equal('3');
      const deleted = await deletion;
      expect(deleted.spec).to.deep.equal({ slow: true });
      expect(deleted.metadata.resourceVersion).to.equal('4');
    });

    it('failed update releases the key', async () => {
      const storage = new MemoryStorage();
      await storage.create(key, objectAt(key));

      await expectRejection(
        storage.guaranteedUpdate(key, {}, () => Promise.reject(new Error('update failed'))),
      );
      const updated = await storage.guaranteedUpdate(key, {}, (current) => ({
        ...current,
        spec: { n: 1 },
      }));

      expect(updated.metadata.resourceVersion).to.equal('2');
    });
  });

  describe('delete', () => {
    const key = '/registry/pods/default/web';

    it('returns last state with new resourceVersion', async () => {
      const storage = new MemoryStorage();
      await storage.create(key, objectAt(key));
      await storage.guaranteedUpdate(key, {}, (current) => ({ ...current, spec: { n: 1 } }));

      const deleted = await storage.delete(key);

      expect(deleted.spec).to.deep.equal({ n: 1 });
      expect(deleted.metadata.resourceVersion).to.equal('3');
      expect(storage.currentRevision()).to.equal(3);
      await expectStorageError(storage.get(key), 'KeyNotFound', `key "${key}" not found`);
      expect((await storage.list('/registry/')).items).to.deep.equal([]);
    });

    const cases: {
      name: string;
      preconditions: Preconditions;
      expectCode?: StorageErrorCode;
    }[] = [
      { name: 'matching preconditions', preconditions: { uid: 'uid-web', resourceVersion: '1' } },
      { name: 'UID mismatch', preconditions: { uid: 'uid-other' }, expectCode: 'UIDConflict' },
      {
        name: 'resourceVersion mismatch',
        preconditions: { resourceVersion: '0' },
        expectCode: 'ResourceVersionConflict',
      },
    ];
    for (const tc of cases) {
      it(tc.name, async () => {
        const storage = new MemoryStorage();
        await storage.create(key, objectAt(key));

        const deletion = storage.delete(key, tc.preconditions);

        if (tc.expectCode === undefined) {
          expect((await deletion).metadata.resourceVersion).to.equal('2');
          expect(storage.currentRevision()).to.equal(2);
        } else {
          const err = await expectRejection(deletion);
          expect(err).to.be.instanceOf(StorageError);
          expect((err as StorageError).code).to.equal(tc.expectCode);
          expect((err as StorageError).key).to.equal(key);
          expect((err as StorageError).message).to.contain(`"${key}"`);
          expect(storage.currentRevision()).to.equal(1);
          expect((await storage.get(key)).metadata.resourceVersion).to.equal('1');
        }
      });
    }

    it('missing key is KeyNotFound', async () => {
      await expectStorageError(
        new MemoryStorage().delete(key),
        'KeyNotFound',
        `key "${key}" not found`,
      );
    });
  });

  describe('watch', () => {
    let controller: AbortController;
    beforeEach(() => {
      controller = new AbortController();
    });
    afterEach(() => {
      controller.abort();
    });

    it('replays from a revision, then live', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));
      await storage.create('/r/b', objectAt('/r/b'));
      await storage.guaranteedUpdate('/r/a', {}, (a) => ({ ...a, spec: { n: 1 } }));

      const events = iteratorOf(storage.watch('/r/', 1, controller.signal));
      await storage.delete('/r/b');

      expect(await readEvents(events, 3)).to.deep.equal([
        'ADDED /r/b 2',
        'MODIFIED /r/a 3',
        'DELETED /r/b 4',
      ]);
    });

    it('event objects carry their revision', async () => {
      const storage = new MemoryStorage();
      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));
      await storage.create('/r/a', objectAt('/r/a'));
      await storage.guaranteedUpdate('/r/a', {}, (a) => ({ ...a, spec: { n: 1 } }));
      await storage.delete('/r/a');

      const received: WatchEvent[] = [];
      for (let i = 0; i < 3; i++) {
        received.push((await events.next()).value as WatchEvent);
      }

      expect(received.map((event) => event.object.metadata.resourceVersion)).to.deep.equal([
        '1',
        '2',
        '3',
      ]);
      expect(received[2]?.object.spec).to.deep.equal({ n: 1 });
    });

    it('revision 0 starts from now', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));

      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));
      await storage.create('/r/b', objectAt('/r/b'));

      expect(await readEvents(events, 1)).to.deep.equal(['ADDED /r/b 2']);
    });

    it('future revision skips earlier events', async () => {
      const storage = new MemoryStorage();
      await storage.create('/r/a', objectAt('/r/a'));

      const events = iteratorOf(storage.watch('/r/', 3, controller.signal));
      await storage.create('/r/b', objectAt('/r/b'));
      await storage.create('/r/c', objectAt('/r/c'));
      await storage.create('/r/d', objectAt('/r/d'));

      expect(await readEvents(events, 1)).to.deep.equal(['ADDED /r/d 4']);
    });

    it('writes before the first read are kept', async () => {
      const storage = new MemoryStorage();
      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));

      await storage.create('/r/a', objectAt('/r/a'));
      await storage.create('/r/b', objectAt('/r/b'));

      expect(await readEvents(events, 2)).to.deep.equal(['ADDED /r/a 1', 'ADDED /r/b 2']);
    });

    it('waiting read gets a live event', async () => {
      const storage = new MemoryStorage();
      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));

      const pending = readEvents(events, 1);
      await flushAsyncWork();
      await storage.create('/r/a', objectAt('/r/a'));

      expect(await pending).to.deep.equal(['ADDED /r/a 1']);
    });

    it('prefix isolation', async () => {
      const storage = new MemoryStorage();
      await storage.create('/registry/pods/ab', objectAt('/registry/pods/ab'));
      await storage.create('/registry/pods/a/x', objectAt('/registry/pods/a/x'));

      const events = iteratorOf(storage.watch('/registry/pods/a/', 1, controller.signal));
      await storage.delete('/registry/pods/ab');
      await storage.create('/registry/pods/a/y', objectAt('/registry/pods/a/y'));

      expect(await readEvents(events, 2)).to.deep.equal([
        'ADDED /registry/pods/a/x 2',
        'ADDED /registry/pods/a/y 4',
      ]);
    });

    describe('after history trimming', () => {
      const cases: {
        name: string;
        fromRevision: number;
        expectEvents?: string[];
        expectMessage?: string;
      }[] = [
        {
          name: 'dropped event needed',
          fromRevision: 1,
          expectMessage: 'too old resource version: 1 (2)',
        },
        {
          name: 'oldest kept minus one',
          fromRevision: 2,
          expectEvents: ['ADDED /r/3 3', 'ADDED /r/4 4', 'ADDED /r/5 5'],
        },
        { name: 'recent revision', fromRevision: 4, expectEvents: ['ADDED /r/5 5'] },
        { name: 'current revision', fromRevision: 5, expectEvents: [] },
        { name: 'from now', fromRevision: 0, expectEvents: [] },
      ];

      for (const tc of cases) {
        it(tc.name, async () => {
          const storage = new MemoryStorage({ historyLimit: 3 });
          for (let i = 1; i <= 5; i++) {
            await storage.create(`/r/${i}`, objectAt(`/r/${i}`));
          }

          if (tc.expectMessage !== undefined) {
            expectThrownStorageError(
              () => storage.watch('/r/', tc.fromRevision, controller.signal),
              'TooOldResourceVersion',
              tc.expectMessage,
            );
            expect(storage.watcherCount).to.equal(0);
            return;
          }
          const events = iteratorOf(storage.watch('/r/', tc.fromRevision, controller.signal));
          await storage.create('/r/6', objectAt('/r/6'));
          expect(await readEvents(events, (tc.expectEvents ?? []).length + 1)).to.deep.equal([
            ...(tc.expectEvents ?? []),
            'ADDED /r/6 6',
          ]);
        });
      }
    });

    const invalidRevisions = [-1, 1.5, NaN];
    for (const fromRevision of invalidRevisions) {
      it(`revision ${fromRevision} rejected`, () => {
        expect(() => new MemoryStorage().watch('/r/', fromRevision, controller.signal)).to.throw(
          RangeError,
          `fromRevision must be a non-negative integer, got ${fromRevision}`,
        );
      });
    }

    it('abort ends a waiting read', async () => {
      const storage = new MemoryStorage();
      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));
      expect(storage.watcherCount).to.equal(1);

      const pending = events.next();
      controller.abort();

      expect(await pending).to.deep.equal({ done: true, value: undefined });
      expect(storage.watcherCount).to.equal(0);
    });

    it('abort drops buffered events', async () => {
      const storage = new MemoryStorage();
      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));
      await storage.create('/r/a', objectAt('/r/a'));

      controller.abort();

      expect((await events.next()).done).to.equal(true);
      expect(storage.watcherCount).to.equal(0);
    });

    it('aborted signal never subscribes', async () => {
      const storage = new MemoryStorage();
      controller.abort();

      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));

      expect(storage.watcherCount).to.equal(0);
      expect((await events.next()).done).to.equal(true);
    });

    it('return unsubscribes', async () => {
      const storage = new MemoryStorage();
      const events = iteratorOf(storage.watch('/r/', 0, controller.signal));
      await storage.create('/r/a', objectAt('/r/a'));

      const result = await events.return?.();

      expect(result).to.deep.equal({ done: true, value: undefined });
      expect(storage.watcherCount).to.equal(0);
      expect((await events.next()).done).to.equal(true);
    });

    it('break unsubscribes', async () => {
      const storage = new MemoryStorage();
      const watch = storage.watch('/r/', 0, controller.signal);
      const seen: string[] = [];
      await storage.create('/r/a', objectAt('/r/a'));
      await storage.create('/r/b', objectAt('/r/b'));

      for await (const event of watch) {
        seen.push(event.key);
        break;
      }

      expect(seen).to.deep.equal(['/r/a']);
      expect(storage.watcherCount).to.equal(0);
      await storage.create('/r/c', objectAt('/r/c'));
      expect(storage.watcherCount).to.equal(0);
    });

    describe('slow consumer', () => {
      it('over the buffer limit ends the watch', async () => {
        const storage = new MemoryStorage({ watchBufferLimit: 3 });
        const events = iteratorOf(storage.watch('/r/', 0, controller.signal));

        for (let i = 1; i <= 4; i++) {
          await storage.create(`/r/${i}`, objectAt(`/r/${i}`));
        }

        expect(storage.watcherCount).to.equal(0);
        await expectStorageError(
          events.next(),
          'TooOldResourceVersion',
          'watch of prefix "/r/" ended because its consumer fell more than 3 events behind. ' +
            "List again and watch from the list's revision",
        );
        expect((await events.next()).done).to.equal(true);
      });

      it('at the buffer limit keeps the watch', async () => {
        const storage = new MemoryStorage({ watchBufferLimit: 3 });
        const events = iteratorOf(storage.watch('/r/', 0, controller.signal));

        for (let i = 1; i <= 3; i++) {
          await storage.create(`/r/${i}`, objectAt(`/r/${i}`));
        }

        expect(storage.watcherCount).to.equal(1);
        expect(await readEvents(events, 3)).to.deep.equal([
          'ADDED /r/1 1',
          'ADDED /r/2 2',
          'ADDED /r/3 3',
        ]);
      });

      it('replayed events do not count', async () => {
        const storage = new MemoryStorage({ watchBufferLimit: 2 });
        for (let i = 1; i <= 4; i++) {
          await storage.create(`/r/${i}`, objectAt(`/r/${i}`));
        }
        const events = iteratorOf(storage.watch('/r/', 1, controller.signal));

        await storage.create('/r/5', objectAt('/r/5'));
        await storage.create('/r/6', objectAt('/r/6'));

        expect(storage.watcherCount).to.equal(1);
        expect(await readEvents(events, 5)).to.deep.equal([
          'ADDED /r/2 2',
          'ADDED /r/3 3',
          'ADDED /r/4 4',
          'ADDED /r/5 5',
          'ADDED /r/6 6',
        ]);
      });

      it('other watchers keep receiving', async () => {
        const storage = new MemoryStorage({ watchBufferLimit: 1 });
        const slow = iteratorOf(storage.watch('/r/', 0, controller.signal));
        const fast = iteratorOf(storage.watch('/r/', 0, controller.signal));

        await storage.create('/r/1', objectAt('/r/1'));
        expect(await readEvents(fast, 1)).to.deep.equal(['ADDED /r/1 1']);
        await storage.create('/r/2', objectAt('/r/2'));
        expect(await readEvents(fast, 1)).to.deep.equal(['ADDED /r/2 2']);

        expect(storage.watcherCount).to.equal(1);
        const err = await expectRejection(slow.next());
        expect((err as StorageError).code).to.equal('TooOldResourceVersion');
      });
    });
  });
});
