import { TradeAlertedV1, TradeClosedV1, toDecimalString, type Envelope } from '@tlp/contracts';
import { buildEvent } from '@tlp/messaging';
import { deterministicId } from '@tlp/service-runtime';
import type { Decimal } from 'decimal.js';
import { PRODUCER } from '../orders/order-events';
import type { Trade } from './trade';

export type TradeAlertCode = TradeAlertedV1['payload']['alertCode'];

export interface TradeEventMeta {
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly at: Date;
}

const opt = (v: Decimal | null): string | null => (v === null ? null : toDecimalString(v));

/** The journal row, once per trade (its id is derived from the trade). */
export function tradeClosedEvent(trade: Trade, orderIds: readonly string[], meta: TradeEventMeta): Envelope {
  return buildEvent(
    TradeClosedV1,
    {
      tradeId: trade.tradeId,
      decisionId: trade.decisionId,
      accountId: trade.accountId,
      ownerId: trade.ownerId,
      instrument: { symbol: trade.symbol, assetClass: trade.assetClass, multiplier: toDecimalString(trade.multiplier) },
      direction: trade.direction,
      tradeStyle: trade.tradeStyle,
      exitReason: trade.status === 'CANCELLED' ? 'CANCELLED' : (trade.exitReason ?? 'MANUAL_EXIT'),
      plannedEntryPrice: opt(trade.plannedEntryPrice),
      actualEntryPrice: opt(trade.entryPrice),
      entryQuantity: toDecimalString(trade.entryQuantity),
      plannedStopLoss: opt(trade.plannedStopLoss),
      plannedTakeProfit: opt(trade.plannedTakeProfit),
      actualExitPrice: opt(trade.exitPrice),
      exitQuantity: toDecimalString(trade.exitQuantity),
      realizedPnlGross: toDecimalString(trade.realizedPnlGross),
      fees: toDecimalString(trade.fees),
      realizedPnlNet: toDecimalString(trade.realizedPnlNet),
      orderIds: [...orderIds],
      orderedAt: trade.orderedAt.toISOString(),
      closedAt: (trade.closedAt ?? meta.at).toISOString(),
    },
    { eventId: deterministicId('order-monitor.trade.closed', trade.tradeId), occurredAt: meta.at, producer: PRODUCER, correlationId: meta.correlationId, causationId: meta.causationId },
  );
}

/** One alert per (trade, code, orders involved): a replay raises it once. */
export function tradeAlertedEvent(
  trade: Trade,
  alert: { readonly code: TradeAlertCode; readonly severity: 'CRITICAL' | 'WARNING'; readonly message: string; readonly orderIds: readonly string[] },
  meta: TradeEventMeta,
): Envelope {
  return buildEvent(
    TradeAlertedV1,
    {
      tradeId: trade.tradeId,
      accountId: trade.accountId,
      ownerId: trade.ownerId,
      symbol: trade.symbol,
      alertCode: alert.code,
      severity: alert.severity,
      message: alert.message.slice(0, 1000),
      orderIds: [...alert.orderIds],
    },
    {
      eventId: deterministicId('order-monitor.trade.alerted', trade.tradeId, alert.code, ...alert.orderIds),
      occurredAt: meta.at,
      producer: PRODUCER,
      correlationId: meta.correlationId,
      causationId: meta.causationId,
    },
  );
}
