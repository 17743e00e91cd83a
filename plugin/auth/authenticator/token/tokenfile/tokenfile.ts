import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  AuthenticationResult,
  TokenAuthenticator,
} from '../../../../../pkg/auth/authenticator/interfaces.js';
import { NOT_APPLICABLE, authenticated } from '../../../../../pkg/auth/authenticator/interfaces.js';
import type { UserInfo } from '../../../../../pkg/auth/user/user.js';
import { newUserInfo } from '../../../../../pkg/auth/user/user.js';
import type { CSVRecord } from './csv.js';
import { CSVSyntaxError, parseCSV } from './csv.js';
import { readFlagFile } from '../../../../../pkg/util/flag_file.js';

const FLAG = '--token-auth-file';
const BYTE_ORDER_MARK = '\uFEFF';
const MIN_COLUMNS = 3;

/** One usable line of a token file. */
export interface TokenFileEntry {
  /** The 1-based line the entry starts on. */
  readonly line: number;
  readonly token: string;
  readonly user: UserInfo;
}

/** A problem in a token file that kube-apiserver tolerates and logs at warning level. */
export interface TokenFileWarning {
  /** The 1-based line, or undefined for a problem with the whole file. */
  readonly line: number | undefined;
  /** A fixed description, which never contains a token. */
  readonly message: string;
  /** For a duplicate token, the line of the entry it replaces. */
  readonly replacedLine?: number;
}

/** The result of parsing a token file: its entries in file order, and what it tolerated. */
export interface ParsedTokenFile {
  readonly entries: readonly TokenFileEntry[];
  readonly warnings: readonly TokenFileWarning[];
}

/** The part of a winston logger that loadTokenFile uses. */
export interface TokenFileLogger {
  warn(message: string, meta: Record<string, unknown>): unknown;
}

function configError(path: string, line: number, problem: string, cause?: unknown): Error {
  return new Error(`${FLAG}: ${path}: line ${line}: ${problem}`, { cause });
}

/**
 * Splits the groups column on commas. Differs from kube-apiserver: upstream keeps the pieces as
 * they are, so `"a, b"` yields the group " b" and an empty column yields one group named "".
 * Neither can match an RBAC subject that anyone would write, so each group is trimmed and empty
 * ones are dropped. Spaces inside a name ("site admins") are kept.
 */
export function parseGroups(column: string): string[] {
  return column
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group !== '');
}

/** Builds the entry of a line that has at least MIN_COLUMNS fields. */
function entryFrom(line: number, fields: readonly string[]): TokenFileEntry {
  const [token = '', name = '', uid = '', groupsColumn] = fields;
  const groups = groupsColumn === undefined ? [] : parseGroups(groupsColumn);
  // Frozen because the same object is returned for every request with this token.
  const user = newUserInfo({ name, uid, groups: Object.freeze(groups) });
  return { line, token, user: Object.freeze(user) };
}

/**
 * Parses the text of a --token-auth-file. Each line is `token,user name,uid` with an optional
 * fourth column of comma-separated groups, quoted when it contains more than one group:
 * `31ada4fd,alice,1000,"devs,site admins"`. Columns after the fourth are ignored.
 *
 * The rules follow kube-apiserver's tokenfile.NewCSV
 * (k8s.io/apiserver/pkg/authentication/token/tokenfile): blank lines are skipped, a line with an
 * empty token is skipped with a warning, and a repeated token replaces the earlier one with a
 * warning. A line with fewer than 3 columns fails the whole file. A file without tokens is
 * valid and authenticates no one. Unlike kube-apiserver, it also gets a warning.
 *
 * Differs from kube-apiserver: a leading UTF-8 byte order mark is removed. Go's encoding/csv keeps
 * it, which silently makes the first token of a file saved by some Windows editors unusable.
 *
 * @throws Error whose message starts with `--token-auth-file: <path>: line N:` for malformed CSV
 * or too few columns. Messages never contain a token.
 */
