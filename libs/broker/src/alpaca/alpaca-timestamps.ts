/**
 * RFC 3339 timestamps as Alpaca sends them: up to nanosecond precision, `Z` or a numeric offset
 * (`-04:00`). A `Date` keeps milliseconds, so digits beyond the third are truncated (never rounded,
 * which could move an instant across an exclusive `after`/`until` bound).
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseRfc3339(value: string): Date | null {
  const match = RFC3339.exec(value);
  if (!match) return null;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  const normalisedZone = zone === 'z' ? 'Z' : zone;
  const parsed = new Date(`${date}T${time}.${millis}${normalisedZone}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The form Alpaca accepts in query parameters: UTC with milliseconds. */
export function formatRfc3339(at: Date): string {
  return at.toISOString();
}
