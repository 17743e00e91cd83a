import { expect } from 'chai';
import { KeyedMutex } from '../../../../pkg/storage/memory/keyed_mutex.js';
import { expectRejection } from '../../../helpers/e2e/rejection.js';

/** Creates a latch: a promise that settles only when the test calls `release`. */
function newLatch(): { wait: Promise<void>; release: () => void } {
  let release = (): void => {};
  const wait = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { wait, release };
}

describe('KeyedMutex', () => {
  it('runs one key in call order', async () => {
    const mutex = new KeyedMutex();
    const latch = newLatch();
    const log: string[] = [];

    const first = mutex.runExclusive('k', async () => {
      log.push('first start');
      await latch.wait;
      log.push('first end');
    });
    const second = mutex.runExclusive('k', () => {
      log.push('second');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).to.deep.equal(['first start']);

    latch.release();
    await Promise.all([first, second]);
    expect(log).to.deep.equal(['first start', 'first end', 'second']);
  });

  it('runs different keys in parallel', async () => {
    const mutex = new KeyedMutex();
    const latch = newLatch();

    const blocked = mutex.runExclusive('a', () => latch.wait);
    const other = await mutex.runExclusive('b', () => 'b done');

    expect(other).to.equal('b done');
    latch.release();
    await blocked;
  });

  it('releases after a throw', async () => {
    const mutex = new KeyedMutex();
    const failure = new Error('critical section failed');

    const err = await expectRejection(
      mutex.runExclusive('k', () => {
        throw failure;
      }),
    );
    const next = await mutex.runExclusive('k', () => 'next ran');

    expect(err).to.equal(failure);
    expect(next).to.equal('next ran');
  });

  it('forgets idle keys', async () => {
    const mutex = new KeyedMutex();
    const latch = newLatch();

    const first = mutex.runExclusive('a', () => latch.wait);
    const second = mutex.runExclusive('a', () => undefined);
    const third = mutex.runExclusive('b', () => undefined);
    expect(mutex.size).to.equal(2);

    latch.release();
    await Promise.all([first, second, third]);
    expect(mutex.size).to.equal(0);
  });
});
