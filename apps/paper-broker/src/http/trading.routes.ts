/** Alpaca Trading API v2 routes: orders, positions and FILL activities. */
import { Decimal } from 'decimal.js';
import { toAlpacaActivity, type ActivityQuery } from '../activities/activity-log';
import { fail, ok, type Result } from '../errors';
import type { ExchangeState } from '../exchange/exchange-state';
import { assetIdOf, type PaperExchange } from '../exchange/paper-exchange.service';
import type { OrderQuery } from '../orders/order-book';
import { toAlpacaOrder } from '../orders/order-wire';
import { asClientOrderId, asOrderId, isOpen, remainingQty, type PaperOrder } from '../orders/paper-order';
import type { Position } from '../positions/position-book';
import { toAlpacaPosition } from '../positions/position-wire';
import { assetClassOf } from '../orders/order-validation';
import {
  enumParam,
  errorResponse,
  fromResult,
  intParam,
  json,
  timestampParam,
  type ApiRequest,
  type ApiResponse,
  type Route,
} from './api';

export interface TradingDeps {
  exchange: PaperExchange;
  state: ExchangeState;
  nowNs: () => bigint;
}

/** The order as Alpaca shows it; an OCO parent carries its stop-loss leg in `legs`. */
function wireOrder(state: ExchangeState, order: PaperOrder): Record<string, unknown> {
  const leg = order.ocoSiblingId && !order.ocoLeg ? state.orders.get(order.ocoSiblingId) : undefined;
  return toAlpacaOrder(order, leg ? [leg] : []);
}
const notFound = (): ApiResponse => errorResponse({ code: 'ORDER_NOT_FOUND', message: 'order not found' });

function parseOrderQuery(query: URLSearchParams): Result<OrderQuery> {
  const status = enumParam(query, 'status', ['open', 'closed', 'all'] as const, 'open');
  const direction = enumParam(query, 'direction', ['asc', 'desc'] as const, 'desc');
  const side = enumParam(query, 'side', ['buy', 'sell', ''] as const, '');
  const limit = intParam(query, 'limit', 50, 500);
  const after = timestampParam(query, 'after');
  const until = timestampParam(query, 'until');
  if (!status.ok) return status;
  if (!direction.ok) return direction;
  if (!side.ok) return side;
  if (!limit.ok) return limit;
  if (!after.ok) return after;
  if (!until.ok) return until;
  const symbols = query.get('symbols');
  return ok({
    status: status.value,
    direction: direction.value,
    side: side.value === '' ? null : side.value,
    limit: limit.value,
    afterNs: after.value,
    untilNs: until.value,
    symbols: symbols ? new Set(symbols.split(',').map((s) => s.trim())) : null,
  });
}

function parseActivityQuery(query: URLSearchParams): Result<ActivityQuery> {
  if (query.get('date')) return fail('UNSUPPORTED', 'the paper broker does not support date; use after/until');
  const direction = enumParam(query, 'direction', ['asc', 'desc'] as const, 'desc');
  const pageSize = intParam(query, 'page_size', 100, 100);
  const after = timestampParam(query, 'after');
  const until = timestampParam(query, 'until');
  if (!direction.ok) return direction;
  if (!pageSize.ok) return pageSize;
  if (!after.ok) return after;
  if (!until.ok) return until;
  const pageToken = query.get('page_token');
  return ok({ direction: direction.value, pageSize: pageSize.value, pageToken: pageToken || null, afterNs: after.value, untilNs: until.value });
}

/** Units of a position held by open orders that would reduce it. */
function heldForOrders(state: ExchangeState, position: Position): Decimal {
  const closingSide = position.qty.isNegative() ? 'buy' : 'sell';
  return state.orders
    .all()
    .filter((o) => o.symbol === position.symbol && o.side === closingSide && isOpen(o.status))
    .reduce((sum, o) => sum.plus(remainingQty(o)), new Decimal(0));
}

function positionJson(deps: TradingDeps, position: Position): Record<string, unknown> {
  const { price } = deps.state.market.priceOf(position.symbol, deps.nowNs());
  return toAlpacaPosition(position, {
    assetId: assetIdOf(position.symbol),
    assetClass: assetClassOf(position.symbol),
    currentPrice: price,
    lastdayPrice: deps.state.market.initialPriceOf(position.symbol),
    heldForOrders: heldForOrders(deps.state, position),
  });
}

function body(request: ApiRequest): Record<string, unknown> {
  return request.body ?? {};
}

const pathParam = (request: ApiRequest): string => decodeURIComponent(request.params[0] ?? '');
const ORDER = /^\/v2\/orders\/([^/]+)$/;

function listOrders(deps: TradingDeps, request: ApiRequest): ApiResponse {
  return fromResult(parseOrderQuery(request.query), (q) => json(deps.state.orders.list(q).map((o) => wireOrder(deps.state, o))));
}

function getOrderByClientOrderId(deps: TradingDeps, request: ApiRequest): ApiResponse {
  const order = deps.state.orders.getByClientOrderId(asClientOrderId(request.query.get('client_order_id') ?? ''));
  return order ? json(wireOrder(deps.state, order)) : notFound();
}

function getOrder(deps: TradingDeps, request: ApiRequest): ApiResponse {
  const order = deps.state.orders.get(asOrderId(pathParam(request)));
  return order ? json(wireOrder(deps.state, order)) : notFound();
}

function getPosition(deps: TradingDeps, request: ApiRequest): ApiResponse {
  const position = deps.state.positions.get(pathParam(request));
  if (!position) return errorResponse({ code: 'ORDER_NOT_FOUND', message: 'position does not exist' });
  return json(positionJson(deps, position));
}

function listFillActivities(deps: TradingDeps, request: ApiRequest): ApiResponse {
  const query = parseActivityQuery(request.query);
  if (!query.ok) return errorResponse(query.error);
  return fromResult(deps.state.activities.list(query.value), (page) => json(page.map(toAlpacaActivity)));
}

export function tradingRoutes(deps: TradingDeps): Route[] {
  const { exchange, state } = deps;
  const orderJson = (order: PaperOrder): ApiResponse => json(wireOrder(state, order));
  return [
    { method: 'POST', pattern: /^\/v2\/orders$/, handler: (r) => fromResult(exchange.submit(body(r), r.faults ?? null), orderJson) },
    { method: 'GET', pattern: /^\/v2\/orders$/, handler: (r) => listOrders(deps, r) },
    { method: 'GET', pattern: /^\/v2\/orders:by_client_order_id$/, handler: (r) => getOrderByClientOrderId(deps, r) },
    { method: 'GET', pattern: ORDER, handler: (r) => getOrder(deps, r) },
    { method: 'PATCH', pattern: ORDER, handler: (r) => fromResult(exchange.replace(asOrderId(pathParam(r)), body(r), r.faults ?? null), orderJson) },
    { method: 'DELETE', pattern: ORDER, handler: (r) => fromResult(exchange.cancel(asOrderId(pathParam(r))), () => ({ status: 204 })) },
    { method: 'GET', pattern: /^\/v2\/positions$/, handler: () => json(state.positions.all().map((p) => positionJson(deps, p))) },
    { method: 'GET', pattern: /^\/v2\/positions\/([^/]+)$/, handler: (r) => getPosition(deps, r) },
    { method: 'GET', pattern: /^\/v2\/account\/activities\/FILL$/, handler: (r) => listFillActivities(deps, r) },
  ];
}
