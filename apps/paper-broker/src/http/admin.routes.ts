/**
 * Test controls under /_admin (no Alpaca equivalent, no authentication): move prices, step the
 * market, reset every order, position and activity, read counters, and drop stream connections.
 */
import { Decimal } from 'decimal.js';
import type { ExchangeState } from '../exchange/exchange-state';
import type { PaperExchange } from '../exchange/paper-exchange.service';
import { errorResponse, json, type ApiRequest, type ApiResponse, type Route } from './api';

export interface AdminDeps {
  exchange: PaperExchange;
  state: ExchangeState;
  streamClients: () => number;
  dropStreamConnections: () => number;
  requestCount: () => number;
  resetCounters: () => void;
}

const SYMBOL = /^[A-Z0-9][A-Z0-9./-]{0,31}$/;
const PRICE = /^\d+(\.\d+)?$/;
const MAX_STEPS = 10_000;

function stats(deps: AdminDeps): Record<string, unknown> {
  const byStatus: Record<string, number> = {};
  const orders = deps.state.orders.all();
  for (const order of orders) byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
  return {
    orders: { total: orders.length, byStatus },
    fills: deps.state.activities.size,
    positions: deps.state.positions.all().length,
    streamClients: deps.streamClients(),
    requests: deps.requestCount(),
    prices: deps.state.market.snapshot(),
  };
}

function setPrice(deps: AdminDeps, request: ApiRequest): ApiResponse {
  const symbol = request.body?.symbol;
  const price = request.body?.price;
  if (typeof symbol !== 'string' || !SYMBOL.test(symbol) || typeof price !== 'string' || !PRICE.test(price)) {
    return errorResponse({ code: 'INVALID_REQUEST', message: 'body must be {"symbol":"AAPL","price":"187.50"}' });
  }
  if (new Decimal(price).lte(0)) return errorResponse({ code: 'INVALID_REQUEST', message: 'price must be positive' });
  return json({ symbol, price: deps.exchange.setPrice(symbol, new Decimal(price)).toFixed() });
}

function step(deps: AdminDeps, request: ApiRequest): ApiResponse {
  const steps = request.body?.steps ?? 1;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
    return errorResponse({ code: 'INVALID_REQUEST', message: `steps must be an integer from 1 to ${MAX_STEPS}` });
  }
  deps.exchange.step(steps);
  return json({ steps, prices: deps.state.market.snapshot() });
}

function reset(deps: AdminDeps): ApiResponse {
  deps.exchange.reset();
  deps.resetCounters();
  return { status: 204 };
}

export function adminRoutes(deps: AdminDeps): Route[] {
  return [
    { method: 'GET', pattern: /^\/_admin\/stats$/, handler: () => json(stats(deps)) },
    { method: 'GET', pattern: /^\/_admin\/prices$/, handler: () => json(deps.state.market.snapshot()) },
    { method: 'POST', pattern: /^\/_admin\/prices$/, handler: (r) => setPrice(deps, r) },
    { method: 'POST', pattern: /^\/_admin\/step$/, handler: (r) => step(deps, r) },
    { method: 'POST', pattern: /^\/_admin\/reset$/, handler: () => reset(deps) },
    { method: 'POST', pattern: /^\/_admin\/stream\/drop$/, handler: () => json({ dropped: deps.dropStreamConnections() }) },
  ];
}
