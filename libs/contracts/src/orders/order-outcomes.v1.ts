/**
 * Terminal order outcomes other than a complete fill. Each carries the quantity filled before the
 * order ended, because a canceled or expired order may still have changed a position.
 */
import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { BrokerOrderId, NonNegativeDecimalString, PositiveDecimalString, UtcTimestamp } from '../primitives';
import { OrderRef } from './order-ref';

export const OrderCanceledV1 = defineContract(
  'order.canceled',
  1,
  OrderRef.extend({
    /** Quantity filled before the cancel took effect, instrument units ("0" if none). */
    filledQuantity: NonNegativeDecimalString,
    /** Who ended the order: USER (our cancel request), BROKER (venue or time in force) or SIBLING_FILLED (OCO). */
    reason: z.enum(['USER', 'BROKER', 'SIBLING_FILLED']),
    /** When the broker confirmed the cancel, ISO-8601 UTC. */
    canceledAt: UtcTimestamp,
  }),
  'The broker confirmed an order canceled. Terminal.',
);
export type OrderCanceledV1 = EventOf<typeof OrderCanceledV1>;

export const OrderRejectedV1 = defineContract(
  'order.rejected',
  1,
  OrderRef.extend({
    /** Machine-readable reason: the broker's code, or the platform's risk denial code, SCREAMING_SNAKE. */
    reasonCode: z.string().regex(/^[A-Z0-9_]{1,64}$/),
    /** Human-readable reason from the broker or the risk check. */
    reasonMessage: z.string().max(500),
    /** Who refused: BROKER, or RISK for a pre-trade check that denied the order before it was sent. */
    rejectedBy: z.enum(['BROKER', 'RISK']),
    /** When the order was refused, ISO-8601 UTC. */
    rejectedAt: UtcTimestamp,
  }),
  'An order was refused by the broker or denied by a pre-trade risk check. Terminal; nothing was filled.',
);
export type OrderRejectedV1 = EventOf<typeof OrderRejectedV1>;

export const OrderExpiredV1 = defineContract(
  'order.expired',
  1,
  OrderRef.extend({
    /** Quantity filled before expiry, instrument units ("0" if none). */
    filledQuantity: NonNegativeDecimalString,
    /** When the order expired, ISO-8601 UTC. */
    expiredAt: UtcTimestamp,
  }),
  'An order reached the end of its time in force. Terminal.',
);
export type OrderExpiredV1 = EventOf<typeof OrderExpiredV1>;

export const OrderReplacedV1 = defineContract(
  'order.replaced',
  1,
  OrderRef.extend({
    /** Broker id of the order that was replaced; fills on it still count for `orderId`. */
    replacedBrokerOrderId: BrokerOrderId,
    /** New total quantity after the replace, instrument units. */
    newQuantity: PositiveDecimalString,
    /** New limit price per unit, or null. */
    newLimitPrice: PositiveDecimalString.nullable(),
    /** New stop price per unit, or null. */
    newStopPrice: PositiveDecimalString.nullable(),
    /** When the broker confirmed the replace, ISO-8601 UTC. */
    replacedAt: UtcTimestamp,
  }),
  'An order was replaced at the broker: `brokerOrderId` is the new broker id, linked to the same internal order.',
);
export type OrderReplacedV1 = EventOf<typeof OrderReplacedV1>;
