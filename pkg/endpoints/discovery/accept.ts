/**
 * Parses an HTTP Accept header the way kube-apiserver does. It uses the goautoneg package
 * (github.com/munnerz/goautoneg at a7dc8b61c822, vendored by Kubernetes 1.32), whose rules
 * differ from RFC 9110 in ways that decide which clause wins, so they are kept here.
 */

/** One media range of an Accept header. */
export interface AcceptClause {
  readonly type: string;
  readonly subtype: string;
  /** The q parameter rounded to a 32-bit float: 1 when absent, 0 when it does not parse. */
  readonly q: number;
  /** Every parameter but q, trimmed of spaces. A repeated name keeps its last value. */
  readonly params: ReadonlyMap<string, string>;
}

/** Only spaces are trimmed, not tabs: goautoneg calls strings.Trim(s, " "). */
function trimSpaces(value: string): string {
  return value.replace(/^ +| +$/g, '');
}

const GO_FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

/**
 * Parses q as Go's strconv.ParseFloat(s, 32) does. goautoneg ignores the parse error, so a
 * malformed or space-padded value such as `q= 0.5` becomes 0. Hex floats, which Go accepts,
 * also become 0 here.
 */
function parseQuality(value: string): number {
  if (!GO_FLOAT.test(value)) return 0;
  const lower = value.toLowerCase().replace(/^[+-]/, '');
  if (lower === 'nan') return NaN;
  if (lower.startsWith('inf')) return value.startsWith('-') ? -Infinity : Infinity;
  return Math.fround(Number(value));
}

function parseClause(part: string): AcceptClause | undefined {
  const [mediaRange = '', ...parameters] = trimSpaces(part).split(';');
  const pieces = mediaRange.split('/');
  const type = trimSpaces(pieces[0] ?? '');
  let subtype: string;
  if (pieces.length === 1 && type === '*') subtype = '*';
  else if (pieces.length === 2) subtype = trimSpaces(pieces[1] ?? '');
  else return undefined;

  let q = 1;
  const params = new Map<string, string>();
  for (const parameter of parameters) {
    const separator = parameter.indexOf('=');
    if (separator < 0) continue;
    const name = trimSpaces(parameter.slice(0, separator));
    const value = parameter.slice(separator + 1);
    if (name === 'q') q = parseQuality(value);
    else params.set(name, trimSpaces(value));
  }
  return { type, subtype, q, params };
}

/** goautoneg's ordering: a higher q first, then a concrete type or subtype before a wildcard. */
function sortsBefore(a: AcceptClause, b: AcceptClause): boolean {
  if (a.q > b.q) return true;
  if (a.type !== '*' && b.type === '*') return true;
  return a.subtype !== '*' && b.subtype === '*';
}

/**
 * Parses an Accept header into clauses in the order kube-apiserver tries them. The ordering
 * is not a strict weak order, because a wildcard with q=1 and a concrete type with q=0.5 each
 * sort before the other. The result therefore depends on the algorithm: this is Go's insertion
 * sort, which sort.Sort uses for up to 12 clauses.
 * NOTE: Go switches to pattern-defeating quicksort above 12 clauses, where clauses that the
 * ordering cannot rank may end up in a different order than here.
 */
export function parseAccept(header: string): AcceptClause[] {
  const clauses = header
    .split(',')
    .map(parseClause)
    .filter((clause): clause is AcceptClause => clause !== undefined);
  for (let i = 1; i < clauses.length; i++) {
    for (let j = i; j > 0; j--) {
      const current = clauses[j];
      const previous = clauses[j - 1];
      if (current === undefined || previous === undefined || !sortsBefore(current, previous)) {
        break;
      }
      clauses[j] = previous;
      clauses[j - 1] = current;
    }
  }
  return clauses;
}
