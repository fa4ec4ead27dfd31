/**
 * One position lifecycle (open -> closed) of one account in one instrument, and the pure P&L
 * calculations over it.
 *
 * Invariants of a `PositionState` (`checkPositionInvariants`):
 * - OPEN <=> quantity > 0 <=> side LONG or SHORT, closedAt null;
 *   CLOSED <=> quantity = 0 <=> side FLAT, closedAt set, openCost = 0. A closed lifecycle never reopens.
 * - entryQuantity = quantity + closedQuantity; averageExitPrice is null exactly when closedQuantity = 0.
 * - feesPaid >= 0, multiplier > 0, revision is an integer >= 1 (1 when the lifecycle opens).
 *
 * P&L convention (the `position.updated` v1 contract):
 * - realizedPnlGross = sum over closed quantity of (exit price - average entry price) x quantity x
 *   multiplier, negated for SHORT. Fees are not in it.
 * - feesPaid = fees of every fill part of this lifecycle, opening and closing.
 * - realizedPnlNet = realizedPnlGross - feesPaid.
 * - unrealizedPnl = (mark - averageEntryPrice) x quantity x multiplier, negated for SHORT; 0 when FLAT.
 *
 * Arithmetic: sums and products are exact (decimal, 100 significant digits, far beyond any fill).
 * Only quotients round, to 20 significant digits: average prices, a flip's pro-rata fee, percentages.
 */
import { Decimal } from 'decimal.js';
import type { PositionInvariantCode } from './errors';

export type PositionStatus = 'OPEN' | 'CLOSED';
export type PositionSide = 'LONG' | 'SHORT' | 'FLAT';
export type FillSide = 'BUY' | 'SELL';
export type AssetClass = 'EQUITY' | 'OPTION' | 'CRYPTO';

export interface PositionState {
  /** Id of this lifecycle; a flip or a reopen after close starts a new one. */
  readonly positionId: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly symbol: string;
  readonly assetClass: AssetClass;
  /** Contract multiplier: 1 for equities and crypto, normally 100 for equity options. */
  readonly multiplier: Decimal;
  /** Trade this lifecycle belongs to, or null when several trades share it. */
  readonly tradeId: string | null;
  readonly status: PositionStatus;
  readonly side: PositionSide;
  /** Absolute quantity held, instrument units, >= 0. */
  readonly quantity: Decimal;
  /** Quantity-weighted average entry price of the open quantity (average cost); kept once closed. */
  readonly averageEntryPrice: Decimal;
  /** Cost basis of the open quantity: entry price x quantity not yet released by closes, no multiplier. */
  readonly openCost: Decimal;
  /** Total quantity opened over the lifecycle. */
  readonly entryQuantity: Decimal;
  /** Sum of price x quantity over every opening part of the lifecycle, no multiplier. */
  readonly entryNotional: Decimal;
  /** Total quantity closed over the lifecycle. */
  readonly closedQuantity: Decimal;
  /** Sum of price x quantity over every closing part of the lifecycle, no multiplier. */
  readonly exitNotional: Decimal;
  /** Quantity-weighted average price of all closing quantity, or null if nothing was closed. */
  readonly averageExitPrice: Decimal | null;
  readonly realizedPnlGross: Decimal;
  readonly feesPaid: Decimal;
  /** Last mark price, or null if never marked in this lifecycle. */
  readonly markPrice: Decimal | null;
  readonly openedAt: Date;
  readonly closedAt: Date | null;
  /** 1 when the lifecycle opens, +1 on every change. */
  readonly revision: number;
  /** Execution ids of every fill applied to this lifecycle, so a fill applies at most once. */
  readonly appliedExecutionIds: ReadonlySet<string>;
}

/** One broker execution, as the accounting sees it. */
export interface FillInput {
  readonly executionId: string;
  readonly orderId: string;
  readonly side: FillSide;
  /** > 0, instrument units. */
  readonly quantity: Decimal;
  /** > 0, per unit. */
  readonly price: Decimal;
  /** >= 0, quote currency. */
  readonly fee: Decimal;
  readonly at: Date;
}

const Exact = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_EVEN });
const QUOTIENT_SIGNIFICANT_DIGITS = 20;

