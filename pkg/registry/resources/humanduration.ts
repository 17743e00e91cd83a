/**
 * Ages as `kubectl get` shows them, computed as k8s.io/apimachinery/pkg/util/duration (1.32)
 * does. Durations are in milliseconds; Go truncates each unit toward zero, and so does this.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Formats a duration with two to three significant figures, such as `45s`, `3m20s`, `5h2m`,
 * `2d3h` or `3y120d`. Up to one second in the future reads `0s` (tolerating clock skew);
 * further in the future reads `<invalid>`.
 */
export function humanDuration(durationMs: number): string {
  const seconds = Math.trunc(durationMs / SECOND_MS);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(durationMs / MINUTE_MS);
  if (minutes < 10) {
    const remainder = seconds % 60;
    return remainder === 0 ? `${minutes}m` : `${minutes}m${remainder}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(durationMs / HOUR_MS);
  if (hours < 8) {
    const remainder = minutes % 60;
    return remainder === 0 ? `${hours}h` : `${hours}h${remainder}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const remainder = hours % 24;
    return remainder === 0 ? `${days}d` : `${days}d${remainder}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const remainder = days % 365;
    return remainder === 0 ? `${years}y` : `${years}y${remainder}d`;
  }
  return `${years}y`;
}

/** Formats a duration with one unit only, such as `45s`, `3m`, `5h`, `12d` or `2y`. */
export function shortHumanDuration(durationMs: number): string {
  const seconds = Math.trunc(durationMs / SECOND_MS);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(durationMs / MINUTE_MS);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(durationMs / HOUR_MS);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Go's zero time.Time, which metav1.Time serializes as null and treats as unset. */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * Parses an RFC 3339 timestamp. Returns undefined for a missing, malformed or zero time.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = new Date(value);
  const time = parsed.getTime();
  if (Number.isNaN(time) || time <= GO_ZERO_TIME_MS) return undefined;
  return parsed;
}

/**
 * Formats the time elapsed from `timestamp` to `now` with humanDuration, or `<unknown>` for a
 * missing timestamp, as the printers' translateTimestampSince does.
 */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  const parsed = parseTimestamp(timestamp);
  if (parsed === undefined) return '<unknown>';
  return humanDuration(now.getTime() - parsed.getTime());
}
