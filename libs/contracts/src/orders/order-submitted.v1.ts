import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { PositiveDecimalString, UtcTimestamp } from '../primitives';
import { OrderRef } from './order-ref';

/** What the decision planned for the trade an ENTRY order opens; the order monitor places the exits from it. */
export const TradePlan = z.object({
  /** SWING trades get a stop-loss and a take-profit after the entry fills; DAY trades a stop-loss only. */
  tradeStyle: z.enum(['SWING', 'DAY']),
  /** Entry price the decision planned per unit (its limit or stop price), or null for a market entry. */
  plannedEntryPrice: PositiveDecimalString.nullable(),
  /** Stop-loss trigger price per unit, or null when the decision planned none. */
  plannedStopLoss: PositiveDecimalString.nullable(),
  /** Take-profit limit price per unit, or null when the decision planned none. */
  plannedTakeProfit: PositiveDecimalString.nullable(),
});
export type TradePlan = z.infer<typeof TradePlan>;

export const OrderSubmittedV1 = defineContract(
  'order.submitted',
  1,
  OrderRef.extend({
    /** Broker status right after submission: ACCEPTED, NEW or PENDING_NEW mapped to ACCEPTED/NEW. */
    status: z.enum(['ACCEPTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED']),
    /** When the broker accepted the order, ISO-8601 UTC. */
    submittedAt: UtcTimestamp,
    /** For an ENTRY order, the trade it opens as the decision planned it; absent for other orders. Added in place (additive). */
    tradePlan: TradePlan.optional(),
  }),
  'The broker accepted an order. One event per order; the order is then followed to its fills.',
);
export type OrderSubmittedV1 = EventOf<typeof OrderSubmittedV1>;
