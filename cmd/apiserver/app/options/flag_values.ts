import { InvalidArgumentError } from 'commander';
import { parseGoDuration } from '../../../../pkg/util/duration.js';

/**
 * Value parsers for commander. Each throws InvalidArgumentError, which commander prints as one
 * line naming the flag and exits with code 1.
 */

/** Strips the `=` that `-v=4` leaves in front of a short flag's value. */
function unprefixed(value: string): string {
  return value.startsWith('=') ? value.slice(1) : value;
}

/** Parses a boolean the way Go's strconv.ParseBool does; a bare flag means true. */
export function parseBool(value: string | undefined): boolean {
  if (value === undefined) return true;
  const text = unprefixed(value);
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new InvalidArgumentError('expected true or false.');
}

/** Parses a non-negative integer. */
export function parseNonNegativeInt(value: string): number {
  const text = unprefixed(value);
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a non-negative integer.');
  return Number(text);
}

/** Parses a TCP port, 0 to 65535 (0 turns a port off or picks a free one, per flag). */
export function parsePort(value: string): number {
  const port = parseNonNegativeInt(value);
  if (port > 65535) throw new InvalidArgumentError('expected a port between 0 and 65535.');
  return port;
}

/** Parses a Go duration (`1m0s`, `30s`) into milliseconds. */
export function parseDurationMs(value: string): number {
  try {
    return parseGoDuration(unprefixed(value));
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}.`);
  }
}

/** Parses a comma-separated list, dropping empty entries; repeating the flag adds to the list. */
export function parseList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return [...(previous ?? []), ...items];
}

/** Collects each use of a repeatable flag as one entry. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Returns a parser that accepts only one of `choices`. */
export function oneOf(choices: readonly string[]): (value: string) => string {
  return (value) => {
    const text = unprefixed(value);
    if (!choices.includes(text)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}.`);
    }
    return text;
  };
}
