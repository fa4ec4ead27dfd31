import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { NonNegativeDecimalString, PositiveDecimalString, UtcTimestamp } from '../primitives';
import { OrderRef } from './order-ref';

export const OrderFilledV1 = defineContract(
  'order.filled',
  1,
  OrderRef.extend({
    /** The broker's id of this execution; unique per broker, the idempotency key of a fill. */
    executionId: z.string().min(1).max(128),
    /** Quantity executed in this fill, instrument units, greater than zero. */
    lastQuantity: PositiveDecimalString,
    /** Price of this fill per unit, quote currency. */
    lastPrice: PositiveDecimalString,
    /** Total quantity filled on the order after this fill. */
    cumulativeQuantity: PositiveDecimalString,
    /** Volume-weighted average price of all fills on the order so far, per unit. */
    averagePrice: PositiveDecimalString,
    /** Quantity still open on the order after this fill (0 when complete or canceled). */
    leavesQuantity: NonNegativeDecimalString,
    /** Fee charged for this fill, in `feeCurrency`; "0" when the broker charges none. */
    fee: NonNegativeDecimalString,
    /** ISO 4217 or asset code of the fee, e.g. `USD`. */
    feeCurrency: z.string().regex(/^[A-Z0-9]{2,10}$/),
    /** Order status after this fill: PARTIALLY_FILLED or FILLED (or CANCELED for a late fill after cancel). */
    orderStatus: z.enum(['PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'PENDING_CANCEL', 'REPLACED']),
    /** When the execution happened at the venue, ISO-8601 UTC. */
    filledAt: UtcTimestamp,
  }),
  'One execution on an order, partial fills included. The unit of position accounting.',
);
export type OrderFilledV1 = EventOf<typeof OrderFilledV1>;
