import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthenticationResult } from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import {
  loadPasswordFile,
  newPasswordFileAuthenticator,
  parsePasswordFile,
} from '../../../../../../../plugin/auth/authenticator/password/passwordfile/passwordfile.js';

const PATH = '/etc/kubernetes/basic.csv';
const SIGNAL = new AbortController().signal;

/** Returns the error `fn` throws, failing the test when it throws none. */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  return expect.fail('expected an error, but none was thrown');
}

describe('parsePasswordFile', function () {
  const cases: {
    name: string;
    text: string;
    expectUsers: { line: number; name: string; uid: string; groups: string[] }[];
    expectWarnings?: string[];
  }[] = [
    {
      name: 'three columns',
      text: 's3cret,alice,1000\n',
      expectUsers: [{ line: 1, name: 'alice', uid: '1000', groups: [] }],
    },
    {
      name: 'quoted groups',
      text: 's3cret,alice,1000,"devs, site admins"\r\npw,bob,1001,ops\n',
      expectUsers: [
        { line: 1, name: 'alice', uid: '1000', groups: ['devs', 'site admins'] },
        { line: 2, name: 'bob', uid: '1001', groups: ['ops'] },
      ],
    },
    {
      name: 'byte order mark and blank lines',
      text: '\uFEFFpw,alice,1\n\n\npw,bob,2,,ignored\n',
      expectUsers: [
        { line: 1, name: 'alice', uid: '1', groups: [] },
        { line: 4, name: 'bob', uid: '2', groups: [] },
      ],
    },
    {
      name: 'duplicate user',
      text: 'a,alice,1\nb,alice,2\n',
      expectUsers: [
        { line: 1, name: 'alice', uid: '1', groups: [] },
        { line: 2, name: 'alice', uid: '2', groups: [] },
      ],
      expectWarnings: ['line 2: duplicate user name, which replaces the entry on line 1'],
    },
    {
      name: 'empty user skipped',
      text: 'pw,,1\npw,bob,2\n',
      expectUsers: [{ line: 2, name: 'bob', uid: '2', groups: [] }],
      expectWarnings: ['line 1: empty user name, so the line is skipped'],
    },
    {
      name: 'empty password',
      text: ',alice,1\n',
      expectUsers: [{ line: 1, name: 'alice', uid: '1', groups: [] }],
      expectWarnings: ['line 1: empty password, so the user logs in without one'],
    },
    {
      name: 'empty file',
      text: '',
      expectUsers: [],
      expectWarnings: ['the file contains no users'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, function () {
      const { entries, warnings } = parsePasswordFile(tc.text, PATH);
      const users = entries.map(({ line, user }) => ({
        line,
        name: user.name,
        uid: user.uid,
        groups: [...user.groups],
      }));
      expect(users).to.deep.equal(tc.expectUsers);
      const messages = warnings.map(
        (w) => (w.line === undefined ? '' : `line ${w.line}: `) + w.message,
      );
      expect(messages).to.deep.equal(tc.expectWarnings ?? []);
    });
  }

  const errorCases: { name: string; text: string; expectMessage: string }[] = [
    {
      name: 'too few columns',
      text: 'pw,alice,1\nhunter2,bob\n',
      expectMessage: `--basic-auth-file: ${PATH}: line 2: found 2 column(s), but at least 3 are required (password, user name, user uid); add the missing columns or delete the line`,
    },
    {
      name: 'unclosed quote',
      text: 'pw,alice,1\n"hunter2,bob,2\n',
      expectMessage: `--basic-auth-file: ${PATH}: line 2: invalid CSV in column 1: quoted field has no closing double quote; add the missing double quote`,
    },
  ];
  for (const tc of errorCases) {
    it(`rejects ${tc.name}`, function () {
      const error = thrownBy(() => parsePasswordFile(tc.text, PATH));
      expect(error.message).to.equal(tc.expectMessage);
      expect(error.message).not.to.include('hunter2');
    });
  }
});

describe('newPasswordFileAuthenticator', function () {
  const { entries } = parsePasswordFile(
    's3cret,alice,1000,"devs,ops"\nold,bob,1\nnew,bob,2\n,carol,3\n',
    PATH,
  );
  const passwords = newPasswordFileAuthenticator(entries);

  const cases: {
    name: string;
    user: string;
    password: string;
    expectUID?: string;
    expectGroups?: string[];
  }[] = [
    {
      name: 'right password',
      user: 'alice',
      password: 's3cret',
      expectUID: '1000',
      expectGroups: ['devs', 'ops'],
    },
    { name: 'wrong password', user: 'alice', password: 's3cre' },
    { name: 'longer password', user: 'alice', password: 's3cretX' },
    { name: 'unknown user', user: 'mallory', password: 's3cret' },
    { name: 'user name case matters', user: 'Alice', password: 's3cret' },
    {
      name: 'later entry replaces',
      user: 'bob',
      password: 'new',
      expectUID: '2',
      expectGroups: [],
    },
    { name: 'replaced password', user: 'bob', password: 'old' },
    { name: 'empty password', user: 'carol', password: '', expectUID: '3', expectGroups: [] },
  ];
  for (const tc of cases) {
    it(tc.name, async function () {
      const result: AuthenticationResult = await passwords.authenticatePassword(
        tc.user,
        tc.password,
        SIGNAL,
      );
      if (tc.expectUID === undefined) {
        expect(result).to.deep.equal({ kind: 'notApplicable' });
        return;
      }
      if (result.kind !== 'authenticated')
        expect.fail(`expected authenticated, got ${result.kind}`);
      expect(result.user.name).to.equal(tc.user);
      expect(result.user.uid).to.equal(tc.expectUID);
      expect(result.user.groups).to.deep.equal(tc.expectGroups);
    });
  }
});

describe('loadPasswordFile', function () {
  let dir: string;
  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'passwordfile-'));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads users and logs warnings', async function () {
    const path = join(dir, 'users.csv');
    await writeFile(path, 'hunter2,alice,1\nhunter3,alice,2\n');
    const logged: { message: string; meta: Record<string, unknown> }[] = [];
    const logger = {
      warn: (message: string, meta: Record<string, unknown>) => logged.push({ message, meta }),
    };
    const passwords = await loadPasswordFile(path, { logger });
    const result = await passwords.authenticatePassword('alice', 'hunter3', SIGNAL);
    expect(result.kind).to.equal('authenticated');
    expect(logged).to.deep.equal([
      {
        message: 'duplicate user name, which replaces the entry on line 1',
        meta: { flag: '--basic-auth-file', path, line: 2, user: 'alice' },
      },
    ]);
    expect(JSON.stringify(logged)).not.to.include('hunter');
  });

  it('rejects missing file', async function () {
    const path = join(dir, 'missing.csv');
    let error: unknown;
    try {
      await loadPasswordFile(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(
      new RegExp(`^--basic-auth-file: ${path}: unable to read the file \\(.*ENOENT`),
    );
  });
});
