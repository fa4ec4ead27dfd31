import type { FillReport } from '@tlp/broker';
import { OrderAcceptedV1, OrderCanceledV1, OrderExpiredV1, OrderFilledV1, OrderRejectedV1, OrderReplacedV1, toDecimalString, type Envelope } from '@tlp/contracts';
import { buildEvent } from '@tlp/messaging';
import { deterministicId } from '@tlp/service-runtime';
import type { FillDecision } from './order-fill';
import type { TrackedOrder } from './tracked-order.entity';

export const PRODUCER = 'order-monitor';

type Applied = Extract<FillDecision, { kind: 'APPLY' }>;

function meta(order: TrackedOrder, eventId: string, at: Date) {
  return { eventId, occurredAt: at, producer: PRODUCER, correlationId: order.correlationId, causationId: order.causationId };
}

/**
 * One `order.filled` per applied delta. Its id is derived from the order and the cumulative quantity
 * it brings the order to, so the same execution seen on the stream and in the fill history (under
 * different ids) yields one event.
 */
export function orderFilledEvent(order: TrackedOrder, fill: FillReport, applied: Applied): Envelope {
  return buildEvent(
    OrderFilledV1,
    {
      ...order.ref,
      brokerOrderId: order.brokerOrderId,
      executionId: fill.executionId,
      lastQuantity: toDecimalString(applied.lastQuantity),
      lastPrice: toDecimalString(applied.lastPrice),
      cumulativeQuantity: toDecimalString(applied.cumulativeQuantity),
      averagePrice: toDecimalString(applied.averagePrice),
      leavesQuantity: toDecimalString(applied.leavesQuantity),
      fee: toDecimalString(fill.fee),
      feeCurrency: fill.feeCurrency,
      orderStatus: applied.complete ? 'FILLED' : 'PARTIALLY_FILLED',
      filledAt: fill.occurredAt.toISOString(),
    },
    meta(order, deterministicId('order-monitor.order.filled', order.orderId, toDecimalString(applied.cumulativeQuantity)), fill.occurredAt),
  );
}

export type TerminalStatus = 'CANCELED' | 'EXPIRED' | 'REJECTED';

export function orderEndedEvent(order: TrackedOrder, status: TerminalStatus, at: Date, reason: string): Envelope {
  const ref = { ...order.ref, brokerOrderId: order.brokerOrderId };
  const eventId = deterministicId(`order-monitor.${status.toLowerCase()}`, order.orderId);
  switch (status) {
    case 'CANCELED':
      return buildEvent(OrderCanceledV1, { ...ref, filledQuantity: order.filledQuantity, reason: 'BROKER', canceledAt: at.toISOString() }, meta(order, eventId, at));
    case 'EXPIRED':
      return buildEvent(OrderExpiredV1, { ...ref, filledQuantity: order.filledQuantity, expiredAt: at.toISOString() }, meta(order, eventId, at));
    case 'REJECTED':
      return buildEvent(
        OrderRejectedV1,
        { ...ref, reasonCode: 'BROKER_REJECTED', reasonMessage: reason.slice(0, 500), rejectedBy: 'BROKER', rejectedAt: at.toISOString() },
        meta(order, eventId, at),
      );
  }
}

/** `order.accepted`: one per order (its id derives from the order alone), whenever the acknowledgement arrives. */
export function orderAcceptedEvent(order: TrackedOrder, at: Date): Envelope {
  return buildEvent(
    OrderAcceptedV1,
    { ...order.ref, brokerOrderId: order.brokerOrderId, status: 'NEW', acceptedAt: at.toISOString() },
    meta(order, deterministicId('order-monitor.order.accepted', order.orderId), at),
  );
}

/** `order.replaced`: `order` already carries the new broker id and terms; one per replaced broker order. */
export function orderReplacedEvent(order: TrackedOrder, replacedBrokerOrderId: string, at: Date): Envelope {
  return buildEvent(
    OrderReplacedV1,
    {
      ...order.ref,
      brokerOrderId: order.brokerOrderId,
      replacedBrokerOrderId,
      newQuantity: order.ref.quantity,
      newLimitPrice: order.ref.limitPrice,
      newStopPrice: order.ref.stopPrice,
      replacedAt: at.toISOString(),
    },
    meta(order, deterministicId('order-monitor.order.replaced', order.orderId, replacedBrokerOrderId), at),
  );
}
