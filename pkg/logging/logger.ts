import winston from 'winston';

/**
 * Maps klog's -v verbosity onto winston levels: 0-2 info, 3-4 debug, 5 and above silly (trace).
 */
export function levelForVerbosity(verbosity: number): string {
  if (verbosity >= 5) return 'silly';
  if (verbosity >= 3) return 'debug';
  return 'info';
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** One line per entry: time, level, component, message, then key=value fields, as klog does. */
const lineFormat = winston.format.printf((info) => {
  const { timestamp, level, message, component, stack, ...fields } = info;
  const name = typeof component === 'string' ? component : 'main';
  const parts = [String(timestamp), level.toUpperCase().padEnd(5), `[${name}]`];
  parts.push(String(message));
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  const line = parts.join(' ');
  return typeof stack === 'string' ? `${line}\n${stack}` : line;
});

/** Options of the process logger. */
export interface LoggerOptions {
  /** klog-style verbosity from -v. */
  verbosity: number;
  /** Write JSON lines instead of klog-like text. */
  json?: boolean;
  /** Silence all output, for tests that only inspect behaviour. */
  silent?: boolean;
}

/**
 * Creates the process logger. Components log through `logger.child({ component })`. Logs go to
 * stderr, so stdout stays free for anything a caller pipes.
 */
export function createLogger(options: LoggerOptions): winston.Logger {
  return winston.createLogger({
    level: levelForVerbosity(options.verbosity),
    silent: options.silent ?? false,
    format: winston.format.combine(
      winston.format.timestamp(),
      options.json === true ? winston.format.json() : lineFormat,
    ),
    transports: [
      new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) }),
    ],
  });
}
