/**
 * A minimal RFC 4180 reader for the credential files kube-apiserver reads with Go's
 * encoding/csv (--token-auth-file). It accepts what encoding/csv accepts with its defaults: CRLF
 * or LF line ends, quoted fields with doubled quotes and line breaks inside, a varying number of
 * fields per record, and no comment lines. Blank lines are skipped, as encoding/csv does.
 */

/** One CSV record and the line it starts on (1-based), for error messages. */
export interface CSVRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** A CSV syntax error, with the 1-based line and field number where it was found. */
export class CSVSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly field: number,
    message: string,
  ) {
    super(message);
    this.name = 'CSVSyntaxError';
  }
}

/** Reads records one character at a time, counting lines so errors can point at them. */
class CSVScanner {
  private index = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  /** Parses every record. Throws CSVSyntaxError on a misplaced or missing double quote. */
  records(): CSVRecord[] {
    const records: CSVRecord[] = [];
    while (this.index < this.text.length) {
      if (this.consumeLineEnd()) continue;
      const line = this.line;
      records.push({ line, fields: this.record() });
    }
    return records;
  }

  private record(): string[] {
    const fields: string[] = [];
    for (;;) {
      const field = fields.length + 1;
      const quoted = this.text[this.index] === '"';
      fields.push(quoted ? this.quotedField(field) : this.unquotedField(field));

      if (this.index >= this.text.length || this.consumeLineEnd()) return fields;
      if (this.text[this.index] === ',') {
        this.index++;
        continue;
      }
      // Only a quoted field can stop before a comma or line end, as in `"abc"def`.
      throw new CSVSyntaxError(
        this.line,
        field,
        'unexpected text after the closing double quote of a quoted field; ' +
          'write a double quote inside a quoted field as two double quotes ("")',
      );
    }
  }

  private quotedField(field: number): string {
    const startLine = this.line;
    let value = '';
    this.index++;
    for (;;) {
      if (this.index >= this.text.length) {
        throw new CSVSyntaxError(
          startLine,
          field,
          'quoted field has no closing double quote; add the missing double quote',
        );
      }
      const char = this.text[this.index];
      if (char === '"') {
        if (this.text[this.index + 1] !== '"') {
          this.index++;
          return value;
        }
        value += '"';
        this.index += 2;
      } else if (this.consumeLineEnd()) {
        // encoding/csv turns a CRLF inside a quoted field into a single LF.
        value += '\n';
      } else {
        value += char;
        this.index++;
      }
    }
  }

  private unquotedField(field: number): string {
    const start = this.index;
    while (this.index < this.text.length) {
      const char = this.text[this.index];
      if (char === ',' || this.atLineEnd()) break;
      if (char === '"') {
        throw new CSVSyntaxError(
          this.line,
          field,
          'double quote in an unquoted field; quote the whole field and double the quote ' +
            '(for example "a""b")',
        );
      }
      this.index++;
    }
    return this.text.slice(start, this.index);
  }

  /** Reports whether the scanner is at LF, CRLF, or a CR that ends the text. */
  private atLineEnd(): boolean {
    const char = this.text[this.index];
    if (char === '\n') return true;
    return (
      char === '\r' && (this.index + 1 === this.text.length || this.text[this.index + 1] === '\n')
    );
  }

  private consumeLineEnd(): boolean {
    if (!this.atLineEnd()) return false;
    this.index += this.text[this.index] === '\r' ? 2 : 1;
    this.line++;
    return true;
  }
}

/**
 * Parses CSV text into records, skipping blank lines.
 *
 * @throws CSVSyntaxError when a double quote is misplaced or a quoted field is not closed.
 */
export function parseCSV(text: string): CSVRecord[] {
  return new CSVScanner(text).records();
}
