/**
 * Pure translation between Alpaca's wire shapes and the broker port's reports and commands.
 * Invariants: decimals are parsed from strings (never through a float), except quote prices that
 * Alpaca sends as JSON numbers; an unknown status or side fails loudly instead of being guessed.
 */
import type { OrderSide, OrderStatus, TimeInForce } from '@tlp/contracts';
import { Decimal } from 'decimal.js';
import { brokerOrderId, clientOrderId, executionId } from '../broker-ids';
import { BrokerError } from '../errors';
import type {
  BrokerAssetClass,
  BrokerOrderClass,
  BrokerOrderType,
  FillReport,
  MarketClock,
  OrderStatusReport,
  PositionStatusReport,
  Quote,
  TradeUpdate,
  TradingDay,
} from '../reports';
import { parseRfc3339 } from './alpaca-timestamps';
import type {
  AlpacaCalendarDay,
  AlpacaClock,
  AlpacaFillActivity,
  AlpacaOrder,
  AlpacaOrderLeg,
  AlpacaPosition,
  AlpacaTradeUpdate,
} from './alpaca-wire';

const FEE_CURRENCY = 'USD';

function malformed(message: string): BrokerError {
  return new BrokerError(message, { code: 'MALFORMED_RESPONSE', retriable: false, httpStatus: null, brokerCode: null });
}

export function toDate(value: string, field: string): Date {
  const parsed = parseRfc3339(value);
  if (!parsed) throw malformed(`${field}: not an RFC 3339 timestamp: ${JSON.stringify(value)}`);
  return parsed;
}

function toOptionalDate(value: string | null | undefined, field: string): Date | null {
  return value ? toDate(value, field) : null;
}

function toOptionalDecimal(value: string | null | undefined): Decimal | null {
  return value === null || value === undefined ? null : new Decimal(value);
}

const STATUS: Readonly<Record<string, OrderStatus>> = {
  new: 'NEW',
  accepted: 'ACCEPTED',
  pending_new: 'ACCEPTED',
  accepted_for_bidding: 'ACCEPTED',
  held: 'ACCEPTED',
  pending_review: 'ACCEPTED',
  suspended: 'ACCEPTED',
  partially_filled: 'PARTIALLY_FILLED',
  filled: 'FILLED',
  done_for_day: 'DONE_FOR_DAY',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  rejected: 'REJECTED',
  replaced: 'REPLACED',
  pending_cancel: 'PENDING_CANCEL',
  pending_replace: 'PENDING_REPLACE',
};

/**
 * `calculated` (day over, settlement pending) is FILLED when nothing is left, else DONE_FOR_DAY;
 * `stopped` (a price is guaranteed, the trade not yet done) is still working.
 */
export function mapOrderStatus(raw: string, filledQuantity: Decimal, quantity: Decimal | null): OrderStatus {
  // Own keys only: a word such as `constructor` must not find Object.prototype's.
  const direct = Object.hasOwn(STATUS, raw) ? STATUS[raw] : undefined;
  if (direct) return direct;
  const complete = quantity !== null && filledQuantity.gte(quantity) && filledQuantity.gt(0);
  if (raw === 'calculated') return complete ? 'FILLED' : 'DONE_FOR_DAY';
  if (raw === 'stopped') return filledQuantity.gt(0) ? 'PARTIALLY_FILLED' : 'NEW';
  throw malformed(`unknown Alpaca order status ${JSON.stringify(raw)}`);
}

export function mapSide(raw: string): OrderSide {
  if (raw === 'buy') return 'BUY';
  if (raw === 'sell' || raw === 'sell_short') return 'SELL';
  throw malformed(`unknown Alpaca side ${JSON.stringify(raw)}`);
}

export function mapAssetClass(raw: string | null | undefined): BrokerAssetClass {
  if (raw === 'us_option') return 'OPTION';
  if (raw === 'crypto') return 'CRYPTO';
  return 'EQUITY';
}

