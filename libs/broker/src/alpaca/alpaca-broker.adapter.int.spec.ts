/**
 * The real Alpaca adapter against the paper broker, started in-process on a free port: HTTP and the
 * trade_updates WebSocket end to end. The paper broker comes in through test/paper-broker.fixture.ts
 * (it stands in for Alpaca); the library's own code never depends on it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import {
  accepted,
  adapterConfig,
  admin,
  Collector,
  order,
  startBroker,
  waitFor,
  type FaultInjector,
  type PaperBrokerHandle,
} from '../../test/paper-broker.fixture';
import { brokerOrderId, newClientOrderId } from '../broker-ids';
import type { BrokerPort, TradeUpdateSubscription } from '../broker.port';
import { createBroker } from '../broker.factory';
import { BrokerError } from '../errors';
import type { FillReport, TradeUpdate } from '../reports';

jest.setTimeout(20_000);

describe('Alpaca adapter against the paper broker', () => {
  let paper: PaperBrokerHandle;
  let broker: BrokerPort;
  let collector: Collector;
  let subscription: TradeUpdateSubscription;

  beforeAll(async () => {
    paper = await startBroker({});
    broker = createBroker(adapterConfig(paper, { ordersPageSize: 3 }));
    collector = new Collector();
    subscription = broker.streamTradeUpdates(collector);
    await waitFor(() => subscription.isHealthy(), 'the stream to connect');
  });

  afterAll(async () => {
    await subscription.close();
    await paper.close();
  });

  it('submits a market order: ACCEPTED, then new and fill on the stream with an execution id', async () => {
    const command = order();
    const result = await broker.submitOrder(command);
    expect(result.outcome).toBe('ACCEPTED');
    if (result.outcome !== 'ACCEPTED') return;
    expect(result.order.clientOrderId).toBe(command.clientOrderId);
    expect(['ACCEPTED', 'NEW']).toContain(result.order.status);
    expect(result.order.filledQuantity.isZero()).toBe(true);
    const id = result.order.brokerOrderId;
    await waitFor(() => collector.eventsOf(id).includes('fill'), 'the fill');
    expect(collector.eventsOf(id)).toEqual(['new', 'fill']);
    const fill = collector.of(id)[1];
    expect(fill?.fill?.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fill?.fill?.quantity.toFixed()).toBe('10');
    expect(fill?.fill?.price.toFixed()).toBe('100');
    expect(fill?.fill?.cumulativeQuantity.toFixed()).toBe('10');
    expect(fill?.fill?.leavesQuantity.toFixed()).toBe('0');
    expect(fill?.order.status).toBe('FILLED');
    expect(fill?.positionQuantity?.toFixed()).toBe('10');
    const stored = await broker.getOrder(id);
    expect(stored?.status).toBe('FILLED');
    expect(stored?.averageFillPrice?.toFixed()).toBe('100');
  });

  it('refuses a reused client order id, even of a filled order', async () => {
    const command = order();
    const id = await accepted(broker, command);
    await waitFor(() => collector.eventsOf(id).includes('fill'), 'the fill');
    expect(await broker.submitOrder(command)).toEqual({ outcome: 'DUPLICATE_CLIENT_ORDER_ID' });
    expect((await broker.getOrderByClientOrderId(command.clientOrderId))?.brokerOrderId).toBe(id);
  });

  it('answers null for unknown orders', async () => {
    expect(await broker.getOrderByClientOrderId(newClientOrderId('never-sent'))).toBeNull();
    expect(await broker.getOrder(brokerOrderId('00000000-0000-4000-8000-000000000000'))).toBeNull();
  });

  it('rejects what Alpaca rejects, with its codes', async () => {
    const result = await broker.submitOrder(order({ orderType: 'LIMIT', limitPrice: new Decimal('99.999') }));
    expect(result).toMatchObject({ outcome: 'REJECTED', httpStatus: 422, brokerCode: '42210000', code: 'UNPROCESSABLE' });
  });

  it('cancels a resting limit order: REQUESTED, then canceled on the stream', async () => {
    const id = await accepted(broker, order({ orderType: 'LIMIT', limitPrice: new Decimal('90'), timeInForce: 'GTC' }));
    await waitFor(() => collector.eventsOf(id).includes('new'), 'new');
    expect(await broker.cancelOrder(id)).toBe('REQUESTED');
    await waitFor(() => collector.eventsOf(id).includes('canceled'), 'canceled');
    expect(collector.eventsOf(id)).toEqual(['new', 'canceled']);
    expect((await broker.getOrder(id))?.status).toBe('CANCELED');
    expect(await broker.cancelOrder(id)).toBe('NOT_CANCELABLE');
    expect(await broker.cancelOrder(brokerOrderId('00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
  });

  it('expires an IOC limit order that cannot trade', async () => {
    const id = await accepted(broker, order({ orderType: 'LIMIT', limitPrice: new Decimal('50'), timeInForce: 'IOC' }));
    await waitFor(() => collector.eventsOf(id).includes('expired'), 'expired');
    expect((await broker.getOrder(id))?.status).toBe('EXPIRED');
  });

  it('replaces an order with a new id linked by replaces, and fills it when the price crosses', async () => {
    const oldId = await accepted(broker, order({ symbol: 'MSFT', orderType: 'LIMIT', limitPrice: new Decimal('190'), timeInForce: 'GTC' }));
    await waitFor(() => collector.eventsOf(oldId).includes('new'), 'new');
    const replacement = await broker.replaceOrder(oldId, { limitPrice: new Decimal('195'), quantity: new Decimal(4) });
    expect(replacement.brokerOrderId).not.toBe(oldId);
    expect(replacement.replaces).toBe(oldId);
    expect(replacement.limitPrice?.toFixed()).toBe('195');
    const newId = replacement.brokerOrderId;
    await waitFor(() => collector.eventsOf(newId).includes('new'), 'new of the replacement');
    const replaced = collector.of(oldId).find((u) => u.event === 'replaced');
    expect(replaced?.order.status).toBe('REPLACED');
    expect(replaced?.order.replacedBy).toBe(newId);
    expect(collector.updates.indexOf(replaced as TradeUpdate)).toBeLessThan(collector.updates.findIndex((u) => u.order.brokerOrderId === newId));

    await admin(paper, 'prices', { symbol: 'MSFT', price: '194.50' });
    await waitFor(() => collector.eventsOf(newId).includes('fill'), 'the fill of the replacement');
    const fill = collector.of(newId).find((u) => u.event === 'fill')?.fill;
    expect(fill?.price.toFixed()).toBe('194.5');
    expect(fill?.quantity.toFixed()).toBe('4');
  });

  it('lists positions, signed, and pages FILL activities matching the stream executions', async () => {
    const sell = await accepted(broker, order({ symbol: 'TSLA', side: 'SELL', quantity: new Decimal(3) }));
    await waitFor(() => collector.eventsOf(sell).includes('fill'), 'the short fill');
    const positions = await broker.listPositions();
    const tsla = positions.find((p) => p.symbol === 'TSLA');
    expect(tsla?.quantity.toFixed()).toBe('-3');
    expect(tsla?.averageEntryPrice.toFixed()).toBe('250');
    expect(positions.find((p) => p.symbol === 'AAPL')?.quantity.gt(0)).toBe(true);

    const fills: FillReport[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await broker.listFills({ pageSize: 2, pageToken });
      fills.push(...page.fills);
      pages += 1;
      if (!page.nextPageToken) break;
      pageToken = page.nextPageToken;
    }
    const streamed = collector.updates.flatMap((u) => (u.fill ? [u.fill.executionId] : []));
    expect(pages).toBeGreaterThan(1);
    expect(fills.map((f) => f.executionId)).toEqual(streamed);
    expect(new Set(fills.map((f) => f.activityId)).size).toBe(fills.length);
    expect(fills.every((f) => /^\d{17}::[0-9a-f-]{36}$/.test(f.activityId ?? ''))).toBe(true);
  });

  it('pages through orders by moving the time bound, without duplicates, both directions', async () => {
    const everything = await broker.listOrders({ status: 'all' });
    const ids = everything.map((o) => o.brokerOrderId);
    expect(ids.length).toBeGreaterThan(6);
    expect(new Set(ids).size).toBe(ids.length);
    const times = everything.map((o) => o.submittedAtRaw ?? '');
    expect([...times].sort().reverse()).toEqual(times);
    const ascending = await broker.listOrders({ status: 'all', direction: 'asc' });
    expect(ascending.map((o) => o.brokerOrderId)).toEqual([...ids].reverse());
    expect((await broker.listOrders({ status: 'all', limit: 4 })).map((o) => o.brokerOrderId)).toEqual(ids.slice(0, 4));
    const open = await broker.listOrders({ status: 'open' });
    expect(open.every((o) => ['NEW', 'ACCEPTED', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE'].includes(o.status))).toBe(true);
  });

  it('reads quotes, clock and calendar', async () => {
    const quotes = await broker.getLatestQuotes(['AAPL', 'MSFT', 'AAPL240119C00100000']);
    expect(quotes.get('AAPL')?.bid?.toFixed()).toBe('99.99');
    expect(quotes.get('AAPL')?.ask?.toFixed()).toBe('100.01');
    expect(quotes.has('AAPL240119C00100000')).toBe(false);
    expect((await broker.getClock()).isOpen).toBe(true);
    const days = await broker.getCalendar('2026-11-23', '2026-11-30');
    expect(days.map((d) => d.date)).not.toContain('2026-11-26');
    expect(days.find((d) => d.date === '2026-11-27')?.close).toBe('13:00');
  });

  it('reconnects after the server drops the stream, and keeps delivering', async () => {
    const before = collector.states.length;
    await admin(paper, 'stream/drop');
    await waitFor(() => collector.states.slice(before).includes('DISCONNECTED'), 'DISCONNECTED');
    await waitFor(() => collector.states.slice(before).includes('CONNECTED') && subscription.isHealthy(), 'CONNECTED again');
    expect(collector.states.slice(before)).toEqual(['DISCONNECTED', 'CONNECTING', 'CONNECTED']);
    const id = await accepted(broker, order());
    await waitFor(() => collector.eventsOf(id).includes('fill'), 'a fill after the reconnect');
  });

  it('ignored every heartbeat and understood every frame', () => {
    expect(collector.errors).toEqual([]);
  });
});

describe('partial fills', () => {
  let paper: PaperBrokerHandle;
  let broker: BrokerPort;
  let collector: Collector;
  let subscription: TradeUpdateSubscription;

  beforeAll(async () => {
    paper = await startBroker({ PAPER_BROKER_PARTIAL_FILLS: '3', PAPER_BROKER_FEE_PER_UNIT: '0.005' });
    broker = createBroker(adapterConfig(paper));
    collector = new Collector();
    subscription = broker.streamTradeUpdates(collector);
    await waitFor(() => subscription.isHealthy(), 'the stream to connect');
  });

  afterAll(async () => {
    await subscription.close();
    await paper.close();
  });

  it('reports each execution with cumulative quantities, unique execution ids and per-fill fees', async () => {
    const id = await accepted(broker, order());
    await waitFor(() => collector.eventsOf(id).includes('fill'), 'the final fill');
    const updates = collector.of(id);
    expect(updates.map((u) => u.event)).toEqual(['new', 'partial_fill', 'partial_fill', 'fill']);
    const fills = updates.flatMap((u) => (u.fill ? [u.fill] : []));
    expect(fills.map((f) => f.quantity.toFixed())).toEqual(['4', '3', '3']);
    expect(fills.map((f) => f.cumulativeQuantity.toFixed())).toEqual(['4', '7', '10']);
    expect(fills.map((f) => f.leavesQuantity.toFixed())).toEqual(['6', '3', '0']);
    expect(fills.map((f) => f.orderStatus)).toEqual(['PARTIALLY_FILLED', 'PARTIALLY_FILLED', 'FILLED']);
    expect(fills.map((f) => f.fee.toFixed())).toEqual(['0.02', '0.015', '0.015']);
    expect(new Set(fills.map((f) => f.executionId)).size).toBe(3);
    expect(updates.map((u) => u.positionQuantity?.toFixed() ?? null)).toEqual([null, '4', '7', '10']);
    const rest = await broker.listFills({});
    expect(rest.fills.map((f) => f.cumulativeQuantity.toFixed())).toEqual(['4', '7', '10']);
    expect(rest.nextPageToken).toBeNull();
  });
});

describe('failures', () => {
  let paper: PaperBrokerHandle;

  beforeAll(async () => {
    const pinned = Date.parse('2026-11-24T15:00:30Z');
    paper = await startBroker({ PAPER_BROKER_RATE_LIMIT_PER_MINUTE: '3' }, { nowMs: () => pinned });
  });

  afterAll(async () => {
    await paper.close();
  });

  it('refuses bad keys with 401 on REST and unauthorized on the stream', async () => {
    const broker = createBroker(adapterConfig(paper, { keyId: 'wrong', secretKey: 'wrong' }));
    const error = await broker.listPositions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, retriable: false, brokerCode: '40110000' });
    expect(await broker.submitOrder(order())).toMatchObject({ outcome: 'REJECTED', httpStatus: 401 });
    const collector = new Collector();
    const subscription = broker.streamTradeUpdates(collector);
    await waitFor(() => collector.errors.find((e) => e.code === 'STREAM_UNAUTHORIZED'), 'the unauthorized reply');
    expect(subscription.isHealthy()).toBe(false);
    await subscription.close();
  });

  it('turns exhausted rate-limit retries into an error on reads and UNKNOWN on submits', async () => {
    const broker = createBroker(adapterConfig(paper));
    for (let i = 0; i < 3; i += 1) await broker.getClock();
    const error = await broker.getClock().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, retriable: true });
    expect((await broker.submitOrder(order())).outcome).toBe('UNKNOWN');
  });

  it('calls a submit that got no answer UNKNOWN', async () => {
    const broker = createBroker({ ...adapterConfig(paper), baseUrl: 'http://127.0.0.1:1' });
    const result = await broker.submitOrder(order());
    expect(result.outcome).toBe('UNKNOWN');
  });
});

describe('transient failures', () => {
  const attempts = new Map<string, number>();
  /** 503 for the first GET /v2/clock and every POST /v2/orders; a slow answer for /v2/positions. */
  const faults: FaultInjector = {
    interceptRequest: (method, path) => {
      const key = `${method} ${path}`;
      const seen = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, seen);
      if (key === 'GET /v2/clock' && seen === 1) return { status: 503, body: { message: 'service unavailable' } };
      if (key === 'POST /v2/orders') return { status: 503, body: { message: 'service unavailable' } };
      if (key === 'GET /v2/positions') return { status: 200, body: [], delayMs: 300 };
      return null;
    },
    copiesOf: () => 1,
  };
  let paper: PaperBrokerHandle;

  beforeAll(async () => {
    paper = await startBroker({}, { faults });
  });

  afterAll(async () => {
    await paper.close();
  });

  it('retries a read after a 5xx but never repeats a submit: its outcome is UNKNOWN', async () => {
    const broker = createBroker(adapterConfig(paper));
    expect((await broker.getClock()).isOpen).toBe(true);
    expect(attempts.get('GET /v2/clock')).toBe(2);
    expect(await broker.submitOrder(order())).toMatchObject({ outcome: 'UNKNOWN' });
    expect(attempts.get('POST /v2/orders')).toBe(1);
  });

  it('gives up on a read that times out with a retriable TIMEOUT', async () => {
    const broker = createBroker(adapterConfig(paper, { requestTimeoutMs: 50 }));
    const error = await broker.listPositions().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', retriable: true, httpStatus: null });
    expect(attempts.get('GET /v2/positions')).toBe(2);
  });
});
