/**
 * The daily full reconciliation is due on a New York date once its wall-clock time has passed and no
 * run of that date has completed. A service down at 02:00 runs it when it is back the same day.
 * Times compare as `HH:MM` strings, which order like the times they name.
 */
export function isDailyRunDue(wallClock: { readonly date: string; readonly time: string }, at: string, lastCompletedDate: string | null): boolean {
  return wallClock.time >= at && lastCompletedDate !== wallClock.date;
}
