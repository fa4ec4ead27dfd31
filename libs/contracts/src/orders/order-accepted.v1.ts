import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { UtcTimestamp } from '../primitives';
import { OrderRef } from './order-ref';

export const OrderAcceptedV1 = defineContract(
  'order.accepted',
  1,
  OrderRef.extend({
    /** The broker's acknowledgement: NEW once routed to the venue (Alpaca `new`). */
    status: z.enum(['NEW']),
    /** When the broker acknowledged the order, ISO-8601 UTC. */
    acceptedAt: UtcTimestamp,
  }),
  'The broker acknowledged an order (routed to the venue). At most one per order; it may follow its first fill.',
);
export type OrderAcceptedV1 = EventOf<typeof OrderAcceptedV1>;
