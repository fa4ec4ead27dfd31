/**
 * Test controls under /_admin (no Alpaca equivalent, no authentication): move prices, step the
 * market, reset every order, position and activity, read counters, drop stream connections, and
 * arm, read and clear injected faults.
 */
import { Decimal } from 'decimal.js';
import type { ExchangeState } from '../exchange/exchange-state';
import type { PaperExchange } from '../exchange/paper-exchange.service';
import type { ArmedFaults } from '../faults/armed-faults.service';
import { parseFaultRules, toFaultRuleView } from '../faults/fault-rules';
import { errorResponse, json, type ApiRequest, type ApiResponse, type Route } from './api';

export interface AdminDeps {
  exchange: PaperExchange;
  state: ExchangeState;
  streamClients: () => number;
  dropStreamConnections: () => number;
  requestCount: () => number;
  resetCounters: () => void;
  /** Null when the embedding test supplied its own fault injector. */
  faults: ArmedFaults | null;
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

const NO_ARMED_FAULTS: ApiResponse = errorResponse({ code: 'UNSUPPORTED', message: 'faults were supplied in-process; /_admin/faults is off' });

function armFaults(faults: ArmedFaults, request: ApiRequest): ApiResponse {
  const parsed = parseFaultRules(request.body);
  if (!parsed.ok) return errorResponse({ code: 'INVALID_REQUEST', message: `invalid fault rules: ${parsed.problems.join('; ')}` });
  const { rules, disconnected } = faults.arm(parsed.rules);
  return json({ rules: rules.map(toFaultRuleView), disconnected });
}

function clearFaults(faults: ArmedFaults, id?: string): ApiResponse {
  const cleared = faults.clear(id);
  if (id !== undefined && cleared === 0) return errorResponse({ code: 'ROUTE_NOT_FOUND', message: `no armed fault "${id}"` });
  return json({ cleared });
}

function faultRoutes(faults: ArmedFaults | null): Route[] {
  const on = (handler: (faults: ArmedFaults, request: ApiRequest) => ApiResponse) => (request: ApiRequest) =>
    faults ? handler(faults, request) : NO_ARMED_FAULTS;
  return [
    { method: 'GET', pattern: /^\/_admin\/faults$/, handler: on((f) => json({ rules: f.list().map(toFaultRuleView) })) },
    { method: 'POST', pattern: /^\/_admin\/faults$/, handler: on(armFaults) },
    { method: 'DELETE', pattern: /^\/_admin\/faults$/, handler: on((f) => clearFaults(f)) },
    { method: 'DELETE', pattern: /^\/_admin\/faults\/([^/]+)$/, handler: on((f, r) => clearFaults(f, decodeURIComponent(r.params[0] ?? ''))) },
  ];
}

export function adminRoutes(deps: AdminDeps): Route[] {
  return [
    ...faultRoutes(deps.faults),
    { method: 'GET', pattern: /^\/_admin\/stats$/, handler: () => json(stats(deps)) },
    { method: 'GET', pattern: /^\/_admin\/prices$/, handler: () => json(deps.state.market.snapshot()) },
    { method: 'POST', pattern: /^\/_admin\/prices$/, handler: (r) => setPrice(deps, r) },
    { method: 'POST', pattern: /^\/_admin\/step$/, handler: (r) => step(deps, r) },
    { method: 'POST', pattern: /^\/_admin\/reset$/, handler: () => reset(deps) },
    { method: 'POST', pattern: /^\/_admin\/stream\/drop$/, handler: () => json({ dropped: deps.dropStreamConnections() }) },
  ];
}
