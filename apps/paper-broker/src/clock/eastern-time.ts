/**
 * New York wall-clock time without a time-zone database: US daylight saving runs from the second
 * Sunday of March, 02:00 local, to the first Sunday of November, 02:00 local (rules since 2007).
 */
const HOUR_MS = 3_600_000;

/** Day of month of the n-th (1-based) given weekday (0 = Sunday) of a month (0-based). */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
}

/** UTC offset of New York at an instant, in minutes (-240 in summer, -300 in winter). */
export function easternOffsetMinutes(epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  const dstStart = Date.UTC(year, 2, nthWeekdayOfMonth(year, 2, 0, 2)) + 7 * HOUR_MS;
  const dstEnd = Date.UTC(year, 10, nthWeekdayOfMonth(year, 10, 0, 1)) + 6 * HOUR_MS;
  return epochMs >= dstStart && epochMs < dstEnd ? -240 : -300;
}

/** The instant of a New York wall-clock time (`YYYY-MM-DD`, `HH:MM`). */
export function easternToEpochMs(date: string, time: string): number {
  const wallAsUtc = Date.parse(`${date}T${time}:00.000Z`);
  const guess = wallAsUtc - easternOffsetMinutes(wallAsUtc + 5 * HOUR_MS) * 60_000;
  return wallAsUtc - easternOffsetMinutes(guess) * 60_000;
}

/** The New York calendar date (`YYYY-MM-DD`) at an instant. */
export function easternDate(epochMs: number): string {
  return new Date(epochMs + easternOffsetMinutes(epochMs) * 60_000).toISOString().slice(0, 10);
}

/** RFC 3339 with the New York offset, milliseconds kept: `2024-01-02T10:00:00.000-05:00`. */
export function formatEastern(epochMs: number): string {
  const offset = easternOffsetMinutes(epochMs);
  const wall = new Date(epochMs + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}${sign}${hh}:${mm}`;
}