const ORDER_TYPES: Readonly<Record<string, BrokerOrderType>> = {
  market: 'MARKET',
  limit: 'LIMIT',
  stop: 'STOP',
  stop_limit: 'STOP_LIMIT',
  trailing_stop: 'TRAILING_STOP',
};

export function mapOrderType(raw: string | null | undefined): BrokerOrderType {
  const mapped = raw ? ORDER_TYPES[raw] : undefined;
  if (!mapped) throw malformed(`unknown Alpaca order type ${JSON.stringify(raw)}`);
  return mapped;
}

const TIME_IN_FORCE: ReadonlySet<string> = new Set(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']);

export function mapTimeInForce(raw: string): TimeInForce {
  if (!TIME_IN_FORCE.has(raw)) throw malformed(`unknown Alpaca time_in_force ${JSON.stringify(raw)}`);
  return raw.toUpperCase() as TimeInForce;
}

const ORDER_CLASSES: Readonly<Record<string, BrokerOrderClass>> = { '': 'SIMPLE', simple: 'SIMPLE', oco: 'OCO', bracket: 'BRACKET', oto: 'OTO', mleg: 'MLEG' };

export function mapOrderClass(raw: string | null | undefined): BrokerOrderClass {
  const mapped = ORDER_CLASSES[raw ?? ''];
  if (!mapped) throw malformed(`unknown Alpaca order_class ${JSON.stringify(raw)}`);
  return mapped;
}

export function toOrderStatusReport(order: AlpacaOrder | AlpacaOrderLeg): OrderStatusReport {
  const filledQuantity = new Decimal(order.filled_qty);
  const orderedQuantity = toOptionalDecimal(order.qty);
  const createdAt = toDate(order.created_at, 'created_at');
  return {
    brokerOrderId: brokerOrderId(order.id),
    clientOrderId: clientOrderId(order.client_order_id),
    symbol: order.symbol,
    assetClass: mapAssetClass(order.asset_class),
    side: mapSide(order.side),
    orderType: mapOrderType(order.type ?? order.order_type),
    timeInForce: mapTimeInForce(order.time_in_force),
    quantity: orderedQuantity ?? filledQuantity,
    notional: toOptionalDecimal(order.notional),
    filledQuantity,
    averageFillPrice: toOptionalDecimal(order.filled_avg_price),
    limitPrice: toOptionalDecimal(order.limit_price),
    stopPrice: toOptionalDecimal(order.stop_price),
    status: mapOrderStatus(order.status, filledQuantity, orderedQuantity),
    rawStatus: order.status,
    replacedBy: order.replaced_by ? brokerOrderId(order.replaced_by) : null,
    replaces: order.replaces ? brokerOrderId(order.replaces) : null,
    createdAt,
    updatedAt: toOptionalDate(order.updated_at, 'updated_at') ?? createdAt,
    submittedAt: toOptionalDate(order.submitted_at, 'submitted_at'),
    filledAt: toOptionalDate(order.filled_at, 'filled_at'),
    submittedAtRaw: order.submitted_at ?? null,
    orderClass: mapOrderClass(order.order_class),
    legs: 'legs' in order && order.legs ? order.legs.map(toOrderStatusReport) : [],
  };
}

function leavesOf(order: OrderStatusReport): Decimal {
  const open = !['CANCELED', 'EXPIRED', 'REJECTED', 'REPLACED', 'DONE_FOR_DAY'].includes(order.status);
  const leaves = order.quantity.minus(order.filledQuantity);
  return open && leaves.gt(0) ? leaves : new Decimal(0);
}

function fillFromTradeUpdate(update: AlpacaTradeUpdate, order: OrderStatusReport, at: Date): FillReport {
  if (!update.execution_id || !update.price || !update.qty) {
    throw malformed(`${update.event} for order ${order.brokerOrderId} lacks execution_id, price or qty`);
  }
  return {
    executionId: executionId(update.execution_id),
    activityId: null,
    brokerOrderId: order.brokerOrderId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    quantity: new Decimal(update.qty),
    price: new Decimal(update.price),
    cumulativeQuantity: order.filledQuantity,
    averagePrice: order.averageFillPrice,
    leavesQuantity: leavesOf(order),
    orderStatus: order.status,
    fee: new Decimal(update.commission ?? '0'),
    feeCurrency: FEE_CURRENCY,
    occurredAt: at,
  };
}

export function toTradeUpdate(update: AlpacaTradeUpdate): TradeUpdate {
  const order = toOrderStatusReport(update.order);
  const stamp = update.timestamp ?? update.at;
  const at = stamp ? toDate(stamp, 'timestamp') : order.updatedAt;
  const isFill = update.event === 'fill' || update.event === 'partial_fill';
  return {
    event: update.event,
    order,
    fill: isFill ? fillFromTradeUpdate(update, order, at) : null,
    positionQuantity: toOptionalDecimal(update.position_qty),
    at,
  };
}

/** Alpaca activity ids are `<yyyymmddhhmmssSSS>::<uuid>`; the uuid identifies the execution. */
export function executionIdOfActivity(activityId: string): string {
  const separator = activityId.lastIndexOf('::');
  return separator >= 0 ? activityId.slice(separator + 2) : activityId;
}

export function toFillReport(activity: AlpacaFillActivity): FillReport {
  const cumulativeQuantity = new Decimal(activity.cum_qty);
  const leavesQuantity = new Decimal(activity.leaves_qty);
  return {
    executionId: executionId(executionIdOfActivity(activity.id)),
    activityId: activity.id,
    brokerOrderId: brokerOrderId(activity.order_id),
    clientOrderId: null,
    symbol: activity.symbol,
    side: mapSide(activity.side),
    quantity: new Decimal(activity.qty),
    price: new Decimal(activity.price),
    cumulativeQuantity,
    averagePrice: null,
    leavesQuantity,
    orderStatus: mapOrderStatus(activity.order_status, cumulativeQuantity, cumulativeQuantity.plus(leavesQuantity)),
    fee: new Decimal(activity.commission ?? '0'),
    feeCurrency: FEE_CURRENCY,
    occurredAt: toDate(activity.transaction_time, 'transaction_time'),
  };
}

export function toPositionStatusReport(position: AlpacaPosition): PositionStatusReport {
  const quantity = new Decimal(position.qty);
  return {
    symbol: position.symbol,
    assetClass: mapAssetClass(position.asset_class),
    // Some responses carry an unsigned qty with side=short; the report is always signed.
    quantity: position.side === 'short' && quantity.gt(0) ? quantity.neg() : quantity,
    averageEntryPrice: new Decimal(position.avg_entry_price),
    marketValue: toOptionalDecimal(position.market_value),
    currentPrice: toOptionalDecimal(position.current_price),
  };
}

/** Quote prices are JSON numbers at Alpaca; 0 means "no quote on this side". */
function quotePrice(value: number | null | undefined): Decimal | null {
  if (value === null || value === undefined || value === 0) return null;
  return new Decimal(String(value));
}

export function toQuote(symbol: string, quote: { t: string; bp?: number | null; ap?: number | null }): Quote {
  return { symbol, bid: quotePrice(quote.bp), ask: quotePrice(quote.ap), at: toDate(quote.t, 'quote.t') };
}

export function toMarketClock(clock: AlpacaClock): MarketClock {
  return {
    at: toDate(clock.timestamp, 'timestamp'),
    isOpen: clock.is_open,
    nextOpen: toDate(clock.next_open, 'next_open'),
    nextClose: toDate(clock.next_close, 'next_close'),
  };
}

export function toTradingDay(day: AlpacaCalendarDay): TradingDay {
  return { date: day.date, open: day.open, close: day.close };
}
