/**
 * What the executor will send to the broker for a NEW_TRADE decision. Pure.
 *
 * Invariant: the order id and the client order id are functions of the decision id alone, so
 * receiving the same decision again, on any replica, after any crash, names the same broker order,
 * and the broker refuses a second order under that client order id.
 */
import type { NewTradeDecision } from '@tlp/contracts';
import { deterministicId } from '@tlp/service-runtime';

export interface OrderIntent {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly decisionId: string;
  readonly tradeId: string;
  readonly legNumber: number | null;
  readonly accountId: string;
  readonly ownerId: string;
  readonly symbol: string;
  readonly assetClass: NewTradeDecision['instrument']['assetClass'];
  readonly multiplier: string;
  readonly side: NewTradeDecision['side'];
  readonly quantity: string;
  readonly orderType: NewTradeDecision['orderType'];
  readonly limitPrice: string | null;
  readonly stopPrice: string | null;
  readonly timeInForce: NewTradeDecision['timeInForce'];
  readonly tradeStyle: NewTradeDecision['tradeStyle'];
  readonly plannedEntryPrice: string | null;
  readonly plannedStopLoss: string | null;
  readonly plannedTakeProfit: string | null;
}

export function entryOrderIdOf(decisionId: string): string {
  return deterministicId('executor.entry-order', decisionId);
}

/** `tlp-` + 32 hex digits of a uuid v5: 36 characters, inside Alpaca's 48 and Binance's 36 limits. */
export function clientOrderIdOf(orderId: string): string {
  return `tlp-${deterministicId('executor.client-order-id', orderId).replaceAll('-', '')}`;
}

export function entryIntentOf(decision: NewTradeDecision): OrderIntent {
  const orderId = entryOrderIdOf(decision.decisionId);
  return {
    orderId,
    clientOrderId: clientOrderIdOf(orderId),
    decisionId: decision.decisionId,
    tradeId: decision.tradeId,
    legNumber: decision.legNumber ?? null,
    accountId: decision.accountId,
    ownerId: decision.ownerId,
    symbol: decision.instrument.symbol,
    assetClass: decision.instrument.assetClass,
    multiplier: decision.instrument.multiplier,
    side: decision.side,
    quantity: decision.quantity,
    orderType: decision.orderType,
    limitPrice: decision.limitPrice ?? null,
    stopPrice: decision.stopPrice ?? null,
    timeInForce: decision.timeInForce,
    tradeStyle: decision.tradeStyle,
    plannedEntryPrice: decision.limitPrice ?? decision.stopPrice ?? null,
    plannedStopLoss: decision.plannedStopLoss ?? null,
    plannedTakeProfit: decision.plannedTakeProfit ?? null,
  };
}