/** Lifts a value into the exact context: operations chained on the result do not round. */
export function exact(value: Decimal.Value): Decimal {
  return new Exact(value);
}

/** A plain `Decimal` carrying exactly the digits of `value` (zero unsigned), for storing in state. */
export function settle(value: Decimal): Decimal {
  return value.isZero() ? new Decimal(0) : new Decimal(value);
}

/** numerator / denominator rounded to 20 significant digits (half-even unless told otherwise). */
export function calculateQuotient(
  numerator: Decimal.Value,
  denominator: Decimal.Value,
  rounding: Decimal.Rounding = Decimal.ROUND_HALF_EVEN,
): Decimal {
  return settle(Exact.div(numerator, denominator).toSignificantDigits(QUOTIENT_SIGNIFICANT_DIGITS, rounding));
}

/** +1 for LONG, -1 for SHORT, 0 for FLAT. */
export function calculateSideSign(side: PositionSide): number {
  return side === 'LONG' ? 1 : side === 'SHORT' ? -1 : 0;
}

/** Long positive, short negative, flat zero. */
export function calculateSignedQuantity(position: PositionState): Decimal {
  return settle(exact(position.quantity).times(calculateSideSign(position.side)));
}

export function calculateRealizedPnlNet(position: PositionState): Decimal {
  return settle(exact(position.realizedPnlGross).minus(position.feesPaid));
}

/** (mark - average entry) x quantity x multiplier, negated for SHORT; 0 when FLAT, null without a mark. */
export function calculateUnrealizedPnl(position: PositionState, mark: Decimal | null): Decimal | null {
  if (mark === null) return null;
  if (position.side === 'FLAT') return new Decimal(0);
  return settle(
    exact(mark)
      .minus(position.averageEntryPrice)
      .times(position.quantity)
      .times(position.multiplier)
      .times(calculateSideSign(position.side)),
  );
}

/** Value of everything opened in this lifecycle: entry notional x multiplier. */
export function calculateEntryValue(position: PositionState): Decimal {
  return settle(exact(position.entryNotional).times(position.multiplier));
}

/** Value of everything closed in this lifecycle: exit notional x multiplier. */
export function calculateExitValue(position: PositionState): Decimal {
  return settle(exact(position.exitNotional).times(position.multiplier));
}

/**
 * Net realized P&L as a percentage of the cost of the closed quantity (entry notional less the cost
 * still open, x multiplier); null while nothing is closed. Net of every fee paid so far, including
 * those of the still-open part, so a partly closed position reads slightly low.
 */
export function calculateRealizedPnlPercent(position: PositionState): Decimal | null {
  const closedCost = exact(position.entryNotional).minus(position.openCost).times(position.multiplier);
  if (closedCost.isZero()) return null;
  return calculateQuotient(exact(calculateRealizedPnlNet(position)).times(100), closedCost);
}

/** The first invariant (see the header) that `position` breaks, or undefined. */
export function checkPositionInvariants(position: PositionState): PositionInvariantCode | undefined {
  const { quantity, status, side, closedAt } = position;
  if (quantity.lt(0)) return 'NEGATIVE_QUANTITY';
  const open = status === 'OPEN' && side !== 'FLAT' && quantity.gt(0) && closedAt === null;
  const closed = status === 'CLOSED' && side === 'FLAT' && quantity.isZero() && closedAt !== null;
  if (!open && !closed) return 'STATUS_SIDE_MISMATCH';
  if (closed && !position.openCost.isZero()) return 'OPEN_COST_ON_CLOSED';
  if (!exact(quantity).plus(position.closedQuantity).equals(position.entryQuantity)) {
    return 'QUANTITY_NOT_CONSERVED';
  }
  if ((position.averageExitPrice === null) !== position.closedQuantity.isZero()) return 'EXIT_PRICE_MISMATCH';
  if (position.feesPaid.lt(0)) return 'NEGATIVE_FEES';
  if (!position.multiplier.gt(0)) return 'INVALID_MULTIPLIER';
  if (!Number.isInteger(position.revision) || position.revision < 1) return 'INVALID_REVISION';
  return undefined;
}
