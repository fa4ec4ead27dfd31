import type { OrderSide, OrderType, TimeInForce } from '@tlp/contracts';
import type { Decimal } from 'decimal.js';
import type { BrokerOrderId, ClientOrderId } from './broker-ids';

/** Place one simple order. `quantity` and prices are already rounded to the instrument's lot and tick. */
export interface SubmitOrder {
  clientOrderId: ClientOrderId;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  timeInForce: TimeInForce;
  /** Units of the instrument, greater than zero. */
  quantity: Decimal;
  /** Required for LIMIT and STOP_LIMIT. */
  limitPrice?: Decimal | null;
  /** Required for STOP and STOP_LIMIT. */
  stopPrice?: Decimal | null;
  /** Alpaca: only LIMIT + DAY may trade outside regular hours. */
  extendedHours?: boolean;
  /**
   * Alpaca `order_class: "oco"`, an exit-only pair: this order (LIMIT) is the take-profit, the
   * broker creates the stop-loss leg (same side and quantity) with a client order id of its own,
   * and cancels one leg when the other fills. Equities only.
   */
  oco?: OcoStopLoss;
}

/** The stop-loss leg of an OCO pair. */
export interface OcoStopLoss {
  stopPrice: Decimal;
  /** With a limit price the leg is a stop-limit, else a stop. */
  limitPrice?: Decimal | null;
}

/** Change a working order. On Alpaca the result is a new order with a new broker id. */
export interface ReplaceOrder {
  quantity?: Decimal;
  limitPrice?: Decimal;
  stopPrice?: Decimal;
  timeInForce?: TimeInForce;
  /** Client order id of the replacement; the broker generates one when absent. */
  clientOrderId?: ClientOrderId;
}

export type OrderListStatus = 'open' | 'closed' | 'all';
export type ListDirection = 'asc' | 'desc';

export interface ListOrdersQuery {
  status: OrderListStatus;
  /** Only orders submitted strictly after this instant. */
  after?: Date;
  /** Only orders submitted strictly before this instant. */
  until?: Date;
  /** Most orders returned in total (all pages); every matching order when absent. */
  limit?: number;
  /** Order of the result by submission time; `desc` by default, as at Alpaca. */
  direction?: ListDirection;
}

export interface ListFillsQuery {
  /** Only fills strictly after this instant. */
  after?: Date;
  /** Continue after the last fill of a previous page (opaque token returned by `listFills`). */
  pageToken?: string;
  /** At most 100 (Alpaca's limit). */
  pageSize?: number;
  /** `asc` (oldest first, the default here, convenient for catch-up) or `desc`. */
  direction?: ListDirection;
}

export type { BrokerOrderId, ClientOrderId };
