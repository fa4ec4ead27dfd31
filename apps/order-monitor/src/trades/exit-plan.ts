/**
 * The protective exits of a trade and the commands that keep them right. Pure.
 *
 * A stop-loss always (when the plan has one), a take-profit for SWING trades. Two mechanisms:
 *
 * - Native OCO (SWING equity trades with both exits): one broker order, the take-profit limit, with
 *   the stop-loss as its leg (`order_class` OCO); the broker cancels one leg when the other fills and
 *   shrinks one when the other fills partly. Both rows share a version. When the open quantity no
 *   longer equals what the pair has left to close (a further entry fill, before or after an exit
 *   fill), a new version of the pair is planned: the previous pair is canceled and its end confirmed,
 *   then the new pair is sent, sized to the open quantity known after the cancel (`REPLACE_OCO`,
 *   `calculateOcoReplacementQuantity`).
 * - Emulated (options, crypto, DAY trades, a plan with one exit): each exit its own order, sized to
 *   the entry filled so far minus what the other exit already closed, resized by replace when a
 *   further entry fill arrives.
 *
 * Either way, once the exits cover the entry every exit still working is canceled and its end
 * confirmed (for a native OCO the broker did it already; the read-back confirms it).
 *
 * Invariant: an exit order's ids are functions of (trade, purpose, version) alone, so planning the
 * same exit again after a crash names the same broker order, which the broker refuses to place twice.
 */
import type { TimeInForce } from '@tlp/contracts';
import { deterministicId } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { EXIT_PURPOSES, exitSideOf, legOf, siblingOf, type ExitPurpose, type Trade } from './trade';

export type ExitSubmissionState = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'UNKNOWN';

/** An exit order as recorded before (intent) and after it is sent. */
export interface ExitOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly tradeId: string;
  readonly purpose: ExitPurpose;
  readonly version: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly orderType: 'STOP' | 'LIMIT';
  readonly quantity: Decimal;
  readonly stopPrice: Decimal | null;
  readonly limitPrice: Decimal | null;
  readonly timeInForce: TimeInForce;
  /** The previous version this one replaces at the broker (`replaceOrder`), or null for a first placement. */
  readonly replacesOrderId: string | null;
  readonly submissionState: ExitSubmissionState;
  readonly brokerOrderId: string | null;
  /** OCO: one of the two legs of a native OCO pair of the same version (the take-profit is the order sent). */
  readonly orderClass: 'SIMPLE' | 'OCO';
  /** Filled so far by this version alone, as applied to its tracked order (0 before it is tracked), instrument units. */
  readonly filledQuantity: Decimal;
}

/** Commands to run after the transaction that planned them commits. */
export type TradeCommand =
  /** Send every PENDING first-version exit of the trade. */
  | { readonly kind: 'PLACE_EXITS'; readonly tradeId: string }
  /** Replace `replacesOrderId` at the broker by `orderId` with the new quantity. */
  | { readonly kind: 'RESIZE_EXIT'; readonly tradeId: string; readonly purpose: ExitPurpose; readonly orderId: string; readonly replacesOrderId: string; readonly quantity: string }
  /** Cancel the exit and read it back until the broker reports its final state. */
  | { readonly kind: 'CANCEL_EXIT'; readonly tradeId: string; readonly purpose: ExitPurpose; readonly orderId: string }
  /** Cancel the native OCO pair of `version - 1`, confirm its end, then send the pair of `version`. */
  | { readonly kind: 'REPLACE_OCO'; readonly tradeId: string; readonly version: number };

export type ResizeExit = Extract<TradeCommand, { kind: 'RESIZE_EXIT' }>;

export interface ExitPlan {
  /** New exit intents to record (first versions and resized versions). */
  readonly intents: readonly ExitOrder[];
  readonly commands: readonly TradeCommand[];
}

export function exitOrderIdOf(tradeId: string, purpose: ExitPurpose, version: number): string {
  return deterministicId('order-monitor.exit-order', tradeId, purpose, String(version));
}

/** `tlp-` + 32 hex digits: 36 characters, inside Alpaca's 48 and Binance's 36 limits. */
export function exitClientOrderIdOf(tradeId: string, purpose: ExitPurpose, version: number): string {
  return `tlp-${deterministicId('order-monitor.exit', tradeId, purpose, String(version)).replaceAll('-', '')}`;
}

