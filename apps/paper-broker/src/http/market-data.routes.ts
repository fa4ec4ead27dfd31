/** Market data (latest quotes) and the market clock and calendar. */
import { easternDate, formatEastern } from '../clock/eastern-time';
import { readClock, type MarketHours } from '../clock/market-clock';
import { everyDayBetween, nextSessionAfter, sessionsBetween } from '../clock/nyse-calendar';
import { formatNs } from '../clock/timestamps';
import { tickSizeFor } from '../market/price-path';
import type { SimulatedMarket } from '../market/simulated-market';
import { errorResponse, json, type ApiRequest, type ApiResponse, type Route } from './api';

export interface MarketDataDeps {
  market: SimulatedMarket;
  marketHours: MarketHours;
  /** `nyse`: the exchange's sessions; `every-day`: every date 00:00-23:59. */
  calendar: 'nyse' | 'every-day';
  nowMs: () => number;
  nowNs: () => bigint;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_CALENDAR_DAYS = 3660;
const QUOTE_SIZE = 100;
const SYMBOL = /^[A-Z0-9][A-Z0-9./-]{0,31}$/;

function symbolsOf(request: ApiRequest): string[] | null {
  const raw = request.query.get('symbols');
  if (!raw) return null;
  return [...new Set(raw.split(',').map((s) => s.trim()).filter((s) => SYMBOL.test(s)))];
}

/** Bid one tick under and ask one tick over the simulated price. Prices are JSON numbers at Alpaca. */
function quoteOf(deps: MarketDataDeps, symbol: string): Record<string, unknown> {
  const { price, at } = deps.market.priceOf(symbol, deps.nowNs());
  const tick = tickSizeFor(price);
  const bid = price.minus(tick);
  return {
    t: formatNs(at),
    bx: 'V',
    bp: Number((bid.gt(0) ? bid : price).toFixed()),
    bs: QUOTE_SIZE,
    ax: 'V',
    ap: Number(price.plus(tick).toFixed()),
    as: QUOTE_SIZE,
    c: ['R'],
    z: 'C',
  };
}

function latestQuotes(deps: MarketDataDeps, request: ApiRequest, knownOnly: boolean): ApiResponse {
  const symbols = symbolsOf(request);
  if (!symbols) return errorResponse({ code: 'MALFORMED_REQUEST', message: 'missing symbols' });
  // Option contracts nobody priced or traded have no data and are left out, as at Alpaca.
  const served = knownOnly ? symbols.filter((s) => deps.market.knows(s)) : symbols;
  return json({ quotes: Object.fromEntries(served.map((s) => [s, quoteOf(deps, s)])) });
}

function clock(deps: MarketDataDeps): ApiResponse {
  const reading = readClock(deps.nowMs(), deps.marketHours);
  return json({
    timestamp: formatEastern(reading.atMs),
    is_open: reading.isOpen,
    next_open: formatEastern(reading.nextOpenMs),
    next_close: formatEastern(reading.nextCloseMs),
  });
}

function calendar(deps: MarketDataDeps, request: ApiRequest): ApiResponse {
  const today = easternDate(deps.nowMs());
  const start = request.query.get('start') || today;
  const end = request.query.get('end') || today;
  if (!DATE.test(start) || !DATE.test(end)) {
    return errorResponse({ code: 'INVALID_REQUEST', message: 'start and end must be YYYY-MM-DD' });
  }
  const days = (Date.parse(end) - Date.parse(start)) / 86_400_000;
  if (Number.isNaN(days) || days > MAX_CALENDAR_DAYS) {
    return errorResponse({ code: 'INVALID_REQUEST', message: `at most ${MAX_CALENDAR_DAYS} days per request` });
  }
  return json(
    (deps.calendar === 'every-day' ? everyDayBetween(start, end) : sessionsBetween(start, end)).map((s) => ({
      date: s.date,
      open: s.open,
      close: s.close,
      session_open: '0400',
      session_close: '2000',
      settlement_date: nextSessionAfter(s.date).date,
    })),
  );
}

export function marketDataRoutes(deps: MarketDataDeps): Route[] {
  return [
    { method: 'GET', pattern: /^\/v2\/stocks\/quotes\/latest$/, handler: (r) => latestQuotes(deps, r, false) },
    { method: 'GET', pattern: /^\/v1beta1\/options\/quotes\/latest$/, handler: (r) => latestQuotes(deps, r, true) },
    { method: 'GET', pattern: /^\/v2\/clock$/, handler: () => clock(deps) },
    { method: 'GET', pattern: /^\/v2\/calendar$/, handler: (r) => calendar(deps, r) },
  ];
}
