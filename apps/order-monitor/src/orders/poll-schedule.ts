/**
 * When the order monitor reconciles open orders from the broker's REST API on its timer (besides
 * start-up and every stream reconnect): on every tick while the market is open, and once a day at or
 * after the after-hours time (default 18:00 New York), so fills and endings of the session's last
 * minutes are caught. Pure.
 */
import { newYorkWallClock } from '@tlp/service-runtime';

export type PollDecision =
  | { readonly poll: true; readonly reason: 'MARKET_OPEN' | 'AFTER_HOURS_PASS' | 'CLOCK_UNKNOWN'; readonly afterHoursDate: string | null }
  | { readonly poll: false; readonly afterHoursDate: string | null };

/**
 * `marketOpen` null means the broker's clock could not be read: poll anyway (a missed fill is worse
 * than a spare request). `afterHoursDate` is the New York date of the last after-hours pass.
 */
export function decidePoll(now: Date, marketOpen: boolean | null, afterHoursTime: string, afterHoursDate: string | null): PollDecision {
  if (marketOpen === null) return { poll: true, reason: 'CLOCK_UNKNOWN', afterHoursDate };
  if (marketOpen) return { poll: true, reason: 'MARKET_OPEN', afterHoursDate };
  const { date, time } = newYorkWallClock(now);
  if (time >= afterHoursTime && afterHoursDate !== date) return { poll: true, reason: 'AFTER_HOURS_PASS', afterHoursDate: date };
  return { poll: false, afterHoursDate };
}