/** Exits the trade should have while its position is open: the plan's stop-loss, and its take-profit for SWING. */
export function plannedExitPurposes(trade: Trade): ExitPurpose[] {
  return EXIT_PURPOSES.filter((p) => (p === 'STOP_LOSS' ? trade.plannedStopLoss !== null : trade.tradeStyle === 'SWING' && trade.plannedTakeProfit !== null));
}

/** Quantity an exit of `purpose` should carry: the entry filled so far minus what the other exit already closed. */
export function calculateExitQuantity(trade: Trade, purpose: ExitPurpose): Decimal {
  return Decimal.max(trade.entryQuantity.minus(legOf(trade, siblingOf(purpose)).filledQuantity), 0);
}

/**
 * After an entry fill: place the missing exits, resize the working ones whose quantity no longer
 * matches. `exits` are the trade's recorded exit orders (every version).
 */
export function planExits(trade: Trade, exits: readonly ExitOrder[]): ExitPlan {
  if (trade.status !== 'POSITION') return { intents: [], commands: [] };
  const lot = exitLotOf(trade);
  if (usesNativeOco(trade)) return planOcoExits(trade, exits, lot);
  const intents: ExitOrder[] = [];
  const commands: TradeCommand[] = [];
  for (const purpose of plannedExitPurposes(trade)) {
    const quantity = roundToLot(calculateExitQuantity(trade, purpose), lot);
    const latest = latestExit(exits, purpose);
    if (quantity.isZero()) continue;
    if (!latest) {
      intents.push(exitIntentOf(trade, purpose, 1, quantity, null));
      continue;
    }
    const leg = legOf(trade, purpose);
    if (leg.state !== 'OPEN' || latest.quantity.eq(quantity) || latest.submissionState === 'REJECTED') continue;
    const resized = exitIntentOf(trade, purpose, latest.version + 1, quantity, latest.orderId);
    intents.push(resized);
    commands.push({ kind: 'RESIZE_EXIT', tradeId: trade.tradeId, purpose, orderId: resized.orderId, replacesOrderId: latest.orderId, quantity: resized.quantity.toFixed() });
  }
  if (intents.some((i) => i.replacesOrderId === null)) commands.unshift({ kind: 'PLACE_EXITS', tradeId: trade.tradeId });
  return { intents, commands };
}

/** SWING equity trades with both a stop-loss and a take-profit use the broker's native OCO. */
export function usesNativeOco(trade: Trade): boolean {
  return trade.assetClass === 'EQUITY' && trade.tradeStyle === 'SWING' && trade.plannedStopLoss !== null && trade.plannedTakeProfit !== null;
}

/**
 * A native OCO pair sized to the open position; a new version of the pair when the open quantity
 * differs from what the latest pair still has to close (its quantity minus what that version
 * filled). An exit fill alone changes both by the same amount (the broker shrinks the sibling), so
 * it plans nothing; an entry fill, before or after an exit fill, plans the new version.
 */
function planOcoExits(trade: Trade, exits: readonly ExitOrder[], lot: Decimal): ExitPlan {
  const quantity = roundToLot(trade.entryQuantity.minus(trade.exitQuantity), lot);
  const takeProfit = latestExit(exits, 'TAKE_PROFIT');
  if (quantity.lte(0)) return { intents: [], commands: [] };
  if (!takeProfit) {
    const intents = EXIT_PURPOSES.map((p) => ({ ...exitIntentOf(trade, p, 1, quantity, null), orderClass: 'OCO' as const }));
    return { intents, commands: [{ kind: 'PLACE_EXITS', tradeId: trade.tradeId }] };
  }
  const stopLoss = latestExit(exits, 'STOP_LOSS');
  const open = trade.stopLoss.state === 'OPEN' && trade.takeProfit.state === 'OPEN';
  if (!stopLoss || !open || takeProfit.submissionState === 'REJECTED' || calculateOcoRemaining(takeProfit, stopLoss).eq(quantity)) {
    return { intents: [], commands: [] };
  }
  const version = takeProfit.version + 1;
  const replaced = { TAKE_PROFIT: takeProfit.orderId, STOP_LOSS: stopLoss.orderId };
  const intents = EXIT_PURPOSES.map((p) => ({ ...exitIntentOf(trade, p, version, quantity, replaced[p]), orderClass: 'OCO' as const }));
  return { intents, commands: [{ kind: 'REPLACE_OCO', tradeId: trade.tradeId, version }] };
}

/** What a native OCO pair still closes: its quantity minus what either leg of that version filled. */
export function calculateOcoRemaining(takeProfit: ExitOrder, stopLoss: ExitOrder): Decimal {
  return Decimal.max(takeProfit.quantity.minus(takeProfit.filledQuantity).minus(stopLoss.filledQuantity), 0);
}

