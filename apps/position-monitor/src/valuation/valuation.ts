/**
 * Valuation of open positions from quotes, and when to run it. Pure.
 * - Mark = midpoint of bid and ask; the side that exists when one is missing; none without either
 *   (the position is skipped and counted, never valued at zero).
 * - Market value = mark x quantity x multiplier, negative for SHORT, 0 when FLAT.
 * - Unrealized P&L: `calculateUnrealizedPnl` in `position.ts` (multiplier-aware, sign by side).
 * - Schedule: every tick while the market is open, and once a day at or after the after-hours time
 *   (default 18:15 New York); an unreadable market clock values anyway.
 */
import { newYorkWallClock } from '@tlp/service-runtime';
import type { Decimal } from 'decimal.js';
import { calculateQuotient, calculateSideSign, exact, settle, type PositionState } from '../positions/position';

export interface QuoteSides {
  readonly bid: Decimal | null;
  readonly ask: Decimal | null;
}

export type MarkSource = 'MIDPOINT' | 'BID' | 'ASK';

export interface Mark {
  readonly price: Decimal;
  readonly source: MarkSource;
}

const usable = (side: Decimal | null): side is Decimal => side !== null && side.isFinite() && side.gt(0);

/** Midpoint, or the one usable side, or null. */
export function calculateMark(quote: QuoteSides | undefined): Mark | null {
  if (quote === undefined) return null;
  const { bid, ask } = quote;
  if (usable(bid) && usable(ask)) return { price: calculateQuotient(exact(bid).plus(ask), 2), source: 'MIDPOINT' };
  if (usable(bid)) return { price: settle(bid), source: 'BID' };
  if (usable(ask)) return { price: settle(ask), source: 'ASK' };
  return null;
}

/** mark x quantity x multiplier, signed by side. */
export function calculateMarketValue(position: PositionState, mark: Decimal): Decimal {
  return settle(exact(mark).times(position.quantity).times(position.multiplier).times(calculateSideSign(position.side)));
}

export type ValuationDecision =
  | { readonly run: true; readonly reason: 'MARKET_OPEN' | 'AFTER_HOURS_PASS' | 'CLOCK_UNKNOWN'; readonly afterHoursDate: string | null }
  | { readonly run: false; readonly afterHoursDate: string | null };

/** `afterHoursDate`: New York date of the last after-hours valuation, so it runs once a day. */
export function decideValuation(now: Date, marketOpen: boolean | null, afterHoursTime: string, afterHoursDate: string | null): ValuationDecision {
  if (marketOpen === null) return { run: true, reason: 'CLOCK_UNKNOWN', afterHoursDate };
  if (marketOpen) return { run: true, reason: 'MARKET_OPEN', afterHoursDate };
  const { date, time } = newYorkWallClock(now);
  if (time >= afterHoursTime && afterHoursDate !== date) return { run: true, reason: 'AFTER_HOURS_PASS', afterHoursDate: date };
  return { run: false, afterHoursDate };
}
