/**
 * Turns a broker fill report into the quantity it adds to an order. Pure.
 *
 * Invariants: an order's filled quantity only grows, and only by what the broker's cumulative
 * quantity says is new (the delta from the highest cumulative already applied), so a fill seen twice,
 * or seen once on the stream and once in the fill history under another id, adds nothing; the average
 * price is the exact volume-weighted average of the applied deltas.
 */
import { Decimal } from 'decimal.js';

export interface OrderFillState {
  readonly quantity: Decimal;
  readonly filledQuantity: Decimal;
  readonly averageFillPrice: Decimal | null;
}

export interface FillObservation {
  readonly executionId: string;
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly cumulativeQuantity: Decimal;
}

export type FillDecision =
  | {
      readonly kind: 'APPLY';
      readonly lastQuantity: Decimal;
      readonly lastPrice: Decimal;
      readonly cumulativeQuantity: Decimal;
      readonly averagePrice: Decimal;
      readonly leavesQuantity: Decimal;
      readonly complete: boolean;
      /** The broker reports more filled than ordered: applied (it is broker truth) and flagged. */
      readonly overfill: boolean;
    }
  | { readonly kind: 'ALREADY_APPLIED' };

export function decideFill(order: OrderFillState, fill: FillObservation): FillDecision {
  const delta = fill.cumulativeQuantity.minus(order.filledQuantity);
  if (delta.lte(0)) return { kind: 'ALREADY_APPLIED' };
  // The delta, not the report's own quantity: after a missed report the delta covers both executions.
  const lastQuantity = delta;
  const previousValue = (order.averageFillPrice ?? new Decimal(0)).times(order.filledQuantity);
  const cumulativeQuantity = fill.cumulativeQuantity;
  const averagePrice = previousValue.plus(fill.price.times(lastQuantity)).dividedBy(cumulativeQuantity);
  const leaves = order.quantity.minus(cumulativeQuantity);
  return {
    kind: 'APPLY',
    lastQuantity,
    lastPrice: fill.price,
    cumulativeQuantity,
    averagePrice,
    leavesQuantity: Decimal.max(leaves, 0),
    complete: leaves.lte(0),
    overfill: leaves.lt(0),
  };
}
