import { expect } from 'chai';
import { formatGoDuration, parseGoDuration } from '../../../../pkg/util/duration.js';

describe('parseGoDuration', () => {
  const cases: { name: string; text: string; expectMs: number }[] = [
    { name: 'seconds', text: '30s', expectMs: 30_000 },
    { name: 'minutes and zero seconds', text: '1m0s', expectMs: 60_000 },
    { name: 'fractional hours', text: '1.5h', expectMs: 5_400_000 },
    { name: 'milliseconds', text: '300ms', expectMs: 300 },
    { name: 'bare zero', text: '0', expectMs: 0 },
    { name: 'signed zero', text: '-0', expectMs: 0 },
    { name: 'zero with unit', text: '0s', expectMs: 0 },
    { name: 'hours minutes seconds', text: '2h45m30s', expectMs: 9_930_000 },
    { name: 'negative', text: '-1m30s', expectMs: -90_000 },
    { name: 'explicit plus', text: '+5s', expectMs: 5_000 },
    { name: 'leading dot fraction', text: '.5s', expectMs: 500 },
    { name: 'microseconds us', text: '1500us', expectMs: 1.5 },
    { name: 'microseconds µs', text: '2µs', expectMs: 0.002 },
    { name: 'nanoseconds', text: '1000000ns', expectMs: 1 },
    { name: 'units out of order', text: '1s1m', expectMs: 61_000 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseGoDuration(tc.text)).to.be.closeTo(tc.expectMs, 1e-9);
    });
  }

  const invalid: { name: string; text: string }[] = [
    { name: 'empty', text: '' },
    { name: 'missing unit', text: '10' },
    { name: 'unknown unit', text: '1d' },
    { name: 'words', text: 'abc' },
    { name: 'unit only', text: 's' },
    { name: 'dot only', text: '.s' },
    { name: 'space between', text: '1 s' },
    { name: 'trailing garbage', text: '1sx' },
  ];
  for (const tc of invalid) {
    it(`${tc.name} rejected`, () => {
      expect(() => parseGoDuration(tc.text)).to.throw(
        Error,
        `invalid duration "${tc.text}": use a number with a unit, such as 30s, 1m0s or 2h`,
      );
    });
  }
});

describe('formatGoDuration', () => {
  const cases: { name: string; ms: number; expectText: string }[] = [
    { name: 'zero', ms: 0, expectText: '0s' },
    { name: 'sub-second', ms: 300, expectText: '300ms' },
    { name: 'seconds', ms: 30_000, expectText: '30s' },
    { name: 'fractional seconds', ms: 1_500, expectText: '1.5s' },
    { name: 'one minute', ms: 60_000, expectText: '1m0s' },
    { name: 'one hour', ms: 3_600_000, expectText: '1h0m0s' },
    { name: 'hour and a half', ms: 5_400_000, expectText: '1h30m0s' },
    { name: 'negative', ms: -90_000, expectText: '-1m30s' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(formatGoDuration(tc.ms)).to.equal(tc.expectText);
    });
  }

  it('round-trips request timeout default', () => {
    expect(parseGoDuration(formatGoDuration(60_000))).to.equal(60_000);
  });
});
