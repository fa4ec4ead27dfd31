/**
 * The market clock the paper broker reports. In `real` mode it follows the NYSE regular session;
 * in `always` mode the market is open at every instant (tests and demos), while `next_open` and
 * `next_close` still follow the real calendar.
 */
import { easternDate, easternToEpochMs } from './eastern-time';
import { nextSessionAfter, sessionOn, type TradingSession } from './nyse-calendar';

export type MarketHours = 'always' | 'real';

export interface ClockReading {
  atMs: number;
  isOpen: boolean;
  nextOpenMs: number;
  nextCloseMs: number;
}

function bounds(session: TradingSession): { openMs: number; closeMs: number } {
  return { openMs: easternToEpochMs(session.date, session.open), closeMs: easternToEpochMs(session.date, session.close) };
}

export function readClock(nowMs: number, mode: MarketHours): ClockReading {
  const today = easternDate(nowMs);
  const session = sessionOn(today);
  const todayBounds = session ? bounds(session) : null;
  const next = bounds(nextSessionAfter(today));
  const inSession = todayBounds !== null && nowMs >= todayBounds.openMs && nowMs < todayBounds.closeMs;
  const beforeOpen = todayBounds !== null && nowMs < todayBounds.openMs;
  return {
    atMs: nowMs,
    isOpen: mode === 'always' || inSession,
    nextOpenMs: beforeOpen && todayBounds ? todayBounds.openMs : next.openMs,
    nextCloseMs: (inSession || beforeOpen) && todayBounds ? todayBounds.closeMs : next.closeMs,
  };
}

/** The close of the session an order placed at `atMs` belongs to (today's, or the next one's). */
export function sessionCloseFor(atMs: number): number {
  const reading = readClock(atMs, 'real');
  return reading.nextCloseMs;
}
