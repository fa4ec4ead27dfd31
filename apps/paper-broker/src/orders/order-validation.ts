/**
 * The checks Alpaca applies to POST /v2/orders and PATCH /v2/orders/{id}, for the subset the paper
 * broker trades (simple market, limit, stop and stop_limit orders). Numbers must arrive as decimal strings: a JSON
 * number would have gone through a binary float already.
 */
import { Decimal } from 'decimal.js';
import { fail, ok, type Result } from '../errors';
import type { AssetClass, OrderClass, OrderKind, Side, TimeInForce } from './paper-order';

export interface NewOrderRequest {
  symbol: string;
  assetClass: AssetClass;
  side: Side;
  type: OrderKind;
  timeInForce: TimeInForce;
  qty: Decimal | null;
  notional: Decimal | null;
  limitPrice: Decimal | null;
  stopPrice: Decimal | null;
  extendedHours: boolean;
  clientOrderId: string | null;
  orderClass: OrderClass;
  /** The stop-loss leg of an `oco` order (the order itself is the take-profit limit); null otherwise. */
  stopLoss: { stopPrice: Decimal; limitPrice: Decimal | null } | null;
}

export interface ReplaceRequest {
  qty: Decimal | null;
  limitPrice: Decimal | null;
  stopPrice: Decimal | null;
  timeInForce: TimeInForce | null;
  clientOrderId: string | null;
}

const SYMBOL = /^[A-Z0-9][A-Z0-9./-]{0,31}$/;
const OCC = /^[A-Z0-9.]{1,6}\d{6}[CP]\d{8}$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const MAX_CLIENT_ORDER_ID = 128;
const TIME_IN_FORCE: readonly string[] = ['day', 'gtc', 'ioc', 'fok'];
const ORDER_TYPES: readonly string[] = ['market', 'limit', 'stop', 'stop_limit'];
const LIMIT_TYPES: readonly OrderKind[] = ['limit', 'stop_limit'];
const STOP_TYPES: readonly OrderKind[] = ['stop', 'stop_limit'];

type Body = Record<string, unknown>;

export function assetClassOf(symbol: string): AssetClass {
  if (OCC.test(symbol)) return 'us_option';
  if (symbol.includes('/')) return 'crypto';
  return 'us_equity';
}

function positiveDecimal(body: Body, field: string): Result<Decimal | null> {
  const value = body[field];
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== 'string' || !DECIMAL.test(value)) return fail('INVALID_REQUEST', `${field} must be a decimal string`);
  const parsed = new Decimal(value);
  return parsed.gt(0) ? ok(parsed) : fail('INVALID_REQUEST', `${field} must be greater than 0`);
}

/** Alpaca: at most 2 decimals at or above $1, at most 4 below. */
export function checkSubPenny(field: string, price: Decimal): string | null {
  const allowed = price.gte(1) ? 2 : 4;
  return price.decimalPlaces() > allowed
    ? `invalid ${field} ${price.toFixed()}. sub-penny increment does not fulfill minimum pricing criteria`
    : null;
}

function clientOrderIdOf(body: Body): Result<string | null> {
  const value = body.client_order_id;
  if (value === undefined || value === null || value === '') return ok(null);
  if (typeof value !== 'string') return fail('INVALID_REQUEST', 'client_order_id must be a string');
  if (value.length > MAX_CLIENT_ORDER_ID) {
    return fail('INVALID_REQUEST', `client_order_id must be no more than ${MAX_CLIENT_ORDER_ID} characters`);
  }
  return ok(value);
}

function enumOf<T extends string>(body: Body, field: string, allowed: readonly string[]): Result<T> {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) return fail('INVALID_REQUEST', `${field} is required`);
  if (!allowed.includes(value)) return fail('INVALID_REQUEST', `invalid ${field} "${value}"`);
  return ok(value as T);
}

