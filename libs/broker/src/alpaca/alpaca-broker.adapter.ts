/**
 * The broker port over Alpaca Trading API v2. Invariants: a submit resolves to ACCEPTED or REJECTED
 * only on a definite answer, to NOT_SENT only when the request provably never left (circuit open,
 * connection refused), everything else is UNKNOWN (resolve by client order id); reads return null
 * on 404 and throw `BrokerError` for anything else they cannot answer.
 */
import { type z } from 'zod';
import type { BrokerHealth, CircuitState } from '../broker-health';
import type { BrokerOrderId, ClientOrderId } from '../broker-ids';
import { NO_BROKER_METRICS, type BrokerMetricsSink } from '../broker-metrics';
import type {
  BrokerPort,
  CancelResult,
  FillsPage,
  SubmitResult,
  TradeUpdateListener,
  TradeUpdateSubscription,
} from '../broker.port';
import type { ListFillsQuery, ListOrdersQuery, ReplaceOrder, SubmitOrder } from '../commands';
import { BrokerError, isBrokerError } from '../errors';
import type { MarketClock, OrderStatusReport, PositionStatusReport, Quote, TradingDay } from '../reports';
import {
  DEFAULT_CIRCUIT_BREAKER_POLICY,
  DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
  DEFAULT_RATE_LIMIT_POLICY,
  DEFAULT_RETRY_POLICY,
  DEFAULT_STREAM_POLICY,
  type AlpacaBrokerConfig,
} from './alpaca-config';
import { AlpacaHttpClient, errorMessageOf, toBrokerError, type HttpResponse } from './alpaca-http.client';
import {
  toFillReport,
  toMarketClock,
  toOrderStatusReport,
  toPositionStatusReport,
  toQuote,
  toTradingDay,
} from './alpaca-mapping';
import { checkSubmitOrder, toOrderRequest, toReplaceRequest } from './alpaca-requests';
import { formatRfc3339 } from './alpaca-timestamps';
import { AlpacaTradeStream } from './alpaca-trade-stream.client';
import { CircuitBreaker } from './circuit-breaker';
import { RateLimiter } from './request-budget';
import {
  AlpacaCalendarDay,
  AlpacaClock,
  AlpacaFillActivity,
  AlpacaLatestQuotes,
  AlpacaOrder,
  AlpacaPosition,
} from './alpaca-wire';

const MAX_ORDERS_PAGE = 500;
const MAX_FILLS_PAGE = 100;
const MAX_QUOTE_SYMBOLS = 100;
const OCC_SYMBOL = /^[A-Z0-9.]{1,6}\d{6}[CP]\d{8}$/;

export interface AlpacaAdapterDeps {
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
  random?: () => number;
  /** Where request, rate-limit and circuit metrics go; none by default. */
  metrics?: BrokerMetricsSink;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function parseWith<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid';
    throw new BrokerError(`${what}: unexpected response (${where})`, {
      code: 'MALFORMED_RESPONSE',
      retriable: false,
      httpStatus: null,
      brokerCode: null,
    });
  }
  return parsed.data;
}

export class AlpacaBrokerAdapter implements BrokerPort, BrokerHealth {
  private readonly http: AlpacaHttpClient;
  private readonly random: () => number;
  private readonly ordersPageSize: number;

  constructor(
    private readonly config: AlpacaBrokerConfig,
    deps: AlpacaAdapterDeps = {},
  ) {
    this.random = deps.random ?? Math.random;
    this.ordersPageSize = Math.min(MAX_ORDERS_PAGE, Math.max(1, Math.floor(config.ordersPageSize ?? MAX_ORDERS_PAGE)));
    const nowMs = deps.nowMs ?? Date.now;
    const metrics = deps.metrics ?? NO_BROKER_METRICS;
    const maxWaitMs = config.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    const requestsPerMinute = config.rateLimit?.requestsPerMinute ?? DEFAULT_RATE_LIMIT_POLICY.requestsPerMinute;
    const rateLimit = { requestsPerMinute, burst: config.rateLimit?.burst ?? requestsPerMinute };
    this.http = new AlpacaHttpClient({
      baseUrls: { trading: trimSlash(config.baseUrl), data: trimSlash(config.dataBaseUrl) },
      keyId: config.keyId,
      secretKey: config.secretKey,
      requestTimeoutMs: config.requestTimeoutMs,
      retry: { ...DEFAULT_RETRY_POLICY, ...config.retry },
      // The data API has its own budget at Alpaca (by plan): only the server's headers pace it.
      limiters: { trading: new RateLimiter(rateLimit, maxWaitMs, nowMs), data: new RateLimiter(null, maxWaitMs, nowMs) },
      breaker: new CircuitBreaker({ ...DEFAULT_CIRCUIT_BREAKER_POLICY, ...config.circuitBreaker }, nowMs, (state) =>
        metrics.breakerState(state),
      ),
      metrics,
      sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      nowMs,
      random: this.random,
    });
  }

