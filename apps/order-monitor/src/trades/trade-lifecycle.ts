/**
 * The trade journal's state machine. Pure.
 *
 * ORDERED -> POSITION (entry filled) -> CLOSING (exits cover the entry) -> CLOSED (and no exit
 * order is still working: the sibling's cancel is confirmed); ORDERED -> CANCELLED (entry ended
 * with nothing filled). A further entry fill may take CLOSING back to POSITION. CLOSED and
 * CANCELLED are final. `applyTradeEvent` is the only way a trade changes.
 */
import { Decimal } from 'decimal.js';
import { legOf, type ExitLeg, type ExitPurpose, type Trade, type TradeStatus } from './trade';

export type TradeEvent =
  | { readonly type: 'ENTRY_FILLED'; readonly quantity: Decimal; readonly price: Decimal; readonly fee: Decimal; readonly at: Date }
  /** The entry order ended: filled completely, canceled, expired or rejected. */
  | { readonly type: 'ENTRY_ENDED'; readonly at: Date }
  /** An exit order (or its resized version) was planned for the leg. */
  | { readonly type: 'EXIT_PLANNED'; readonly purpose: ExitPurpose; readonly orderId: string }
  | {
      readonly type: 'EXIT_FILLED';
      readonly purpose: ExitPurpose;
      readonly quantity: Decimal;
      readonly price: Decimal;
      readonly fee: Decimal;
      /** The leg's current order is now completely filled. */
      readonly complete: boolean;
      readonly at: Date;
    }
  /** The leg's current order was canceled, expired or rejected (a sibling cancel is confirmed this way). */
  | { readonly type: 'EXIT_ENDED'; readonly purpose: ExitPurpose; readonly at: Date };

export type TradeEventType = TradeEvent['type'];

/** Allowed status changes (a status may always stay the same where it accepts the event). */
export const TRADE_TRANSITIONS: Readonly<Record<TradeStatus, readonly TradeStatus[]>> = {
  ORDERED: ['ORDERED', 'POSITION', 'CANCELLED'],
  POSITION: ['POSITION', 'CLOSING', 'CLOSED'],
  CLOSING: ['CLOSING', 'POSITION', 'CLOSED'],
  CLOSED: [],
  CANCELLED: [],
};

/** Which events each status accepts. */
export const TRADE_ACCEPTS: Readonly<Record<TradeStatus, readonly TradeEventType[]>> = {
  ORDERED: ['ENTRY_FILLED', 'ENTRY_ENDED', 'EXIT_PLANNED'],
  POSITION: ['ENTRY_FILLED', 'ENTRY_ENDED', 'EXIT_PLANNED', 'EXIT_FILLED', 'EXIT_ENDED'],
  CLOSING: ['ENTRY_FILLED', 'ENTRY_ENDED', 'EXIT_PLANNED', 'EXIT_FILLED', 'EXIT_ENDED'],
  CLOSED: [],
  CANCELLED: [],
};

export type TradeRefusal = 'TRADE_FINAL' | 'EVENT_NOT_ALLOWED' | 'TRANSITION_NOT_ALLOWED';

/** Something the caller must act on: publish the close, raise an alert. */
export type TradeEffect =
  | { readonly kind: 'TRADE_CLOSED' }
  | { readonly kind: 'BOTH_EXITS_FILLED' }
  /** The leg's exit ended without filling while the position is open: nothing protects it on that side. */
  | { readonly kind: 'EXIT_LOST'; readonly purpose: ExitPurpose };

export type TradeTransition =
  | { readonly ok: true; readonly trade: Trade; readonly from: TradeStatus; readonly effects: readonly TradeEffect[] }
  | { readonly ok: false; readonly reason: TradeRefusal };

export function applyTradeEvent(trade: Trade, event: TradeEvent): TradeTransition {
  if (TRADE_TRANSITIONS[trade.status].length === 0) return { ok: false, reason: 'TRADE_FINAL' };
  if (!TRADE_ACCEPTS[trade.status].includes(event.type)) return { ok: false, reason: 'EVENT_NOT_ALLOWED' };
  const folded = fold(trade, event);
  const status = calculateStatus(folded);
  if (!TRADE_TRANSITIONS[trade.status].includes(status)) return { ok: false, reason: 'TRANSITION_NOT_ALLOWED' };
  const closedAt = status === 'CLOSED' || status === 'CANCELLED' ? ('at' in event ? event.at : null) : null;
  const next: Trade = { ...folded, status, closedAt };
  return { ok: true, trade: next, from: trade.status, effects: effectsOf(trade, next, event) };
}

