import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** The lines a child process writes to stderr, kept so tests can wait for one. */
export class StderrLines {
  private text = '';
  private readonly lines: string[] = [];
  private readonly waiters = new Set<(line: string) => void>();
  /** Resolves after the stream ended and its last line was recorded. */
  readonly closed: Promise<void>;

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (this.text += chunk));
    const reader = createInterface({ input: stream });
    reader.on('line', (line) => {
      this.lines.push(line);
      for (const waiter of this.waiters) waiter(line);
    });
    this.closed = new Promise((resolve) => reader.once('close', resolve));
  }

  /** Everything written so far, including a last line without a newline. */
  all(): string {
    return this.text;
  }

  /**
   * Resolves with the first line, already written or still to come, that matches `pattern`.
   * @throws Error when the stream ends or `timeoutMs` pass without such a line.
   */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        this.waiters.delete(waiter);
        clearTimeout(timer);
      };
      const waiter = (line: string): void => {
        if (!pattern.test(line)) return;
        finish();
        resolve(line);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no stderr line matched ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
      void this.closed.then(() => {
        if (!this.waiters.has(waiter)) return;
        finish();
        reject(new Error(`stderr ended before a line matched ${String(pattern)}`));
      });
    });
  }
}