  isHealthy(): boolean {
    return this.circuitState() !== 'OPEN';
  }

  circuitState(): CircuitState {
    return this.http.circuitState();
  }

  async submitOrder(command: SubmitOrder): Promise<SubmitResult> {
    const denial = checkSubmitOrder(command);
    if (denial) {
      throw new BrokerError(denial, { code: 'INVALID_REQUEST', retriable: false, httpStatus: null, brokerCode: null });
    }
    let response: HttpResponse;
    try {
      response = await this.http.request('POST', 'trading', '/v2/orders', toOrderRequest(command));
    } catch (error) {
      // Nothing left (circuit open, connection refused): no order exists; retry later, same client order id.
      if (isBrokerError(error) && error.unsent) return { outcome: 'NOT_SENT', reason: error.message };
      if (isBrokerError(error)) return { outcome: 'UNKNOWN', reason: error.message };
      throw error;
    }
    return this.toSubmitResult(response);
  }

  private toSubmitResult(response: HttpResponse): SubmitResult {
    const { status } = response;
    if (status === 200 || status === 201) {
      try {
        return { outcome: 'ACCEPTED', order: toOrderStatusReport(parseWith(AlpacaOrder, response.body, 'POST /v2/orders')) };
      } catch (error) {
        // The broker took the order but we cannot read it: look it up by client order id.
        return { outcome: 'UNKNOWN', reason: `accepted but unreadable: ${String(error)}` };
      }
    }
    if (status === 429 || status >= 500 || status < 400) {
      return { outcome: 'UNKNOWN', reason: `POST /v2/orders answered HTTP ${status}` };
    }
    const error = toBrokerError(response, 'POST /v2/orders');
    if (error.code === 'DUPLICATE_CLIENT_ORDER_ID') return { outcome: 'DUPLICATE_CLIENT_ORDER_ID' };
    return {
      outcome: 'REJECTED',
      code: error.code,
      brokerCode: error.brokerCode,
      message: errorMessageOf(response),
      httpStatus: status,
    };
  }

  async getOrder(id: BrokerOrderId): Promise<OrderStatusReport | null> {
    // nested: an advanced order's parent (an OCO's take-profit) comes with its legs.
    return this.getOrderAt(`/v2/orders/${encodeURIComponent(id)}?nested=true`);
  }

  async getOrderByClientOrderId(id: ClientOrderId): Promise<OrderStatusReport | null> {
    return this.getOrderAt(`/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(id)}`);
  }

  private async getOrderAt(path: string): Promise<OrderStatusReport | null> {
    const body = await this.readTrading(path, { nullOn404: true });
    return body === null ? null : toOrderStatusReport(parseWith(AlpacaOrder, body, `GET ${path}`));
  }

  async listOrders(query: ListOrdersQuery): Promise<OrderStatusReport[]> {
    const direction = query.direction ?? 'desc';
    const cursor = { after: query.after ? formatRfc3339(query.after) : null, until: query.until ? formatRfc3339(query.until) : null };
    const seen = new Set<string>();
    const orders: OrderStatusReport[] = [];
    for (;;) {
      const wanted = Math.min(this.ordersPageSize, (query.limit ?? Number.POSITIVE_INFINITY) - orders.length);
      if (wanted <= 0) return orders;
      const params = new URLSearchParams({ status: query.status, limit: String(wanted), direction });
      if (cursor.after) params.set('after', cursor.after);
      if (cursor.until) params.set('until', cursor.until);
      const body = await this.readTrading(`/v2/orders?${params.toString()}`);
      const page = parseWith(AlpacaOrder.array(), body, 'GET /v2/orders');
      const fresh = page.filter((order) => !seen.has(order.id));
      for (const order of fresh) {
        seen.add(order.id);
        orders.push(toOrderStatusReport(order));
      }
      const last = page[page.length - 1];
      if (!last || page.length < wanted || fresh.length === 0) return orders;
      // No page token at Alpaca: move the exclusive bound to the last row's submission time.
      const boundary = last.submitted_at ?? last.created_at;
      if (direction === 'desc') cursor.until = boundary;
      else cursor.after = boundary;
    }
  }

