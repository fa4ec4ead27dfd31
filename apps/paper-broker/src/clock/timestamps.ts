/**
 * Nanosecond timestamps as Alpaca writes them (`2024-01-02T15:00:00.123456789Z`). Invariant: the
 * source never repeats or goes back, even within one millisecond, so every order has a distinct
 * submission time and exclusive `after`/`until` paging never skips or repeats a row.
 */
const NS_PER_MS = 1_000_000n;

export class NanoTimestamps {
  private last = 0n;

  constructor(private readonly nowMs: () => number) {}

  next(): bigint {
    const candidate = BigInt(this.nowMs()) * NS_PER_MS;
    this.last = candidate > this.last ? candidate : this.last + 1n;
    return this.last;
  }
}

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

export function formatNs(ns: bigint): string {
  const ms = ns / NS_PER_MS;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${base}.${fraction}Z`;
}

/** `yyyymmddhhmmssSSS` (UTC), the prefix of Alpaca activity ids. */
export function compactMs(ns: bigint): string {
  return new Date(nsToMs(ns)).toISOString().replace(/[-:T.Z]/g, '');
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2}))?$/;

/** Parses a query timestamp (RFC 3339 with any precision and offset, or a bare date) to epoch ns. */
export function parseTimestampNs(value: string): bigint | null {
  const match = RFC3339.exec(value);
  if (!match) return null;
  const [, date, time = '00:00:00', fraction = '', zone = 'Z'] = match;
  const seconds = Date.parse(`${date}T${time}${zone.toUpperCase()}`);
  if (Number.isNaN(seconds)) return null;
  return BigInt(seconds) * NS_PER_MS + BigInt(fraction.padEnd(9, '0'));
}
