import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthenticationResult } from '../../../../../pkg/auth/authenticator/interfaces.js';
import { NOT_APPLICABLE, authenticated } from '../../../../../pkg/auth/authenticator/interfaces.js';
import type { UserInfo } from '../../../../../pkg/auth/user/user.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import type { PasswordAuthenticator } from '../../request/basicauth/basicauth.js';
import type { CSVRecord } from '../../token/tokenfile/csv.js';
import { CSVSyntaxError, parseCSV } from '../../token/tokenfile/csv.js';
import { parseGroups } from '../../token/tokenfile/tokenfile.js';
import { readFlagFile } from '../../../../../pkg/util/flag_file.js';

const FLAG = '--basic-auth-file';
const BYTE_ORDER_MARK = '\uFEFF';
const MIN_COLUMNS = 3;

/** One usable line of a password file. */
export interface PasswordFileEntry {
  /** The 1-based line the entry starts on. */
  readonly line: number;
  readonly password: string;
  readonly user: UserInfo;
}

/** A problem in a password file that is tolerated and logged at warning level. */
export interface PasswordFileWarning {
  /** The 1-based line, or undefined for a problem with the whole file. */
  readonly line: number | undefined;
  /** A fixed description, which never contains a password. */
  readonly message: string;
  /** The user name the warning is about, if any. */
  readonly user?: string;
}

/** The result of parsing a password file: its entries in file order, and what it tolerated. */
export interface ParsedPasswordFile {
  readonly entries: readonly PasswordFileEntry[];
  readonly warnings: readonly PasswordFileWarning[];
}

/** The part of a winston logger that loadPasswordFile uses. */
export interface PasswordFileLogger {
  warn(message: string, meta: Record<string, unknown>): unknown;
}

function configError(path: string, line: number, problem: string): Error {
  return new Error(`${FLAG}: ${path}: line ${line}: ${problem}`);
}

function entryFrom(line: number, fields: readonly string[]): PasswordFileEntry {
  const [password = '', name = '', uid = '', groupsColumn] = fields;
  const groups = groupsColumn === undefined ? [] : parseGroups(groupsColumn);
  // Frozen because the same object is returned for every request of this user.
  const user = newUserInfo({ name, uid, groups: Object.freeze(groups) });
  return { line, password, user: Object.freeze(user) };
}

function parseRecords(content: string, path: string): CSVRecord[] {
  try {
    return parseCSV(content);
  } catch (error) {
    if (!(error instanceof CSVSyntaxError)) throw error;
    // The message names the column but never quotes it, because the column may be a password.
    throw configError(path, error.line, `invalid CSV in column ${error.field}: ${error.message}`);
  }
}

/**
 * Parses the text of a --basic-auth-file. Each line is `password,user name,uid` with an optional
 * fourth column of comma-separated groups, quoted when it lists more than one:
 * `s3cret,alice,1000,"devs,site admins"`. Columns after the fourth are ignored, and the CSV
 * dialect and group rules are those of the token file (see parseTokenFile and parseGroups).
 *
 * The rules follow kube-apiserver's passwordfile.NewCSV before 1.19
 * (k8s.io/apiserver/plugin/pkg/authenticator/password/passwordfile): a line with fewer than 3
 * columns fails the whole file, and a repeated user name replaces the earlier entry with a
 * warning. An empty password is accepted, with a warning, because upstream accepts it too.
 *
 * Differs from kube-apiserver: a line with an empty user name is skipped with a warning, where
 * kube-apiserver let `Authorization: Basic base64(":password")` log in as a user named "".
 *
 * @throws Error whose message starts with `--basic-auth-file: <path>: line N:` for malformed CSV
 * or too few columns. Messages never contain a password.
 */