  async cancelOrder(id: BrokerOrderId): Promise<CancelResult> {
    const path = `/v2/orders/${encodeURIComponent(id)}`;
    const response = await this.http.request('DELETE', 'trading', path);
    if (response.status === 204 || response.status === 200) return 'REQUESTED';
    if (response.status === 404) return 'NOT_FOUND';
    if (response.status === 422) return 'NOT_CANCELABLE';
    throw toBrokerError(response, `DELETE ${path}`);
  }

  async replaceOrder(id: BrokerOrderId, change: ReplaceOrder): Promise<OrderStatusReport> {
    const path = `/v2/orders/${encodeURIComponent(id)}`;
    const response = await this.http.request('PATCH', 'trading', path, toReplaceRequest(change));
    if (response.status !== 200) throw toBrokerError(response, `PATCH ${path}`);
    return toOrderStatusReport(parseWith(AlpacaOrder, response.body, `PATCH ${path}`));
  }

  async listPositions(): Promise<PositionStatusReport[]> {
    const body = await this.readTrading('/v2/positions');
    return parseWith(AlpacaPosition.array(), body, 'GET /v2/positions').map(toPositionStatusReport);
  }

  async getLatestQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    const quotes = new Map<string, Quote>();
    const unique = [...new Set(symbols)];
    const options = unique.filter((s) => OCC_SYMBOL.test(s));
    const stocks = unique.filter((s) => !OCC_SYMBOL.test(s));
    for (const [path, group] of [['/v2/stocks/quotes/latest', stocks], ['/v1beta1/options/quotes/latest', options]] as const) {
      for (let i = 0; i < group.length; i += MAX_QUOTE_SYMBOLS) {
        const chunk = group.slice(i, i + MAX_QUOTE_SYMBOLS);
        await this.readQuotes(path, chunk, quotes);
      }
    }
    return quotes;
  }

  private async readQuotes(path: string, symbols: string[], into: Map<string, Quote>): Promise<void> {
    const response = await this.http.request('GET', 'data', `${path}?symbols=${symbols.map(encodeURIComponent).join(',')}`);
    if (response.status !== 200) throw toBrokerError(response, `GET ${path}`);
    const parsed = parseWith(AlpacaLatestQuotes, response.body, `GET ${path}`);
    for (const [symbol, quote] of Object.entries(parsed.quotes)) into.set(symbol, toQuote(symbol, quote));
  }

  async getClock(): Promise<MarketClock> {
    return toMarketClock(parseWith(AlpacaClock, await this.readTrading('/v2/clock'), 'GET /v2/clock'));
  }

  async getCalendar(start: string, end: string): Promise<TradingDay[]> {
    const params = new URLSearchParams({ start, end });
    const body = await this.readTrading(`/v2/calendar?${params.toString()}`);
    return parseWith(AlpacaCalendarDay.array(), body, 'GET /v2/calendar').map(toTradingDay);
  }

  async listFills(query: ListFillsQuery): Promise<FillsPage> {
    const pageSize = Math.min(MAX_FILLS_PAGE, Math.max(1, query.pageSize ?? MAX_FILLS_PAGE));
    const params = new URLSearchParams({ direction: query.direction ?? 'asc', page_size: String(pageSize) });
    if (query.after) params.set('after', formatRfc3339(query.after));
    if (query.pageToken) params.set('page_token', query.pageToken);
    const body = await this.readTrading(`/v2/account/activities/FILL?${params.toString()}`);
    const activities = parseWith(AlpacaFillActivity.array(), body, 'GET /v2/account/activities/FILL');
    const last = activities[activities.length - 1];
    return {
      fills: activities.map(toFillReport),
      nextPageToken: last && activities.length === pageSize ? last.id : null,
    };
  }

  streamTradeUpdates(listener: TradeUpdateListener): TradeUpdateSubscription {
    const options = {
      url: this.config.streamUrl,
      keyId: this.config.keyId,
      secretKey: this.config.secretKey,
      policy: { ...DEFAULT_STREAM_POLICY, ...this.config.stream },
      random: this.random,
      logger: this.config.logger,
    };
    return new AlpacaTradeStream(options, listener).start();
  }

  /** GET on the trading API: the JSON body of a 200, null for a 404 when asked, else a thrown error. */
  private async readTrading(path: string, opts: { nullOn404?: boolean } = {}): Promise<unknown> {
    const response = await this.http.request('GET', 'trading', path);
    if (response.status === 200) return response.body;
    if (response.status === 404 && opts.nullOn404) return null;
    throw toBrokerError(response, `GET ${path.split('?')[0] ?? path}`);
  }
}