export function parseTokenFile(text: string, path: string): ParsedTokenFile {
  const content = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  let records: CSVRecord[];
  try {
    records = parseCSV(content);
  } catch (error) {
    if (!(error instanceof CSVSyntaxError)) throw error;
    throw configError(path, error.line, `invalid CSV in column ${error.field}: ${error.message}`);
  }

  const entries: TokenFileEntry[] = [];
  const warnings: TokenFileWarning[] = [];
  const lineOfToken = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.length < MIN_COLUMNS) {
      throw configError(
        path,
        line,
        `found ${fields.length} column(s), but at least ${MIN_COLUMNS} are required ` +
          '(token, user name, user uid); add the missing columns or delete the line',
      );
    }
    const entry = entryFrom(line, fields);
    if (entry.token === '') {
      warnings.push({ line, message: 'empty token, so the line is skipped' });
      continue;
    }
    const earlierLine = lineOfToken.get(entry.token);
    if (earlierLine !== undefined) {
      warnings.push({
        line,
        message: 'duplicate token, which replaces the entry on an earlier line',
        replacedLine: earlierLine,
      });
    }
    lineOfToken.set(entry.token, line);
    entries.push(entry);
  }
  if (entries.length === 0) {
    warnings.push({ line: undefined, message: 'the file contains no tokens' });
  }
  return { entries, warnings };
}

function sha256(value: Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Creates a token authenticator for a fixed list of entries. A later entry with the same token
 * replaces an earlier one. Unknown tokens are not applicable, so the bearer token authenticator
 * rejects them as "invalid bearer token".
 *
 * Tokens are looked up by their SHA-256 digest. A Map keyed by the token itself compares strings
 * byte by byte and returns at the first difference, which would let an attacker measure how much
 * of a guess matches a real token. Lookup time now depends on the digest of the guess, which an
 * attacker cannot steer towards a stored digest, and the final comparison uses
 * crypto.timingSafeEqual.
 */
export function newTokenFileAuthenticator(entries: readonly TokenFileEntry[]): TokenAuthenticator {
  const byDigest = new Map<string, { token: Buffer; user: UserInfo }>();
  for (const entry of entries) {
    const token = Buffer.from(entry.token, 'utf8');
    byDigest.set(sha256(token), { token, user: entry.user });
  }

  return {
    authenticateToken(token: string): Promise<AuthenticationResult> {
      const presented = Buffer.from(token, 'utf8');
      const entry = byDigest.get(sha256(presented));
      // timingSafeEqual throws when the lengths differ. Equal digests imply equal lengths, so the
      // length check only guards against a SHA-256 collision.
      if (entry === undefined || entry.token.length !== presented.length) {
        return Promise.resolve(NOT_APPLICABLE);
      }
      if (!timingSafeEqual(entry.token, presented)) return Promise.resolve(NOT_APPLICABLE);
      return Promise.resolve(authenticated(entry.user));
    },
  };
}

/** Formats a warning as one line of text, for process.emitWarning. */
export function describeWarning(warning: TokenFileWarning): string {
  const where = warning.line === undefined ? '' : `line ${warning.line}: `;
  const replaced = warning.replacedLine === undefined ? '' : ` (line ${warning.replacedLine})`;
  return `${where}${warning.message}${replaced}`;
}

/**
 * Reads and parses a --token-auth-file and returns its token authenticator. Warnings go to
 * `options.logger` at warning level, or to process.emitWarning when no logger is given.
 *
 * @throws Error starting with `--token-auth-file: <path>:` when the file cannot be read or is
 * malformed (see parseTokenFile).
 */
export async function loadTokenFile(
  path: string,
  options: { logger?: TokenFileLogger } = {},
): Promise<TokenAuthenticator> {
  const text = await readFlagFile(FLAG, path);

  const { entries, warnings } = parseTokenFile(text, path);
  for (const warning of warnings) {
    if (options.logger === undefined) {
      process.emitWarning(`${FLAG}: ${path}: ${describeWarning(warning)}`);
    } else {
      options.logger.warn(warning.message, {
        flag: FLAG,
        path,
        line: warning.line,
        replacedLine: warning.replacedLine,
      });
    }
  }
  return newTokenFileAuthenticator(entries);
}
