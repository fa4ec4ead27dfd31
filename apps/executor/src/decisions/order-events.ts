import { OrderRejectedV1, OrderSubmittedV1, type Envelope, type OrderRef } from '@tlp/contracts';
import { buildEvent } from '@tlp/messaging';
import { deterministicId } from '@tlp/service-runtime';
import type { ExecutionOrder } from './execution-order.entity';

export const PRODUCER = 'executor';

export function orderRefOf(order: ExecutionOrder): OrderRef {
  return {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    brokerOrderId: order.brokerOrderId,
    broker: order.broker,
    decisionId: order.decisionId,
    tradeId: order.tradeId,
    legNumber: order.legNumber,
    purpose: order.purpose,
    accountId: order.accountId,
    ownerId: order.ownerId,
    instrument: { symbol: order.symbol, assetClass: order.assetClass, multiplier: order.multiplier },
    side: order.side,
    quantity: order.quantity,
    orderType: order.orderType,
    limitPrice: order.limitPrice,
    stopPrice: order.stopPrice,
    timeInForce: order.timeInForce,
  };
}

function metaOf(order: ExecutionOrder, purpose: string, at: Date) {
  return {
    eventId: deterministicId(`executor.${purpose}`, order.orderId),
    occurredAt: at,
    producer: PRODUCER,
    correlationId: order.correlationId,
    causationId: order.causationId,
  };
}

const SUBMITTED_STATUSES = new Set(['ACCEPTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED']);

export function orderSubmittedEvent(order: ExecutionOrder, brokerStatus: string, at: Date): Envelope {
  const status = (SUBMITTED_STATUSES.has(brokerStatus) ? brokerStatus : 'ACCEPTED') as 'ACCEPTED';
  const tradePlan = order.tradeStyle
    ? { tradeStyle: order.tradeStyle, plannedEntryPrice: order.plannedEntryPrice, plannedStopLoss: order.plannedStopLoss, plannedTakeProfit: order.plannedTakeProfit }
    : undefined;
  return buildEvent(
    OrderSubmittedV1,
    { ...orderRefOf(order), status, submittedAt: at.toISOString(), ...(tradePlan && { tradePlan }) },
    metaOf(order, OrderSubmittedV1.type, at),
  );
}

export function orderRejectedEvent(order: ExecutionOrder, rejectedBy: 'BROKER' | 'RISK', at: Date): Envelope {
  return buildEvent(
    OrderRejectedV1,
    {
      ...orderRefOf(order),
      reasonCode: (order.rejectCode ?? 'UNKNOWN').replace(/[^A-Z0-9_]/gi, '_').toUpperCase().slice(0, 64),
      reasonMessage: (order.rejectMessage ?? '').slice(0, 500),
      rejectedBy,
      rejectedAt: at.toISOString(),
    },
    metaOf(order, OrderRejectedV1.type, at),
  );
}
