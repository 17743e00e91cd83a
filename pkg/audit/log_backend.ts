import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type winston from 'winston';
import type { AuditBackend, AuditEvent } from './event.js';

/**
 * Writes one JSON line per audit event to --audit-log-path, or to standard output when the path
 * is "-", as kube-apiserver's log backend does in its json format.
 */
export class LogBackend implements AuditBackend {
  private readonly stream: WriteStream | NodeJS.WriteStream;
  private closed = false;
  private writeErrors = 0;

  /**
   * Opens the log file for appending, creating its folder.
   * @throws Error naming --audit-log-path when the folder cannot be created.
   */
  constructor(
    path: string,
    private readonly logger: winston.Logger,
  ) {
    if (path === '-') {
      this.stream = process.stdout;
      return;
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new Error(`--audit-log-path: ${path}: ${(err as Error).message}`, { cause: err });
    }
    const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    stream.on('error', (err) => this.onWriteError(path, err));
    this.stream = stream;
  }

  /** Waits until the file is open, so a bad path fails the start instead of the first request. */
  async ready(): Promise<void> {
    const stream = this.stream;
    if (!('pending' in stream) || !stream.pending) return;
    await new Promise<void>((resolve, reject) => {
      stream.once('ready', () => resolve());
      stream.once('error', (err: Error) =>
        reject(new Error(`--audit-log-path: ${err.message}`, { cause: err })),
      );
    });
  }

  processEvent(event: AuditEvent): void {
    if (this.closed) return;
    this.stream.write(`${JSON.stringify(event)}\n`);
  }

  async shutdown(): Promise<void> {
    if (this.closed || this.stream === process.stdout) return;
    this.closed = true;
    const stream = this.stream as WriteStream;
    await new Promise<void>((resolve) => stream.end(resolve));
  }

  private onWriteError(path: string, err: Error): void {
    // Counted so a full disk logs once per 100 failed writes rather than once per request.
    if (this.writeErrors++ % 100 === 0) {
      this.logger.error('unable to write audit event', { path, err, failures: this.writeErrors });
    }
  }
}