function checkShape(body: Body): Result<Pick<NewOrderRequest, 'symbol' | 'side' | 'type' | 'timeInForce'>> {
  const symbol = body.symbol;
  if (typeof symbol !== 'string' || !SYMBOL.test(symbol)) return fail('INVALID_REQUEST', 'symbol is required');
  const orderClass = body.order_class;
  if (orderClass !== undefined && orderClass !== null && orderClass !== '' && orderClass !== 'simple' && orderClass !== 'oco') {
    return fail('UNSUPPORTED', `order_class ${JSON.stringify(orderClass)} is not supported by the paper broker`);
  }
  const side = enumOf<Side>(body, 'side', ['buy', 'sell']);
  if (!side.ok) return side;
  const rawType = body.type ?? body.order_type;
  if (rawType === 'trailing_stop') return fail('UNSUPPORTED', 'order type trailing_stop is not supported by the paper broker');
  const type = enumOf<OrderKind>({ type: rawType }, 'type', ORDER_TYPES);
  if (!type.ok) return type;
  if (body.time_in_force === 'opg' || body.time_in_force === 'cls') {
    return fail('UNSUPPORTED', `time_in_force ${body.time_in_force} is not supported by the paper broker`);
  }
  const timeInForce = enumOf<TimeInForce>(body, 'time_in_force', TIME_IN_FORCE);
  if (!timeInForce.ok) return timeInForce;
  return ok({ symbol, side: side.value, type: type.value, timeInForce: timeInForce.value });
}

function checkAssetRules(order: NewOrderRequest): string | null {
  const fractional = order.qty !== null && !order.qty.isInteger();
  if (order.assetClass === 'us_option') {
    if (order.timeInForce !== 'day') return 'options orders must be day orders';
    if (fractional || order.notional) return 'options orders must have a whole qty and no notional';
  } else if (order.assetClass === 'crypto') {
    if (order.timeInForce !== 'gtc' && order.timeInForce !== 'ioc') return 'invalid crypto time_in_force';
  } else if ((fractional || order.notional) && order.timeInForce !== 'day') {
    return 'fractional orders must be DAY orders';
  }
  if (STOP_TYPES.includes(order.type) && order.timeInForce !== 'day' && order.timeInForce !== 'gtc') {
    return 'stop orders must be DAY or GTC orders';
  }
  if (order.assetClass === 'crypto' && order.type === 'stop') return 'crypto orders must be market, limit or stop_limit';
  if (order.notional && order.type !== 'market') return 'notional orders must be market orders';
  if (order.extendedHours && (order.type !== 'limit' || order.timeInForce !== 'day')) {
    return 'extended hours order must be DAY limit orders';
  }
  return null;
}

/** The limit and stop prices `type` needs, present exactly when needed and on the penny grid. */
function checkPrices(type: OrderKind, limitPrice: Decimal | null, stopPrice: Decimal | null): Result<null> {
  const needsLimit = LIMIT_TYPES.includes(type);
  const needsStop = STOP_TYPES.includes(type);
  if (needsLimit && !limitPrice) return fail('INVALID_REQUEST', `limit_price is required for ${type} orders`);
  if (!needsLimit && limitPrice) return fail('INVALID_REQUEST', `limit_price is not allowed for ${type} orders`);
  if (needsStop && !stopPrice) return fail('INVALID_REQUEST', `stop_price is required for ${type} orders`);
  if (!needsStop && stopPrice) return fail('INVALID_REQUEST', `stop_price is not allowed for ${type} orders`);
  return checkPriceGrid(limitPrice, stopPrice);
}

function checkPriceGrid(limitPrice: Decimal | null, stopPrice: Decimal | null): Result<null> {
  const subPenny =
    (limitPrice ? checkSubPenny('limit_price', limitPrice) : null) ?? (stopPrice ? checkSubPenny('stop_price', stopPrice) : null);
  return subPenny ? fail('SUB_PENNY_PRICE', subPenny) : ok(null);
}

export function validateNewOrder(body: Body): Result<NewOrderRequest> {
  const shape = checkShape(body);
  if (!shape.ok) return shape;
  const qty = positiveDecimal(body, 'qty');
  const notional = positiveDecimal(body, 'notional');
  const limitPrice = positiveDecimal(body, 'limit_price');
  const stopPrice = positiveDecimal(body, 'stop_price');
  const clientOrderId = clientOrderIdOf(body);
  if (!qty.ok) return qty;
  if (!notional.ok) return notional;
  if (!limitPrice.ok) return limitPrice;
  if (!stopPrice.ok) return stopPrice;
  if (!clientOrderId.ok) return clientOrderId;
  if ((qty.value === null) === (notional.value === null)) return fail('INVALID_REQUEST', 'qty or notional is required, not both');
  const prices = checkPrices(shape.value.type, limitPrice.value, stopPrice.value);
  if (!prices.ok) return prices;
  const stopLoss = body.order_class === 'oco' ? stopLossOf(body) : ok(null);
  if (!stopLoss.ok) return stopLoss;
  const order: NewOrderRequest = {
    ...shape.value,
    assetClass: assetClassOf(shape.value.symbol),
    qty: qty.value,
    notional: notional.value,
    limitPrice: limitPrice.value,
    stopPrice: stopPrice.value,
    extendedHours: body.extended_hours === true,
    clientOrderId: clientOrderId.value,
    orderClass: stopLoss.value ? 'oco' : '',
    stopLoss: stopLoss.value,
  };
  const denial = checkAssetRules(order) ?? (order.stopLoss ? checkOco(order, order.stopLoss) : null);
  return denial ? fail('INVALID_REQUEST', denial) : ok(order);
}

