import type { Command } from 'commander';
import { compileAllowedOrigins } from '../../../../pkg/genericapiserver/filters/cors.js';
import { formatGoDuration } from '../../../../pkg/util/duration.js';
import { addFlag, type OptionGroup } from './flag_group.js';
import { parseDurationMs, parseList, parseNonNegativeInt } from './flag_values.js';

const HEADING = 'Generic flags:';

/** Generic serving flags: request limits, timeouts and CORS. */
export class ServerRunOptions implements OptionGroup {
  maxRequestsInFlight = 400;
  maxMutatingRequestsInFlight = 200;
  requestTimeoutMs = 60_000;
  minRequestTimeoutSeconds = 1800;
  corsAllowedOrigins: string[] = [];

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--max-requests-inflight <n>',
      'The maximum number of non-mutating requests in flight at a given time. When the server exceeds this, it rejects requests with 429. Zero for no limit.',
      (o) => o.default(this.maxRequestsInFlight).argParser(parseNonNegativeInt),
    );
    addFlag(
      command,
      HEADING,
      '--max-mutating-requests-inflight <n>',
      'The maximum number of mutating requests in flight at a given time. When the server exceeds this, it rejects requests with 429. Zero for no limit.',
      (o) => o.default(this.maxMutatingRequestsInFlight).argParser(parseNonNegativeInt),
    );
    addFlag(
      command,
      HEADING,
      '--request-timeout <duration>',
      'How long the server waits for a request to finish before answering 504 Timeout, as a Go duration. Long-running requests (watch, exec, logs, proxy) are exempt. A request can ask for less with ?timeout=.',
      (o) =>
        o
          .default(this.requestTimeoutMs, formatGoDuration(this.requestTimeoutMs))
          .argParser(parseDurationMs),
    );
    addFlag(
      command,
      HEADING,
      '--min-request-timeout <seconds>',
      'The minimum number of seconds a handler must keep a request open before timing it out. Only watch handlers honor it, picking a random timeout above it to spread load.',
      (o) => o.default(this.minRequestTimeoutSeconds).argParser(parseNonNegativeInt),
    );
    addFlag(
      command,
      HEADING,
      '--cors-allowed-origins <list>',
      'List of allowed origins for CORS, comma separated. An allowed origin can be a regular expression to support subdomain matching. If this list is empty CORS will not be enabled.',
      (o) => o.argParser(parseList),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.maxRequestsInFlight = values.maxRequestsInflight as number;
    this.maxMutatingRequestsInFlight = values.maxMutatingRequestsInflight as number;
    this.requestTimeoutMs = values.requestTimeout as number;
    this.minRequestTimeoutSeconds = values.minRequestTimeout as number;
    this.corsAllowedOrigins = (values.corsAllowedOrigins as string[] | undefined) ?? [];
  }

  validate(): Error[] {
    const errors: Error[] = [];
    if (this.requestTimeoutMs < 0) {
      errors.push(new Error('--request-timeout: must not be negative'));
    }
    try {
      compileAllowedOrigins(this.corsAllowedOrigins);
    } catch (err) {
      errors.push(err as Error);
    }
    return errors;
  }
}