/** Where the trade stands given its quantities and legs. */
export function calculateStatus(trade: Trade): TradeStatus {
  if (trade.entryQuantity.isZero()) return trade.entryEnded ? 'CANCELLED' : 'ORDERED';
  if (trade.exitQuantity.lt(trade.entryQuantity)) return 'POSITION';
  return trade.stopLoss.state === 'OPEN' || trade.takeProfit.state === 'OPEN' ? 'CLOSING' : 'CLOSED';
}

/** (exit - entry) x exit quantity x multiplier, sign-flipped for SHORT; fees excluded. */
export function calculateRealizedPnl(trade: Pick<Trade, 'direction' | 'multiplier' | 'entryPrice' | 'exitPrice' | 'exitQuantity'>): Decimal {
  if (trade.entryPrice === null || trade.exitPrice === null) return new Decimal(0);
  const perUnit = trade.exitPrice.minus(trade.entryPrice).times(trade.direction === 'LONG' ? 1 : -1);
  return perUnit.times(trade.exitQuantity).times(trade.multiplier);
}

export function calculateVwap(price: Decimal | null, quantity: Decimal, fillPrice: Decimal, fillQuantity: Decimal): Decimal {
  const total = quantity.plus(fillQuantity);
  return (price ?? new Decimal(0)).times(quantity).plus(fillPrice.times(fillQuantity)).dividedBy(total);
}

function fold(trade: Trade, event: TradeEvent): Trade {
  switch (event.type) {
    case 'ENTRY_FILLED':
      return {
        ...trade,
        entryPrice: calculateVwap(trade.entryPrice, trade.entryQuantity, event.price, event.quantity),
        entryQuantity: trade.entryQuantity.plus(event.quantity),
        fees: trade.fees.plus(event.fee),
        realizedPnlNet: trade.realizedPnlGross.minus(trade.fees.plus(event.fee)),
      };
    case 'ENTRY_ENDED':
      return { ...trade, entryEnded: true };
    case 'EXIT_PLANNED':
      return withLeg(trade, event.purpose, { ...legOf(trade, event.purpose), orderId: event.orderId, state: 'OPEN' });
    case 'EXIT_FILLED':
      return foldExitFill(trade, event);
    case 'EXIT_ENDED': {
      const leg = legOf(trade, event.purpose);
      return leg.state === 'OPEN' ? withLeg(trade, event.purpose, { ...leg, state: 'ENDED' }) : trade;
    }
  }
}

function foldExitFill(trade: Trade, event: Extract<TradeEvent, { type: 'EXIT_FILLED' }>): Trade {
  const leg = legOf(trade, event.purpose);
  const sibling = legOf(trade, event.purpose === 'STOP_LOSS' ? 'TAKE_PROFIT' : 'STOP_LOSS');
  const withFill = withLeg(trade, event.purpose, {
    ...leg,
    filledQuantity: leg.filledQuantity.plus(event.quantity),
    state: event.complete ? 'FILLED' : leg.state === 'NONE' ? 'OPEN' : leg.state,
  });
  const exitPrice = calculateVwap(trade.exitPrice, trade.exitQuantity, event.price, event.quantity);
  const exitQuantity = trade.exitQuantity.plus(event.quantity);
  const fees = trade.fees.plus(event.fee);
  const gross = calculateRealizedPnl({ ...trade, exitPrice, exitQuantity });
  return {
    ...withFill,
    exitPrice,
    exitQuantity,
    fees,
    realizedPnlGross: gross,
    realizedPnlNet: gross.minus(fees),
    exitReason: trade.exitReason ?? (event.purpose === 'STOP_LOSS' ? 'STOPPED_OUT' : 'PROFIT_TAKEN'),
    bothExitsFilled: trade.bothExitsFilled || sibling.filledQuantity.gt(0),
  };
}

function withLeg(trade: Trade, purpose: ExitPurpose, leg: ExitLeg): Trade {
  return purpose === 'STOP_LOSS' ? { ...trade, stopLoss: leg } : { ...trade, takeProfit: leg };
}

function effectsOf(before: Trade, after: Trade, event: TradeEvent): TradeEffect[] {
  const effects: TradeEffect[] = [];
  if ((after.status === 'CLOSED' || after.status === 'CANCELLED') && before.status !== after.status) effects.push({ kind: 'TRADE_CLOSED' });
  if (after.bothExitsFilled && !before.bothExitsFilled) effects.push({ kind: 'BOTH_EXITS_FILLED' });
  if (event.type === 'EXIT_ENDED' && after.status === 'POSITION' && legOf(before, event.purpose).state === 'OPEN') {
    effects.push({ kind: 'EXIT_LOST', purpose: event.purpose });
  }
  return effects;
}