function stopLossOf(body: Body): Result<NonNullable<NewOrderRequest['stopLoss']>> {
  const leg = body.stop_loss;
  if (typeof leg !== 'object' || leg === null || Array.isArray(leg)) return fail('INVALID_REQUEST', 'stop_loss is required for oco orders');
  const stopPrice = positiveDecimal(leg as Body, 'stop_price');
  const limitPrice = positiveDecimal(leg as Body, 'limit_price');
  if (!stopPrice.ok) return stopPrice;
  if (!limitPrice.ok) return limitPrice;
  if (!stopPrice.value) return fail('INVALID_REQUEST', 'stop_loss.stop_price is required');
  const grid = checkPriceGrid(limitPrice.value, stopPrice.value);
  return grid.ok ? ok({ stopPrice: stopPrice.value, limitPrice: limitPrice.value }) : grid;
}

/** Alpaca: an OCO is an equity exit pair, its order a limit (the take-profit), the stop at least a cent beyond it. */
function checkOco(order: NewOrderRequest, stopLoss: NonNullable<NewOrderRequest['stopLoss']>): string | null {
  if (order.assetClass !== 'us_equity') return 'oco orders are for equities only';
  if (order.type !== 'limit' || !order.limitPrice) return 'oco orders must be limit orders';
  if (order.timeInForce !== 'day' && order.timeInForce !== 'gtc') return 'oco orders must be DAY or GTC orders';
  if (!order.qty || order.extendedHours) return 'oco orders need a qty and no extended hours';
  const gap = order.side === 'sell' ? order.limitPrice.minus(stopLoss.stopPrice) : stopLoss.stopPrice.minus(order.limitPrice);
  return gap.lt('0.01') ? 'stop_loss.stop_price must be at least 0.01 beyond the take-profit limit_price' : null;
}

export function validateReplace(body: Body, type: OrderKind): Result<ReplaceRequest> {
  if (body.trail !== undefined) return fail('UNSUPPORTED', 'trail is not supported by the paper broker');
  const qty = positiveDecimal(body, 'qty');
  const limitPrice = positiveDecimal(body, 'limit_price');
  const stopPrice = positiveDecimal(body, 'stop_price');
  const clientOrderId = clientOrderIdOf(body);
  if (!qty.ok) return qty;
  if (!limitPrice.ok) return limitPrice;
  if (!stopPrice.ok) return stopPrice;
  if (!clientOrderId.ok) return clientOrderId;
  if (limitPrice.value && !LIMIT_TYPES.includes(type)) return fail('INVALID_REQUEST', 'limit_price is only for limit and stop_limit orders');
  if (stopPrice.value && !STOP_TYPES.includes(type)) return fail('INVALID_REQUEST', 'stop_price is only for stop and stop_limit orders');
  const grid = checkPriceGrid(limitPrice.value, stopPrice.value);
  if (!grid.ok) return grid;
  let timeInForce: TimeInForce | null = null;
  if (body.time_in_force !== undefined) {
    const parsed = enumOf<TimeInForce>(body, 'time_in_force', TIME_IN_FORCE);
    if (!parsed.ok) return parsed;
    timeInForce = parsed.value;
  }
  if (timeInForce && STOP_TYPES.includes(type) && timeInForce !== 'day' && timeInForce !== 'gtc') {
    return fail('INVALID_REQUEST', 'stop orders must be DAY or GTC orders');
  }
  if (!qty.value && !limitPrice.value && !stopPrice.value && !timeInForce && !clientOrderId.value) {
    return fail('INVALID_REQUEST', 'nothing to replace: give qty, limit_price, stop_price, time_in_force or client_order_id');
  }
  const prices = { limitPrice: limitPrice.value, stopPrice: stopPrice.value };
  return ok({ qty: qty.value, ...prices, timeInForce, clientOrderId: clientOrderId.value });
}
