import { expect } from 'chai';
import { InvalidArgumentError } from 'commander';
import {
  collect,
  oneOf,
  parseBool,
  parseDurationMs,
  parseList,
  parseNonNegativeInt,
  parsePort,
} from '../../../../../../cmd/apiserver/app/options/flag_values.js';

describe('parseBool', () => {
  const cases: { name: string; value: string | undefined; expect: boolean }[] = [
    { name: 'bare flag', value: undefined, expect: true },
    { name: 'true', value: 'true', expect: true },
    { name: 'T', value: 'T', expect: true },
    { name: '1', value: '1', expect: true },
    { name: 'false', value: 'false', expect: false },
    { name: 'FALSE', value: 'FALSE', expect: false },
    { name: '0', value: '0', expect: false },
    { name: 'leading equals', value: '=false', expect: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseBool(tc.value)).to.equal(tc.expect);
    });
  }

  it('yes rejected', () => {
    expect(() => parseBool('yes')).to.throw(InvalidArgumentError, 'expected true or false.');
  });
});

describe('parseNonNegativeInt', () => {
  const cases: { name: string; value: string; expect: number | Error }[] = [
    { name: 'zero', value: '0', expect: 0 },
    { name: 'number', value: '400', expect: 400 },
    { name: 'leading equals', value: '=4', expect: 4 },
    { name: 'negative', value: '-1', expect: new Error('expected a non-negative integer.') },
    { name: 'decimal', value: '1.5', expect: new Error('expected a non-negative integer.') },
    { name: 'empty', value: '', expect: new Error('expected a non-negative integer.') },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      if (tc.expect instanceof Error) {
        expect(() => parseNonNegativeInt(tc.value)).to.throw(
          InvalidArgumentError,
          tc.expect.message,
        );
      } else {
        expect(parseNonNegativeInt(tc.value)).to.equal(tc.expect);
      }
    });
  }
});

describe('parsePort', () => {
  it('highest port', () => {
    expect(parsePort('65535')).to.equal(65535);
  });

  it('above range rejected', () => {
    expect(() => parsePort('65536')).to.throw(
      InvalidArgumentError,
      'expected a port between 0 and 65535.',
    );
  });
});

describe('parseDurationMs', () => {
  it('Go duration', () => {
    expect(parseDurationMs('1m0s')).to.equal(60_000);
  });

  it('leading equals', () => {
    expect(parseDurationMs('=30s')).to.equal(30_000);
  });

  it('bad value rejected', () => {
    expect(() => parseDurationMs('soon')).to.throw(
      InvalidArgumentError,
      'invalid duration "soon": use a number with a unit, such as 30s, 1m0s or 2h.',
    );
  });
});

describe('parseList', () => {
  const cases: { name: string; value: string; previous: string[] | undefined; expect: string[] }[] =
    [
      { name: 'split and trimmed', value: 'a, b ,c', previous: undefined, expect: ['a', 'b', 'c'] },
      { name: 'empty entries dropped', value: 'a,,b,', previous: undefined, expect: ['a', 'b'] },
      { name: 'appends to previous', value: 'c', previous: ['a', 'b'], expect: ['a', 'b', 'c'] },
      { name: 'empty value', value: '', previous: undefined, expect: [] },
    ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseList(tc.value, tc.previous)).to.deep.equal(tc.expect);
    });
  }
});

describe('collect', () => {
  it('keeps commas inside one value', () => {
    expect(collect('a.crt,a.key', ['x'])).to.deep.equal(['x', 'a.crt,a.key']);
  });
});

describe('oneOf', () => {
  const parse = oneOf(['VersionTLS12', 'VersionTLS13']);

  it('accepts a choice', () => {
    expect(parse('VersionTLS13')).to.equal('VersionTLS13');
  });

  it('rejects another value', () => {
    expect(() => parse('VersionTLS11')).to.throw(
      InvalidArgumentError,
      'expected one of VersionTLS12, VersionTLS13.',
    );
  });
});
