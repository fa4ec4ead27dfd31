import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { UtcTimestamp } from '../primitives';
import { OrderRef } from './order-ref';

export const OrderSubmittedV1 = defineContract(
  'order.submitted',
  1,
  OrderRef.extend({
    /** Broker status right after submission: ACCEPTED, NEW or PENDING_NEW mapped to ACCEPTED/NEW. */
    status: z.enum(['ACCEPTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED']),
    /** When the broker accepted the order, ISO-8601 UTC. */
    submittedAt: UtcTimestamp,
  }),
  'The broker accepted an order. One event per order; the order is then followed to its fills.',
);
export type OrderSubmittedV1 = EventOf<typeof OrderSubmittedV1>;
