import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AuthenticationResult } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import type { TokenFileWarning } from '../../../../../../../plugin/auth/authenticator/token/tokenfile/tokenfile.js';
import {
  loadTokenFile,
  parseGroups,
  parseTokenFile,
} from '../../../../../../../plugin/auth/authenticator/token/tokenfile/tokenfile.js';

// Tests run from dist/test/..., the fixtures stay in the source tree.
const TESTDATA = fileURLToPath(
  new URL('../../../../../../../../test/testdata/tokenfile/', import.meta.url),
);

function testdata(name: string): string {
  return `${TESTDATA}${name}`;
}

function parseFixture(name: string) {
  return parseTokenFile(readFileSync(testdata(name), 'utf8'), testdata(name));
}

/** Returns the message of the error `run` throws, and fails the test when it throws nothing. */
function thrownMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  expect.fail('expected an error, but none was thrown');
}

async function authenticate(path: string, token: string): Promise<AuthenticationResult> {
  const authenticator = await loadTokenFile(path, { logger: { warn: () => undefined } });
  return authenticator.authenticateToken(token, new AbortController().signal);
}

describe('parseTokenFile', () => {
  it('reads every column of valid file', () => {
    const { entries, warnings } = parseFixture('valid.csv');

    expect(entries.map((e) => e.line)).to.deep.equal([1, 2, 4, 5]);
    expect(entries.map((e) => e.token)).to.deep.equal([
      'token-alice',
      'token-bob',
      'token,with "quotes"',
      'token-dave',
    ]);
    expect(entries.map((e) => e.user.name)).to.deep.equal(['alice', 'bob', 'carol', 'dave']);
    expect(entries.map((e) => e.user.uid)).to.deep.equal(['1001', '1002', '1003', '1004']);
    expect(entries.map((e) => e.user.groups)).to.deep.equal([
      ['devs', 'site admins'],
      [],
      ['qa'],
      ['site admins', 'qa'],
    ]);
    expect(warnings).to.deep.equal([]);
  });

  it('strips byte order mark', () => {
    const { entries } = parseFixture('bom.csv');

    expect(entries).to.have.length(1);
    expect(entries[0]!.token).to.equal('token-bom');
    expect(entries[0]!.user.groups).to.deep.equal(['devs']);
  });

  it('reads CRLF line ends', () => {
    const { entries } = parseFixture('crlf.csv');

    expect(entries.map((e) => e.token)).to.deep.equal(['token-alice', 'token-bob']);
    expect(entries[1]!.user.uid).to.equal('1002');
    expect(entries[1]!.user.groups).to.deep.equal(['devs', 'qa']);
  });

  const noTokens = [
    { name: 'empty file', file: 'empty.csv' },
    { name: 'blank lines only', file: 'blank_lines.csv' },
  ];
  for (const tc of noTokens) {
    it(`accepts ${tc.name} with warning`, () => {
      const { entries, warnings } = parseFixture(tc.file);

      expect(entries).to.deep.equal([]);
      expect(warnings).to.deep.equal([{ line: undefined, message: 'the file contains no tokens' }]);
    });
  }

  it('warns about empty and duplicate tokens', () => {
    const { entries, warnings } = parseFixture('empty_and_duplicate.csv');

    expect(entries.map((e) => e.line)).to.deep.equal([1, 3]);
    expect(warnings).to.deep.equal([
      { line: 2, message: 'empty token, so the line is skipped' },
      {
        line: 3,
        message: 'duplicate token, which replaces the entry on an earlier line',
        replacedLine: 1,
      },
    ] satisfies TokenFileWarning[]);
  });

  it('freezes returned users', () => {
    const { entries } = parseFixture('valid.csv');

    expect(Object.isFrozen(entries[0]!.user)).to.be.true;
    expect(Object.isFrozen(entries[0]!.user.groups)).to.be.true;
  });

  const invalid = [
    {
      name: 'too few columns',
      file: 'too_few_columns.csv',
      expectProblem:
        'line 2: found 2 column(s), but at least 3 are required (token, user name, user uid); ' +
        'add the missing columns or delete the line',
    },
    {
      name: 'bare double quote',
      file: 'bare_quote.csv',
      expectProblem:
        'line 2: invalid CSV in column 1: double quote in an unquoted field; quote the whole ' +
        'field and double the quote (for example "a""b")',
    },
    {
      name: 'text after closing quote',
      file: 'text_after_quote.csv',
      expectProblem:
        'line 2: invalid CSV in column 1: unexpected text after the closing double quote of a ' +
        'quoted field; write a double quote inside a quoted field as two double quotes ("")',
    },
    {
      name: 'unterminated quote',
      file: 'unterminated_quote.csv',
      expectProblem:
        'line 2: invalid CSV in column 1: quoted field has no closing double quote; add the ' +
        'missing double quote',
    },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name}`, () => {
      const message = thrownMessage(() => parseFixture(tc.file));

      expect(message).to.equal(`--token-auth-file: ${testdata(tc.file)}: ${tc.expectProblem}`);
      expect(message).to.not.include('secret-token');
    });
  }
});

describe('parseGroups', () => {
  const cases = [
    { name: 'single group', column: 'devs', expect: ['devs'] },
    { name: 'spaces inside name kept', column: 'site admins,qa', expect: ['site admins', 'qa'] },
    { name: 'spaces around names trimmed', column: ' devs , qa ', expect: ['devs', 'qa'] },
    { name: 'empty column', column: '', expect: [] },
    { name: 'empty pieces dropped', column: 'devs,,qa,', expect: ['devs', 'qa'] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseGroups(tc.column)).to.deep.equal(tc.expect);
    });
  }
});

describe('loadTokenFile', () => {
  const cases: {
    name: string;
    file: string;
    token: string;
    expectName: string | undefined;
    expectGroups?: string[];
  }[] = [
    {
      name: 'known token',
      file: 'valid.csv',
      token: 'token-alice',
      expectName: 'alice',
      expectGroups: ['devs', 'site admins'],
    },
    {
      name: 'quoted token',
      file: 'valid.csv',
      token: 'token,with "quotes"',
      expectName: 'carol',
      expectGroups: ['qa'],
    },
    { name: 'unknown token', file: 'valid.csv', token: 'token-zed', expectName: undefined },
    { name: 'shorter token', file: 'valid.csv', token: 'token-alic', expectName: undefined },
    { name: 'longer token', file: 'valid.csv', token: 'token-alice2', expectName: undefined },
    { name: 'empty token', file: 'valid.csv', token: '', expectName: undefined },
    { name: 'token of empty file', file: 'empty.csv', token: 'token-alice', expectName: undefined },
    {
      name: 'duplicate token uses last line',
      file: 'empty_and_duplicate.csv',
      token: 'token-alice',
      expectName: 'alice-again',
      expectGroups: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const result = await authenticate(testdata(tc.file), tc.token);

      if (tc.expectName === undefined) {
        expect(result.kind).to.equal('notApplicable');
        return;
      }
      expect(result.kind).to.equal('authenticated');
      if (result.kind !== 'authenticated') return;
      expect(result.user.name).to.equal(tc.expectName);
      expect(result.user.groups).to.deep.equal(tc.expectGroups);
    });
  }

  it('logs warnings with line numbers', async () => {
    const logged: { message: string; meta: Record<string, unknown> }[] = [];
    const logger = {
      warn: (message: string, meta: Record<string, unknown>) => logged.push({ message, meta }),
    };
    const path = testdata('empty_and_duplicate.csv');

    await loadTokenFile(path, { logger });

    expect(logged.map((l) => l.message)).to.deep.equal([
      'empty token, so the line is skipped',
      'duplicate token, which replaces the entry on an earlier line',
    ]);
    expect(logged[0]!.meta).to.deep.equal({
      flag: '--token-auth-file',
      path,
      line: 2,
      replacedLine: undefined,
    });
    expect(logged[1]!.meta).to.deep.equal({
      flag: '--token-auth-file',
      path,
      line: 3,
      replacedLine: 1,
    });
  });

  it('emits process warning without logger', async () => {
    const emitted: string[] = [];
    const listener = (warning: Error) => emitted.push(warning.message);
    process.on('warning', listener);
    try {
      await loadTokenFile(testdata('empty.csv'));
      // process.emitWarning delivers the event on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }

    expect(emitted).to.deep.equal([
      `--token-auth-file: ${testdata('empty.csv')}: the file contains no tokens`,
    ]);
  });

  it('rejects missing file', async () => {
    const path = testdata('does-not-exist.csv');

    let message = '';
    try {
      await loadTokenFile(path);
      expect.fail('expected loadTokenFile to throw');
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).to.match(
      new RegExp(`^--token-auth-file: ${path}: unable to read the file \\(ENOENT`),
    );
    expect(message).to.include('check the path and its permissions');
  });

  it('rejects malformed file', async () => {
    const path = testdata('too_few_columns.csv');

    let message = '';
    try {
      await loadTokenFile(path);
      expect.fail('expected loadTokenFile to throw');
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).to.match(new RegExp(`^--token-auth-file: ${path}: line 2: found 2 column`));
  });
});
