/**
 * Pure matching arithmetic. Invariants: the slices of a quantity are positive and sum exactly to it;
 * an order's average fill price is the volume-weighted average of its executions; a limit order
 * never fills at a price worse than its limit; a stop triggers only once the price has reached it
 * in the adverse direction (down for a sell, up for a buy).
 */
import { Decimal } from 'decimal.js';

export type Side = 'buy' | 'sell';

/** Digits kept when a fractional quantity is split (Alpaca trades equities to 9 decimals). */
const QTY_DECIMALS = 9;

/**
 * Splits `quantity` into at most `parts` positive slices that sum to it. Whole quantities split into
 * whole slices (larger ones first); fractional quantities into 9-decimal slices, the rounding
 * remainder going to the last one.
 */
export function splitQuantity(quantity: Decimal, parts: number): Decimal[] {
  if (quantity.lte(0)) return [];
  const count = Math.max(1, Math.floor(parts));
  if (quantity.isInteger()) {
    const slices = Decimal.min(quantity, count);
    const base = quantity.divToInt(slices);
    const remainder = quantity.minus(base.times(slices));
    const result: Decimal[] = [];
    for (let i = 0; slices.gt(i); i += 1) result.push(remainder.gt(i) ? base.plus(1) : base);
    return result;
  }
  const base = quantity.div(count).toDecimalPlaces(QTY_DECIMALS, Decimal.ROUND_DOWN);
  if (base.isZero()) return [quantity];
  const head = Array.from({ length: count - 1 }, () => base);
  return [...head, quantity.minus(base.times(count - 1))];
}

/** Slices of `quantity` following `parts` in order, each capped at what is left; any rest is one last slice. */
export function sliceByParts(quantity: Decimal, parts: readonly Decimal[]): Decimal[] {
  const slices: Decimal[] = [];
  let left = quantity;
  for (const part of parts) {
    if (left.lte(0)) break;
    const slice = Decimal.min(part, left);
    slices.push(slice);
    left = left.minus(slice);
  }
  if (left.gt(0)) slices.push(left);
  return slices;
}

/** True when a resting limit order may trade at `price`. */
export function limitCrosses(side: Side, limitPrice: Decimal, price: Decimal): boolean {
  return side === 'buy' ? price.lte(limitPrice) : price.gte(limitPrice);
}

/** True when a stop is triggered at `price`: a sell stop at or below the stop, a buy stop at or above. */
export function stopTriggers(side: Side, stopPrice: Decimal, price: Decimal): boolean {
  return side === 'sell' ? price.lte(stopPrice) : price.gte(stopPrice);
}

/** The execution price: the market price, capped by the limit when there is one. */
export function calculateFillPrice(side: Side, price: Decimal, limitPrice: Decimal | null): Decimal {
  if (!limitPrice) return price;
  return side === 'buy' ? Decimal.min(price, limitPrice) : Decimal.max(price, limitPrice);
}

export interface FillState {
  filledQty: Decimal;
  /** Null before the first fill. */
  filledAvgPrice: Decimal | null;
}

/** The order's cumulative state after one more execution. */
export function applyExecution(state: FillState, qty: Decimal, price: Decimal): FillState {
  const filledQty = state.filledQty.plus(qty);
  const previousNotional = state.filledAvgPrice ? state.filledAvgPrice.times(state.filledQty) : new Decimal(0);
  const filledAvgPrice = previousNotional.plus(price.times(qty)).div(filledQty);
  return { filledQty, filledAvgPrice };
}

/** Fee of one execution: a flat amount per unit. */
export function calculateFee(qty: Decimal, feePerUnit: Decimal): Decimal {
  return qty.times(feePerUnit);
}

/** Units a notional order buys at `price`, rounded down to 9 decimals. */
export function calculateNotionalQuantity(notional: Decimal, price: Decimal): Decimal {
  return notional.div(price).toDecimalPlaces(QTY_DECIMALS, Decimal.ROUND_DOWN);
}
