import type { BrokerOrderId, ClientOrderId } from './broker-ids';
import type { ListFillsQuery, ListOrdersQuery, ReplaceOrder, SubmitOrder } from './commands';
import type { BrokerError } from './errors';
import type {
  FillReport,
  MarketClock,
  OrderStatusReport,
  PositionStatusReport,
  Quote,
  TradeUpdate,
  TradingDay,
} from './reports';

/**
 * Outcome of a submit. ACCEPTED, REJECTED and NOT_SENT are definite. UNKNOWN (timeout, network
 * error after connecting, 5xx, 429 after retries) means the order may or may not exist: resolve it
 * with `getOrderByClientOrderId` and the fills, never by submitting under a new client order id.
 * NOT_SENT means the request never left (circuit breaker open, connection refused): no order
 * exists, and the caller may submit again later with the same client order id.
 * DUPLICATE_CLIENT_ORDER_ID means an order with this client order id already exists (maybe
 * terminal): look it up instead.
 */
export type SubmitResult =
  | { outcome: 'ACCEPTED'; order: OrderStatusReport }
  | { outcome: 'REJECTED'; code: string; brokerCode: string | null; message: string; httpStatus: number }
  | { outcome: 'UNKNOWN'; reason: string }
  | { outcome: 'NOT_SENT'; reason: string }
  | { outcome: 'DUPLICATE_CLIENT_ORDER_ID' };

/** REQUESTED: the broker took the request; the CANCELED state arrives later on the stream. */
export type CancelResult = 'REQUESTED' | 'NOT_CANCELABLE' | 'NOT_FOUND';

export type StreamState = 'CONNECTING' | 'CONNECTED' | 'DISCONNECTED';

export interface TradeUpdateListener {
  /** Called once per update, in arrival order; the next update waits for the returned promise. */
  onUpdate(update: TradeUpdate): Promise<void> | void;
  /**
   * CONNECTED is reported once authorised and listening, after every reconnect too. Updates sent
   * while DISCONNECTED are lost (the broker does not replay): catch up from REST on CONNECTED.
   */
  onStateChange?(state: StreamState): void;
  /** A frame that could not be understood, or a listener that threw; the stream carries on. */
  onError?(error: BrokerError): void;
}

export interface TradeUpdateSubscription {
  close(): Promise<void>;
  /** True while authorised and listening. */
  isHealthy(): boolean;
}

export interface FillsPage {
  fills: FillReport[];
  /** Pass back as `pageToken` for the next page; null when this page was the last. */
  nextPageToken: string | null;
}

/**
 * What the platform needs from a broker. Reads retry transient failures internally (bounded) and
 * throw `BrokerError` when they give up; `submitOrder` never throws for a broker answer.
 */
export interface BrokerPort {
  submitOrder(command: SubmitOrder): Promise<SubmitResult>;
  /** Null when the broker does not know the id. */
  getOrder(id: BrokerOrderId): Promise<OrderStatusReport | null>;
  /** Null when the broker does not know the id: the recovery path after an UNKNOWN submit. */
  getOrderByClientOrderId(id: ClientOrderId): Promise<OrderStatusReport | null>;
  /** Pages through the broker's list, de-duplicated by broker order id. */
  listOrders(query: ListOrdersQuery): Promise<OrderStatusReport[]>;
  cancelOrder(id: BrokerOrderId): Promise<CancelResult>;
  /** Returns the replacement order (a new broker id whose `replaces` is `id`). */
  replaceOrder(id: BrokerOrderId, change: ReplaceOrder): Promise<OrderStatusReport>;
  listPositions(): Promise<PositionStatusReport[]>;
  /** Symbols without data are absent from the map. */
  getLatestQuotes(symbols: readonly string[]): Promise<Map<string, Quote>>;
  getClock(): Promise<MarketClock>;
  /** Trading days between two `YYYY-MM-DD` dates, inclusive. */
  getCalendar(start: string, end: string): Promise<TradingDay[]>;
  listFills(query: ListFillsQuery): Promise<FillsPage>;
  /** Connects in the background and reconnects with backoff until closed. */
  streamTradeUpdates(listener: TradeUpdateListener): TradeUpdateSubscription;
}
