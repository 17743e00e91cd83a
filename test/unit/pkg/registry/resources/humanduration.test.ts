import { expect } from 'chai';
import {
  humanDuration,
  shortHumanDuration,
  translateTimestampSince,
} from '../../../../../pkg/registry/resources/humanduration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('humanDuration', () => {
  const cases = [
    { name: 'zero', durationMs: 0, expect: '0s' },
    { name: 'skew under 2s', durationMs: -1500, expect: '0s' },
    { name: 'future beyond skew', durationMs: -2 * SECOND, expect: '<invalid>' },
    { name: 'seconds', durationMs: 5 * SECOND, expect: '5s' },
    { name: 'seconds up to 2m', durationMs: 119 * SECOND + 999, expect: '119s' },
    { name: 'two minutes', durationMs: 2 * MINUTE, expect: '2m' },
    { name: 'minutes and seconds', durationMs: 3 * MINUTE + 20 * SECOND, expect: '3m20s' },
    { name: 'under 10m', durationMs: 9 * MINUTE + 59 * SECOND, expect: '9m59s' },
    { name: 'ten minutes', durationMs: 10 * MINUTE + 30 * SECOND, expect: '10m' },
    { name: 'minutes up to 3h', durationMs: 179 * MINUTE, expect: '179m' },
    { name: 'three hours', durationMs: 3 * HOUR, expect: '3h' },
    { name: 'hours and minutes', durationMs: 5 * HOUR + 2 * MINUTE, expect: '5h2m' },
    { name: 'eight hours', durationMs: 8 * HOUR + 30 * MINUTE, expect: '8h' },
    { name: 'hours up to 2d', durationMs: 47 * HOUR, expect: '47h' },
    { name: 'two days', durationMs: 2 * DAY, expect: '2d' },
    { name: 'days and hours', durationMs: 2 * DAY + 3 * HOUR, expect: '2d3h' },
    { name: 'under 8d', durationMs: 7 * DAY + 23 * HOUR, expect: '7d23h' },
    { name: 'eight days', durationMs: 8 * DAY + 5 * HOUR, expect: '8d' },
    { name: 'days up to 2y', durationMs: 729 * DAY, expect: '729d' },
    { name: 'two years', durationMs: 730 * DAY, expect: '2y' },
    { name: 'years and days', durationMs: 3 * 365 * DAY + 120 * DAY, expect: '3y120d' },
    { name: 'eight years', durationMs: 8 * 365 * DAY + 40 * DAY, expect: '8y' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(humanDuration(tc.durationMs)).to.equal(tc.expect);
    });
  }
});

describe('shortHumanDuration', () => {
  const cases = [
    { name: 'future beyond skew', durationMs: -5 * SECOND, expect: '<invalid>' },
    { name: 'skew', durationMs: -SECOND, expect: '0s' },
    { name: 'seconds', durationMs: 59 * SECOND, expect: '59s' },
    { name: 'minute', durationMs: 60 * SECOND, expect: '1m' },
    { name: 'minutes', durationMs: 59 * MINUTE, expect: '59m' },
    { name: 'hours', durationMs: 23 * HOUR + 59 * MINUTE, expect: '23h' },
    { name: 'days', durationMs: 364 * DAY, expect: '364d' },
    { name: 'years', durationMs: 800 * DAY, expect: '2y' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(shortHumanDuration(tc.durationMs)).to.equal(tc.expect);
    });
  }
});

describe('translateTimestampSince', () => {
  const now = new Date('2025-01-10T12:00:00Z');
  const cases = [
    { name: 'missing', timestamp: undefined, expect: '<unknown>' },
    { name: 'null', timestamp: null, expect: '<unknown>' },
    { name: 'go zero time', timestamp: '0001-01-01T00:00:00Z', expect: '<unknown>' },
    { name: 'malformed', timestamp: 'yesterday', expect: '<unknown>' },
    { name: 'rfc3339', timestamp: '2025-01-08T09:00:00Z', expect: '2d3h' },
    { name: 'with offset', timestamp: '2025-01-10T12:55:00+01:00', expect: '5m' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(translateTimestampSince(tc.timestamp, now)).to.equal(tc.expect);
    });
  }
});
