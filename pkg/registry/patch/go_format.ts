/**
 * Formats a decoded JSON value as Go's `%v` verb prints the same value decoded into
 * `map[string]interface{}`, which kube-apiserver puts into strategic merge patch errors:
 * `map[$patch:delete name:b]`. Map keys are sorted, strings are unquoted, null is `<nil>`, and
 * integers print in full because kube-apiserver decodes them as int64.
 */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (typeof value === 'object') {
    // Keys of one object are unique, so the comparison never has to return 0.
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    return `map[${entries.map(([key, item]) => `${key}:${formatGoValue(item)}`).join(' ')}]`;
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}
