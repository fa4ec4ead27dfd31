/**
 * When the daily scheduled run is due. Invariants: a run is due only on a date present in the
 * broker's calendar (holidays and weekends are absent), never before that day's session opens,
 * never at or after its close (a half day closing at 13:00 still runs at 09:45), and from the run
 * time onwards, so a check that comes late (restart, slow interval) still runs that day's run.
 * All times are New York wall clock, which follows daylight saving time by itself.
 */
import { isWallClockTime, newYorkWallClock } from '@tlp/service-runtime';

export { isWallClockTime, newYorkWallClock };

/** A trading day as the broker's calendar gives it: New York date and wall-clock session times. */
export interface TradingDay {
  /** `YYYY-MM-DD`, New York. */
  readonly date: string;
  /** `HH:MM`, New York. */
  readonly open: string;
  /** `HH:MM`, New York; `13:00` on an early close. */
  readonly close: string;
}

export type RunNotDueReason = 'NOT_A_TRADING_DAY' | 'BEFORE_RUN_TIME' | 'SESSION_CLOSED';

export type RunDue = { readonly kind: 'DUE'; readonly runDate: string } | { readonly kind: 'NOT_DUE'; readonly reason: RunNotDueReason; readonly date: string };

/** Is today's run due at `now`, given the broker's trading days (any range containing today) and the run time `HH:MM`? */
export function checkRunDue(now: Date, tradingDays: readonly TradingDay[], runTime: string): RunDue {
  const { date, time } = newYorkWallClock(now);
  const day = tradingDays.find((d) => d.date === date);
  if (!day) return { kind: 'NOT_DUE', reason: 'NOT_A_TRADING_DAY', date };
  // `HH:MM` strings compare correctly as text.
  const startsAt = runTime > day.open ? runTime : day.open;
  if (time < startsAt) return { kind: 'NOT_DUE', reason: 'BEFORE_RUN_TIME', date };
  if (time >= day.close) return { kind: 'NOT_DUE', reason: 'SESSION_CLOSED', date };
  return { kind: 'DUE', runDate: date };
}
