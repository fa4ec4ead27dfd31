import { beforeEach, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { NanoTimestamps } from '../clock/timestamps';
import { asOrderId, type PaperOrder } from '../orders/paper-order';
import type { ExchangeContext } from './exchange-context';
import { ExchangeState } from './exchange-state';
import { PaperExchange } from './paper-exchange.service';
import type { Scheduler } from './scheduler';
import type { TradeUpdateEvent } from './trade-update';

/** Runs deferred work only when told, in order. */
class ManualScheduler implements Scheduler {
  private queue: (() => void)[] = [];

  after(_ms: number, task: () => void): void {
    this.queue.push(task);
  }

  cancelAll(): void {
    this.queue = [];
  }

  /** Runs everything queued, including work queued meanwhile. */
  flush(): void {
    while (this.queue.length > 0) this.queue.shift()?.();
  }

  /** Runs only what is queued now. */
  runPending(): void {
    const pending = this.queue;
    this.queue = [];
    for (const task of pending) task();
  }
}

let scheduler: ManualScheduler;
let published: TradeUpdateEvent[];
let exchange: PaperExchange;
let state: ExchangeState;
let ids: number;

function setup(partialFills = 1, feePerUnit = '0'): void {
  scheduler = new ManualScheduler();
  published = [];
  ids = 0;
  state = new ExchangeState('spec', new Map([['AAPL', new Decimal('100.00')]]));
  const ctx: ExchangeContext = {
    state,
    settings: { latencyMs: 0, partialFills, feePerUnit: new Decimal(feePerUnit), marketHours: 'always' },
    timestamps: new NanoTimestamps(() => 1_700_000_000_000),
    nowMs: () => 1_700_000_000_000,
    scheduler,
    newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
    publish: (update) => published.push(update),
  };
  exchange = new PaperExchange(ctx);
}

function submit(body: Record<string, unknown>): PaperOrder {
  const result = exchange.submit({ symbol: 'AAPL', side: 'buy', time_in_force: 'day', ...body });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const events = (order: PaperOrder) => published.filter((u) => u.order.id === order.id).map((u) => u.event);
const fills = (order: PaperOrder) => published.filter((u) => u.order.id === order.id && u.execution);

describe('paper exchange', () => {
  beforeEach(() => setup());

  it('accepts first, then acknowledges and fills a market order at the current price', () => {
    const order = submit({ type: 'market', qty: '10' });
    expect(order.status).toBe('accepted');
    expect(published).toEqual([]);
    scheduler.flush();
    expect(events(order)).toEqual(['new', 'fill']);
    const fill = fills(order)[0];
    expect(fill?.execution?.price.toFixed()).toBe('100');
    expect(fill?.positionQty?.toFixed()).toBe('10');
    expect(state.orders.get(order.id)?.status).toBe('filled');
  });

  it('rests a limit order until the price crosses, then fills at the market price', () => {
    const order = submit({ type: 'limit', qty: '5', limit_price: '99.00', time_in_force: 'gtc' });
    scheduler.flush();
    expect(events(order)).toEqual(['new']);
    exchange.setPrice('AAPL', new Decimal('99.01'));
    expect(events(order)).toEqual(['new']);
    exchange.setPrice('AAPL', new Decimal('98.50'));
    scheduler.flush();
    expect(events(order)).toEqual(['new', 'fill']);
    expect(fills(order)[0]?.execution?.price.toFixed()).toBe('98.5');
  });

  it('splits a match into partial fills that sum to the quantity, with a VWAP average', () => {
    setup(2, '0.01');
    const order = submit({ type: 'limit', qty: '10', limit_price: '101.00' });
    scheduler.runPending();
    exchange.setPrice('AAPL', new Decimal('100.50'));
    scheduler.flush();
    const executions = fills(order).map((u) => u.execution);
    expect(events(order)).toEqual(['new', 'partial_fill', 'fill']);
    expect(executions.map((e) => `${e?.qty.toFixed()}@${e?.price.toFixed()}`)).toEqual(['5@100', '5@100.5']);
    const done = state.orders.get(order.id);
    expect(done?.filledQty.toFixed()).toBe('10');
    expect(done?.filledAvgPrice?.toFixed()).toBe('100.25');
    expect(done?.commission.toFixed()).toBe('0.1');
    expect(state.activities.size).toBe(2);
  });

  it('stops filling when the price moves away mid-way and resumes when it comes back', () => {
    setup(2);
    const order = submit({ type: 'limit', qty: '4', limit_price: '100.00', time_in_force: 'gtc' });
    scheduler.runPending();
    exchange.setPrice('AAPL', new Decimal('100.10'));
    scheduler.flush();
    expect(state.orders.get(order.id)?.status).toBe('partially_filled');
    exchange.setPrice('AAPL', new Decimal('99.90'));
    scheduler.flush();
    expect(state.orders.get(order.id)?.filledQty.toFixed()).toBe('4');
    expect(state.orders.get(order.id)?.status).toBe('filled');
  });

  it('refuses a reused client order id, even after the order is done', () => {
    submit({ type: 'market', qty: '1', client_order_id: 'abc' });
    scheduler.flush();
    const again = exchange.submit({ symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', time_in_force: 'day', client_order_id: 'abc' });
    expect(again).toEqual({ ok: false, error: { code: 'DUPLICATE_CLIENT_ORDER_ID', message: 'client_order_id must be unique' } });
  });

  it('cancels asynchronously and refuses to cancel a terminal order', () => {
    const order = submit({ type: 'limit', qty: '1', limit_price: '90.00', time_in_force: 'gtc' });
    scheduler.flush();
    expect(exchange.cancel(order.id).ok).toBe(true);
    expect(state.orders.get(order.id)?.status).toBe('pending_cancel');
    scheduler.flush();
    expect(events(order)).toEqual(['new', 'canceled']);
    expect(exchange.cancel(order.id)).toMatchObject({ ok: false, error: { code: 'NOT_CANCELABLE' } });
    expect(exchange.cancel(asOrderId('nope'))).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_FOUND' } });
  });

  it('replaces with a new id: the old order ends replaced, then the new one is acknowledged', () => {
    const old = submit({ type: 'limit', qty: '3', limit_price: '90.00', time_in_force: 'gtc' });
    scheduler.flush();
    const result = exchange.replace(old.id, { limit_price: '95.00' });
    if (!result.ok) throw new Error(result.error.message);
    const replacement = result.value;
    expect(replacement.replaces).toBe(old.id);
    expect(state.orders.get(old.id)?.status).toBe('pending_replace');
    expect(exchange.cancel(old.id)).toMatchObject({ ok: false, error: { code: 'NOT_CANCELABLE' } });
    scheduler.flush();
    expect(published.slice(-2).map((u) => [u.event, u.order.id])).toEqual([
      ['replaced', old.id],
      ['new', replacement.id],
    ]);
    expect(state.orders.get(old.id)?.replacedBy).toBe(replacement.id);
  });

  it('expires an IOC limit order that cannot trade at once', () => {
    const order = submit({ type: 'limit', qty: '1', limit_price: '50.00', time_in_force: 'ioc' });
    scheduler.flush();
    expect(events(order)).toEqual(['new', 'expired']);
  });

  it('rejects invalid orders with Alpaca codes', () => {
    const subPenny = exchange.submit({ symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limit_price: '1.001', time_in_force: 'day' });
    expect(subPenny).toMatchObject({ ok: false, error: { code: 'SUB_PENNY_PRICE' } });
    const both = exchange.submit({ symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', notional: '10', time_in_force: 'day' });
    expect(both).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const numeric = exchange.submit({ symbol: 'AAPL', side: 'buy', type: 'market', qty: 1, time_in_force: 'day' });
    expect(numeric).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});

describe('stop orders', () => {
  beforeEach(() => {
    setup();
    exchange.setPrice('AAPL', new Decimal('183.00'));
  });

  const order = (o: PaperOrder) => state.orders.get(o.id);

  it('rests a sell stop above the price, then triggers and fills at the current price once it falls through', () => {
    const stop = submit({ side: 'sell', type: 'stop', qty: '5', stop_price: '182.00', time_in_force: 'gtc' });
    scheduler.flush();
    expect(events(stop)).toEqual(['new']);
    expect(order(stop)?.status).toBe('new');
    exchange.setPrice('AAPL', new Decimal('182.01'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new']);
    exchange.setPrice('AAPL', new Decimal('181.99'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new', 'fill']);
    expect(fills(stop)[0]?.execution?.price.toFixed()).toBe('181.99');
    expect(fills(stop)[0]?.positionQty?.toFixed()).toBe('-5');
    expect(order(stop)?.status).toBe('filled');
  });

  it('rests a buy stop below the price and triggers it when the price rises to the stop', () => {
    const stop = submit({ side: 'buy', type: 'stop', qty: '2', stop_price: '184.00' });
    scheduler.flush();
    exchange.setPrice('AAPL', new Decimal('183.99'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new']);
    exchange.setPrice('AAPL', new Decimal('184.00'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new', 'fill']);
    expect(fills(stop)[0]?.execution?.price.toFixed()).toBe('184');
  });

  it('triggers on submission when the price is already through the stop', () => {
    const stop = submit({ side: 'sell', type: 'stop', qty: '1', stop_price: '185.00' });
    scheduler.flush();
    expect(events(stop)).toEqual(['new', 'fill']);
    expect(fills(stop)[0]?.execution?.price.toFixed()).toBe('183');
  });

  it('triggers a stop_limit, then rests it as a limit until the limit is marketable', () => {
    const stop = submit({ side: 'sell', type: 'stop_limit', qty: '3', stop_price: '182.00', limit_price: '181.50', time_in_force: 'gtc' });
    scheduler.flush();
    exchange.setPrice('AAPL', new Decimal('181.00'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new']);
    expect(order(stop)?.triggeredAt).not.toBeNull();
    // Back above the stop: a triggered order does not wait for the stop again.
    exchange.setPrice('AAPL', new Decimal('183.00'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new', 'fill']);
    expect(fills(stop)[0]?.execution?.price.toFixed()).toBe('183');
  });

  it('fills a triggered buy stop_limit no higher than its limit', () => {
    const stop = submit({ side: 'buy', type: 'stop_limit', qty: '3', stop_price: '184.00', limit_price: '184.50', time_in_force: 'gtc' });
    scheduler.flush();
    exchange.setPrice('AAPL', new Decimal('185.00'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new']);
    exchange.setPrice('AAPL', new Decimal('184.40'));
    scheduler.flush();
    expect(fills(stop).map((u) => u.execution?.price.toFixed())).toEqual(['184.4']);
  });

  it('splits a triggered stop into partial fills like any other order', () => {
    setup(3);
    exchange.setPrice('AAPL', new Decimal('183.00'));
    const stop = submit({ side: 'sell', type: 'stop', qty: '10', stop_price: '182.00' });
    scheduler.flush();
    exchange.setPrice('AAPL', new Decimal('181.00'));
    scheduler.flush();
    expect(events(stop)).toEqual(['new', 'partial_fill', 'partial_fill', 'fill']);
    expect(fills(stop).map((u) => u.execution?.qty.toFixed())).toEqual(['4', '3', '3']);
  });

  it('replaces the stop price of an untriggered stop with a new order, and cancels it', () => {
    const old = submit({ side: 'sell', type: 'stop', qty: '5', stop_price: '182.00', time_in_force: 'gtc' });
    scheduler.flush();
    const result = exchange.replace(old.id, { stop_price: '180.00', qty: '4' });
    if (!result.ok) throw new Error(result.error.message);
    const replacement = result.value;
    expect(replacement).toMatchObject({ replaces: old.id, type: 'stop' });
    expect(replacement.stopPrice?.toFixed()).toBe('180');
    scheduler.flush();
    expect(order(old)).toMatchObject({ status: 'replaced', replacedBy: replacement.id });
    exchange.setPrice('AAPL', new Decimal('181.00'));
    scheduler.flush();
    expect(events(replacement)).toEqual(['new']);
    expect(exchange.cancel(replacement.id).ok).toBe(true);
    scheduler.flush();
    expect(events(replacement)).toEqual(['new', 'canceled']);
  });

  it('replaces the limit price of a stop_limit and refuses a limit price on a stop', () => {
    const stopLimit = submit({ side: 'sell', type: 'stop_limit', qty: '1', stop_price: '182.00', limit_price: '181.00' });
    const stop = submit({ side: 'sell', type: 'stop', qty: '1', stop_price: '182.00', client_order_id: 'plain-stop' });
    scheduler.flush();
    const replaced = exchange.replace(stopLimit.id, { limit_price: '181.50' });
    expect(replaced.ok && replaced.value.limitPrice?.toFixed()).toBe('181.5');
    expect(exchange.replace(stop.id, { limit_price: '181.50' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('validates stop prices', () => {
    const base = { symbol: 'AAPL', side: 'sell', qty: '1', time_in_force: 'day' };
    const refused = (body: Record<string, unknown>) => {
      const result = exchange.submit({ ...base, ...body });
      return result.ok ? 'accepted' : result.error.code;
    };
    expect(refused({ type: 'stop' })).toBe('INVALID_REQUEST');
    expect(refused({ type: 'stop', stop_price: '0' })).toBe('INVALID_REQUEST');
    expect(refused({ type: 'stop', stop_price: 182 })).toBe('INVALID_REQUEST');
    expect(refused({ type: 'stop', stop_price: '182.001' })).toBe('SUB_PENNY_PRICE');
    expect(refused({ type: 'stop_limit', stop_price: '182.00' })).toBe('INVALID_REQUEST');
    expect(refused({ type: 'stop', stop_price: '182.00', limit_price: '181.00' })).toBe('INVALID_REQUEST');
    expect(refused({ type: 'limit', limit_price: '181.00', stop_price: '182.00' })).toBe('INVALID_REQUEST');
    expect(refused({ type: 'stop', stop_price: '182.00', time_in_force: 'ioc' })).toBe('INVALID_REQUEST');
    expect(refused({ type: 'trailing_stop', trail_percent: '1' })).toBe('UNSUPPORTED');
    expect(refused({ type: 'stop_limit', stop_price: '0.5001', limit_price: '0.50' })).toBe('accepted');
  });
});