/**
 * The quantity of a replacement pair once the previous pair's end is confirmed: the entry filled
 * minus every exit fill, where the previous pair's fills are the broker's final figures (`finalFilled`
 * per leg) when they exceed what was applied so far (a fill that landed during the cancel).
 * Rounded down to the lot; zero or less means nothing is left to protect.
 */
export function calculateOcoReplacementQuantity(trade: Trade, previous: readonly ExitOrder[], finalFilled: readonly (Decimal | null)[]): Decimal {
  const unapplied = previous.reduce((sum, leg, i) => sum.plus(Decimal.max((finalFilled[i] ?? leg.filledQuantity).minus(leg.filledQuantity), 0)), new Decimal(0));
  return roundToLot(trade.entryQuantity.minus(trade.exitQuantity).minus(unapplied), exitLotOf(trade));
}

const WHOLE = new Decimal(1);
/** Alpaca's finest fractional share quantity. */
const FRACTIONAL_SHARE = new Decimal('0.000000001');
/** The executor's crypto lot (`apps/executor/src/risk/instrument-rules.ts`). */
const CRYPTO_LOT = new Decimal('0.0001');

/**
 * The lot an exit quantity is rounded to, as the executor rounds entries: whole contracts for
 * options, whole shares unless the entry itself was fractional (then 1e-9), 0.0001 for crypto.
 */
export function exitLotOf(trade: Pick<Trade, 'assetClass' | 'entryQuantity'>): Decimal {
  if (trade.assetClass === 'OPTION') return WHOLE;
  if (trade.assetClass === 'CRYPTO') return CRYPTO_LOT;
  return trade.entryQuantity.isInteger() ? WHOLE : FRACTIONAL_SHARE;
}

/** Down to a whole number of lots: an exit never closes more than is held. */
export function roundToLot(quantity: Decimal, lot: Decimal): Decimal {
  return quantity.toNearest(lot, Decimal.ROUND_FLOOR);
}

/** Once the exits cover the entry: cancel every exit still working (the emulated OCO's "cancel the sibling"). */
export function planSiblingCancels(trade: Trade): TradeCommand[] {
  if (trade.status !== 'CLOSING') return [];
  return EXIT_PURPOSES.flatMap((purpose) => {
    const leg = legOf(trade, purpose);
    return leg.state === 'OPEN' && leg.orderId !== null ? [{ kind: 'CANCEL_EXIT' as const, tradeId: trade.tradeId, purpose, orderId: leg.orderId }] : [];
  });
}

export interface OcoPair {
  readonly takeProfit: ExitOrder;
  readonly stopLoss: ExitOrder;
}

/** The native OCO pair of `version`, or null when the trade's exits of that version are not one. */
export function ocoPairOf(exits: readonly ExitOrder[], version: number): OcoPair | null {
  const of = (purpose: ExitPurpose) => exits.find((e) => e.purpose === purpose && e.version === version && e.orderClass === 'OCO');
  const takeProfit = of('TAKE_PROFIT');
  const stopLoss = of('STOP_LOSS');
  return takeProfit && stopLoss ? { takeProfit, stopLoss } : null;
}

export function latestExit(exits: readonly ExitOrder[], purpose: ExitPurpose): ExitOrder | undefined {
  return exits.filter((e) => e.purpose === purpose).sort((a, b) => b.version - a.version)[0];
}

function exitIntentOf(trade: Trade, purpose: ExitPurpose, version: number, quantity: Decimal, replacesOrderId: string | null): ExitOrder {
  const stop = purpose === 'STOP_LOSS';
  return {
    orderId: exitOrderIdOf(trade.tradeId, purpose, version),
    clientOrderId: exitClientOrderIdOf(trade.tradeId, purpose, version),
    tradeId: trade.tradeId,
    purpose,
    version,
    symbol: trade.symbol,
    side: exitSideOf(trade.direction),
    orderType: stop ? 'STOP' : 'LIMIT',
    quantity,
    stopPrice: stop ? trade.plannedStopLoss : null,
    limitPrice: stop ? null : trade.plannedTakeProfit,
    // Options trade DAY only at Alpaca; a SWING trade's exits must survive the night otherwise.
    timeInForce: trade.tradeStyle === 'SWING' && trade.assetClass !== 'OPTION' ? 'GTC' : 'DAY',
    replacesOrderId,
    submissionState: 'PENDING',
    brokerOrderId: null,
    orderClass: 'SIMPLE',
    filledQuantity: new Decimal(0),
  };
}
