import { expect } from 'chai';
import {
  CSVSyntaxError,
  parseCSV,
} from '../../../../../../../plugin/auth/authenticator/token/tokenfile/csv.js';

describe('parseCSV', () => {
  const cases: { name: string; text: string; expect: { line: number; fields: string[] }[] }[] = [
    { name: 'empty text', text: '', expect: [] },
    { name: 'blank lines skipped', text: '\n\r\n\n', expect: [] },
    {
      name: 'plain fields',
      text: 'a,b,c\nd,e\n',
      expect: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['d', 'e'] },
      ],
    },
    { name: 'no final line end', text: 'a,b', expect: [{ line: 1, fields: ['a', 'b'] }] },
    { name: 'final CR dropped', text: 'a,b\r', expect: [{ line: 1, fields: ['a', 'b'] }] },
    { name: 'CR inside field kept', text: 'a\rb,c', expect: [{ line: 1, fields: ['a\rb', 'c'] }] },
    { name: 'empty fields', text: ',,\n', expect: [{ line: 1, fields: ['', '', ''] }] },
    { name: 'spaces kept', text: ' a , b \n', expect: [{ line: 1, fields: [' a ', ' b '] }] },
    {
      name: 'quoted comma',
      text: '"a,b",c\n',
      expect: [{ line: 1, fields: ['a,b', 'c'] }],
    },
    {
      name: 'doubled quotes',
      text: '"say ""hi""",x\n',
      expect: [{ line: 1, fields: ['say "hi"', 'x'] }],
    },
    { name: 'empty quoted field', text: '"",x', expect: [{ line: 1, fields: ['', 'x'] }] },
    {
      name: 'line break inside quotes',
      text: '"a\r\nb",c\nd,e\n',
      expect: [
        { line: 1, fields: ['a\nb', 'c'] },
        { line: 3, fields: ['d', 'e'] },
      ],
    },
    {
      name: 'line numbers skip blank lines',
      text: '\n\na,b\n\nc,d',
      expect: [
        { line: 3, fields: ['a', 'b'] },
        { line: 5, fields: ['c', 'd'] },
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseCSV(tc.text)).to.deep.equal(tc.expect);
    });
  }

  const invalid = [
    { name: 'bare quote', text: 'a,b"c\n', expectLine: 1, expectField: 2 },
    { name: 'quote after spaces', text: 'a\n "b",c\n', expectLine: 2, expectField: 1 },
    { name: 'text after closing quote', text: '"a"b,c\n', expectLine: 1, expectField: 1 },
    { name: 'unterminated quote', text: 'a\nb,"c\nd\n', expectLine: 2, expectField: 2 },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name}`, () => {
      let caught: unknown;
      try {
        parseCSV(tc.text);
      } catch (error) {
        caught = error;
      }

      expect(caught).to.be.instanceOf(CSVSyntaxError);
      expect((caught as CSVSyntaxError).line).to.equal(tc.expectLine);
      expect((caught as CSVSyntaxError).field).to.equal(tc.expectField);
    });
  }
});
