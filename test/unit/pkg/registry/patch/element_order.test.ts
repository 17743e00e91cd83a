import { expect } from 'chai';
import {
  orderElements,
  validateSetElementOrder,
} from '../../../../../pkg/registry/patch/element_order.js';
import { formatGoValue } from '../../../../../pkg/registry/patch/go_format.js';
import { catchStatusError } from './status_error_helper.js';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('orderElements', () => {
  const cases: {
    name: string;
    merged: unknown[];
    order: unknown[];
    live: unknown[];
    mergeKey: string;
    expectOrder: unknown[];
  }[] = [
    {
      name: 'order wins over live',
      merged: named('a', 'b', 'c'),
      order: named('c', 'b', 'a'),
      live: named('a', 'b', 'c'),
      mergeKey: 'name',
      expectOrder: named('c', 'b', 'a'),
    },
    {
      name: 'live-only element before an ordered one',
      merged: named('a', 'b', 'c'),
      order: named('c'),
      live: named('a', 'b', 'c'),
      mergeKey: 'name',
      expectOrder: named('a', 'b', 'c'),
    },
    {
      name: 'new element ahead of live ones',
      merged: named('a', 'b', 'x'),
      order: named('x'),
      live: named('a', 'b'),
      mergeKey: 'name',
      expectOrder: named('x', 'a', 'b'),
    },
    {
      name: 'scalars by value',
      merged: ['a', 'b', 'c'],
      order: ['b', 'a'],
      live: ['a', 'b', 'c'],
      mergeKey: '',
      expectOrder: ['b', 'a', 'c'],
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      expect(orderElements(tc.merged, tc.order, tc.live, tc.mergeKey)).to.deep.equal(
        tc.expectOrder,
      );
    });
  }

  it('requires the merge key', () => {
    const error = catchStatusError(() => orderElements([{ image: 'x' }], [], [], 'name'));
    expect(error.code).to.equal(400);
    expect(error.message).to.equal('map: map[image:x] does not contain declared merge key: name');
  });
});

describe('validateSetElementOrder', () => {
  it('accepts a subset in order with deletions anywhere', () => {
    const patchList = [{ $patch: 'delete', name: 'z' }, { name: 'a' }, { name: 'c' }];
    expect(() => validateSetElementOrder(patchList, named('a', 'b', 'c'), 'name')).to.not.throw();
  });

  it('accepts an empty order', () => {
    expect(() => validateSetElementOrder(named('b', 'a'), [], 'name')).to.not.throw();
  });

  it('rejects an element missing from the order', () => {
    const error = catchStatusError(() =>
      validateSetElementOrder(named('a', 'x'), named('a'), 'name'),
    );
    expect(error.code).to.equal(400);
    expect(error.message).to.equal(
      "The order in patch list:\n[map[name:a] map[name:x]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n",
    );
  });
});

describe('formatGoValue', () => {
  const cases: { value: unknown; expectText: string }[] = [
    { value: { b: 1, a: 'x' }, expectText: 'map[a:x b:1]' },
    { value: [1, 'two', null, true], expectText: '[1 two <nil> true]' },
    { value: 1.5, expectText: '1.5' },
    { value: 1e21, expectText: '1000000000000000000000' },
    { value: {}, expectText: 'map[]' },
  ];
  for (const tc of cases) {
    it(tc.expectText, () => {
      expect(formatGoValue(tc.value)).to.equal(tc.expectText);
    });
  }
});
