import parseDuration from 'parse-duration';

/**
 * Go's time.Duration syntax: an optional sign, then one or more decimal numbers each followed by
 * a unit (ns, us, µs, ms, s, m, h), or a bare "0". kube-apiserver's duration flags use it.
 */
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/**
 * Explains why a string is not a Go duration, in the words of Go's time.ParseDuration, which
 * kube-apiserver puts into its error messages.
 */
export function goDurationError(text: string): string {
  const quoted = JSON.stringify(text);
  const unsigned = text.replace(/^[-+]/, '');
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)/.test(unsigned)) return `time: invalid duration ${quoted}`;
  const units = unsigned.split(/(?:\d+(?:\.\d*)?|\.\d+)/).slice(1);
  if (units.some((unit) => unit === '')) return `time: missing unit in duration ${quoted}`;
  const unknown = units.find(
    (unit) => !['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'].includes(unit),
  );
  if (unknown !== undefined) {
    return `time: unknown unit ${JSON.stringify(unknown)} in duration ${quoted}`;
  }
  return `time: invalid duration ${quoted}`;
}

/**
 * Parses a Go duration string such as `1m0s` or `1.5h` into milliseconds.
 * @throws Error naming the value when it is not a Go duration.
 */
export function parseGoDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0' || trimmed === '+0' || trimmed === '-0') return 0;
  if (!GO_DURATION.test(trimmed)) {
    throw new Error(
      `invalid duration "${text}": use a number with a unit, such as 30s, 1m0s or 2h`,
    );
  }
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const unsigned = trimmed.replace(/^[-+]/, '').replace(/[µμ]s/g, 'us');
  const ms = parseDuration(unsigned, 'ms');
  if (ms === null || ms === undefined || !Number.isFinite(ms)) {
    throw new Error(
      `invalid duration "${text}": use a number with a unit, such as 30s, 1m0s or 2h`,
    );
  }
  return sign * ms;
}

/** Formats milliseconds the way Go prints a time.Duration, for example 60000 as `1m0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let text = '';
  if (hours > 0) text += `${hours}h`;
  if (hours > 0 || minutes > 0) text += `${minutes}m`;
  text += `${seconds}s`;
  return sign + text;
}
