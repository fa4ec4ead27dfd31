/**
 * Broker truth as the platform sees it, whatever the broker: orders, fills, positions, quotes and
 * the market clock. Prices and quantities are decimals; a value the broker did not report is null,
 * never zero.
 */
import type { AssetClass, OrderSide, OrderStatus, OrderType, TimeInForce } from '@tlp/contracts';
import type { Decimal } from 'decimal.js';
import type { BrokerOrderId, ClientOrderId, ExecutionId } from './broker-ids';

/** EQUITY, OPTION or CRYPTO (the contracts' asset classes). */
export type BrokerAssetClass = (typeof AssetClass)['options'][number];

/** Order types a broker may report; TRAILING_STOP only for orders placed outside the platform. */
export type BrokerOrderType = OrderType | 'TRAILING_STOP';

export interface OrderStatusReport {
  brokerOrderId: BrokerOrderId;
  clientOrderId: ClientOrderId;
  symbol: string;
  assetClass: BrokerAssetClass;
  side: OrderSide;
  orderType: BrokerOrderType;
  timeInForce: TimeInForce;
  /** Ordered units; for a notional order (no quantity at the broker) the units filled so far. */
  quantity: Decimal;
  /** Ordered amount in quote currency for a notional order, else null. */
  notional: Decimal | null;
  /** Units filled so far, cumulative. */
  filledQuantity: Decimal;
  /** Volume-weighted average price of the fills so far; null before the first fill. */
  averageFillPrice: Decimal | null;
  limitPrice: Decimal | null;
  stopPrice: Decimal | null;
  status: OrderStatus;
  /** The broker's status word, unchanged (e.g. `pending_new`), for logs and audits. */
  rawStatus: string;
  /** Id of the order that replaced this one, once it is REPLACED. */
  replacedBy: BrokerOrderId | null;
  /** Id of the order this one replaced. */
  replaces: BrokerOrderId | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  filledAt: Date | null;
  /** The broker's submission timestamp as sent (full precision); the cursor for paging. */
  submittedAtRaw: string | null;
  /** `SIMPLE`, or the advanced class the order belongs to (`OCO`, `BRACKET`, `OTO`, `MLEG`); absent means SIMPLE. */
  orderClass?: BrokerOrderClass;
  /** The other members of an advanced order, on its parent (an OCO's stop-loss leg); absent or empty otherwise. */
  legs?: OrderStatusReport[];
}

export type BrokerOrderClass = 'SIMPLE' | 'OCO' | 'BRACKET' | 'OTO' | 'MLEG';

export interface FillReport {
  /**
   * Idempotency key of the execution. From the stream it is Alpaca's `execution_id`; from REST it is
   * the uuid part of the activity id. Alpaca does not document that the two agree (the paper broker
   * makes them agree), so consumers also de-duplicate on `(brokerOrderId, cumulativeQuantity)`.
   */
  executionId: ExecutionId;
  /** The REST activity id (`<yyyymmddhhmmssSSS>::<uuid>`), or null when the fill came from the stream. */
  activityId: string | null;
  brokerOrderId: BrokerOrderId;
  /** Null when the source does not carry it (Alpaca FILL activities). */
  clientOrderId: ClientOrderId | null;
  symbol: string;
  side: OrderSide;
  /** Units executed in this fill. */
  quantity: Decimal;
  /** Price of this fill per unit. */
  price: Decimal;
  /** Units filled on the order after this fill. */
  cumulativeQuantity: Decimal;
  /** VWAP of the order after this fill; null when the source does not carry it (FILL activities). */
  averagePrice: Decimal | null;
  /** Units still open on the order after this fill. */
  leavesQuantity: Decimal;
  /** Order status right after this fill. */
  orderStatus: OrderStatus;
  /** Fee of this fill in `feeCurrency`; zero when the broker reports none. */
  fee: Decimal;
  feeCurrency: string;
  occurredAt: Date;
}

export interface PositionStatusReport {
  symbol: string;
  assetClass: BrokerAssetClass;
  /** Signed units: negative for a short position. */
  quantity: Decimal;
  averageEntryPrice: Decimal;
  marketValue: Decimal | null;
  currentPrice: Decimal | null;
}

export interface Quote {
  symbol: string;
  /** Null when there is no bid (Alpaca sends 0). */
  bid: Decimal | null;
  ask: Decimal | null;
  at: Date;
}

export interface TradeUpdate {
  /** The broker's event word, unchanged: `new`, `partial_fill`, `fill`, `canceled`, `replaced`, ... */
  event: string;
  /** The order as it stands after the event. */
  order: OrderStatusReport;
  /** The execution, for `fill` and `partial_fill`; null otherwise. */
  fill: FillReport | null;
  /** Signed position in the symbol after the event, when the broker reports it. */
  positionQuantity: Decimal | null;
  at: Date;
}

export interface MarketClock {
  at: Date;
  isOpen: boolean;
  nextOpen: Date;
  nextClose: Date;
}

/** One trading day, in exchange (New York) wall-clock time. Holidays and weekends are absent. */
export interface TradingDay {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`, regular session open. */
  open: string;
  /** `HH:MM`, regular session close; `13:00` on an early-close day. */
  close: string;
}