export function parsePasswordFile(text: string, path: string): ParsedPasswordFile {
  const content = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  const entries: PasswordFileEntry[] = [];
  const warnings: PasswordFileWarning[] = [];
  const lineOfUser = new Map<string, number>();

  for (const { line, fields } of parseRecords(content, path)) {
    if (fields.length < MIN_COLUMNS) {
      throw configError(
        path,
        line,
        `found ${fields.length} column(s), but at least ${MIN_COLUMNS} are required ` +
          '(password, user name, user uid); add the missing columns or delete the line',
      );
    }
    const entry = entryFrom(line, fields);
    const user = entry.user.name;
    if (user === '') {
      warnings.push({ line, message: 'empty user name, so the line is skipped' });
      continue;
    }
    if (entry.password === '') {
      warnings.push({ line, user, message: 'empty password, so the user logs in without one' });
    }
    const earlierLine = lineOfUser.get(user);
    if (earlierLine !== undefined) {
      const message = `duplicate user name, which replaces the entry on line ${earlierLine}`;
      warnings.push({ line, user, message });
    }
    lineOfUser.set(user, line);
    entries.push(entry);
  }
  if (entries.length === 0) {
    warnings.push({ line: undefined, message: 'the file contains no users' });
  }
  return { entries, warnings };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// Compared against when the user is unknown, so that an unknown user takes as long as a known one.
const NO_USER_DIGEST = sha256('');

/**
 * Creates a password authenticator for a fixed list of entries. A later entry with the same user
 * name replaces an earlier one. An unknown user or a wrong password is not applicable, and the
 * basic authenticator turns that into a rejection.
 *
 * Passwords are kept as SHA-256 digests and compared with crypto.timingSafeEqual. Comparing the
 * digests instead of the passwords keeps the comparison time independent of how many leading
 * bytes of a guess match and of the password's length. Go's subtle.ConstantTimeCompare, which
 * kube-apiserver used, returns early when the lengths differ.
 */
export function newPasswordFileAuthenticator(
  entries: readonly PasswordFileEntry[],
): PasswordAuthenticator {
  const byUser = new Map<string, { digest: Buffer; user: UserInfo }>();
  for (const entry of entries) {
    byUser.set(entry.user.name, { digest: sha256(entry.password), user: entry.user });
  }

  return {
    authenticatePassword(username: string, password: string): Promise<AuthenticationResult> {
      const entry = byUser.get(username);
      const matches = timingSafeEqual(entry?.digest ?? NO_USER_DIGEST, sha256(password));
      if (entry === undefined || !matches) return Promise.resolve(NOT_APPLICABLE);
      return Promise.resolve(authenticated(entry.user));
    },
  };
}

/** Formats a warning as one line of text, for process.emitWarning. */
export function describePasswordFileWarning(warning: PasswordFileWarning): string {
  const where = warning.line === undefined ? '' : `line ${warning.line}: `;
  const user = warning.user === undefined ? '' : ` (user ${JSON.stringify(warning.user)})`;
  return `${where}${warning.message}${user}`;
}

/**
 * Reads and parses a --basic-auth-file and returns its password authenticator. Warnings go to
 * `options.logger` at warning level, or to process.emitWarning when no logger is given. Neither
 * ever receives a password.
 *
 * @throws Error starting with `--basic-auth-file: <path>:` when the file cannot be read or is
 * malformed (see parsePasswordFile).
 */
export async function loadPasswordFile(
  path: string,
  options: { logger?: PasswordFileLogger } = {},
): Promise<PasswordAuthenticator> {
  const text = await readFlagFile(FLAG, path);

  const { entries, warnings } = parsePasswordFile(text, path);
  for (const warning of warnings) {
    if (options.logger === undefined) {
      process.emitWarning(`${FLAG}: ${path}: ${describePasswordFileWarning(warning)}`);
    } else {
      options.logger.warn(warning.message, {
        flag: FLAG,
        path,
        line: warning.line,
        user: warning.user,
      });
    }
  }
  return newPasswordFileAuthenticator(entries);
}
