/** US equity markets keep New York time; schedules (09:45 runs, 18:00 passes) are New York wall-clock times. */
export const NEW_YORK = 'America/New_York';

const wallClockFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: NEW_YORK,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The New York date (`YYYY-MM-DD`) and time (`HH:MM`) of an instant, daylight saving included. */
export function newYorkWallClock(now: Date): { readonly date: string; readonly time: string } {
  const parts = Object.fromEntries(wallClockFormat.formatToParts(now).map((p) => [p.type, p.value]));
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
}

/** True for a valid `HH:MM` (00:00 to 23:59). */
export function isWallClockTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}
