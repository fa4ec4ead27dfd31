import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ModuleRef } from '@nestjs/core';
import { brokerOrderId as brokerOrderIdOf, createBroker, type BrokerPort } from '@tlp/broker';
import { appendToOutbox, sqlOf } from '@tlp/messaging';
import { databaseOrmOptions, FixedClock } from '@tlp/service-runtime';
import { createTestDatabase, type TestDatabase } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { Registry } from 'prom-client';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test fixture: the simulator that stands in for Alpaca
import { loadPaperBrokerConfig } from '../../../paper-broker/src/paper-broker.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test fixture: the simulator that stands in for Alpaca
import { startPaperBroker, type PaperBrokerHandle } from '../../../paper-broker/src/paper-broker.server';
import { Migration0001Initial } from '../migrations/migration-0001-initial';
import { Migration0002OrderLifecycle } from '../migrations/migration-0002-order-lifecycle';
import { Migration0003Trades } from '../migrations/migration-0003-trades';
import { Migration0004OcoExits } from '../migrations/migration-0004-oco-exits';
import { FillsService } from '../orders/fills.service';
import { OrderMonitorMetrics } from '../orders/order-monitor.metrics';
import { TrackedOrder } from '../orders/tracked-order.entity';
import { exitClientOrderIdOf, exitOrderIdOf, type TradeCommand } from './exit-plan';
import { ExitOrdersService } from './exit-orders.service';
import { TradesRepository } from './trades.repository';
import { TradesService, type TradeOutcome } from './trades.service';

describe('trades against PostgreSQL and the paper broker', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let paper: PaperBrokerHandle;
  let broker: BrokerPort;
  let trades: TradesService;
  let exits: ExitOrdersService;
  const registry = new Registry();
  const clock = new FixedClock('2026-03-02T15:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('om_trades');
    orm = await MikroORM.init({
      ...databaseOrmOptions({
        service: 'order-monitor',
        clientUrl: db.url,
        entities: [TrackedOrder],
        migrations: [
          { name: '0001-initial', class: Migration0001Initial },
          { name: '0002-order-lifecycle', class: Migration0002OrderLifecycle },
          { name: '0003-trades', class: Migration0003Trades },
          { name: '0004-oco-exits', class: Migration0004OcoExits },
        ],
      }),
      allowGlobalContext: false,
    });
    await orm.getMigrator().up();
    paper = await startPaperBroker(
      loadPaperBrokerConfig({
        PAPER_BROKER_PORT: '0',
        PAPER_BROKER_TICK_MS: '0',
        PAPER_BROKER_LATENCY_MS: '5',
        PAPER_BROKER_HEARTBEAT_MS: '20',
        PAPER_BROKER_RATE_LIMIT_PER_MINUTE: '100000',
        PAPER_BROKER_SEED: 'trades-int',
        PAPER_BROKER_PRICES: 'AAPL:100.00',
      }),
    );
    broker = createBroker({
      baseUrl: paper.url,
      dataBaseUrl: paper.url,
      streamUrl: paper.wsUrl,
      keyId: 'paper-key',
      secretKey: 'paper-secret',
      requestTimeoutMs: 2000,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
      maxRateLimitWaitMs: 20,
      stream: { reconnectBaseDelayMs: 20, reconnectMaxDelayMs: 200, pingIntervalMs: 1000, handshakeTimeoutMs: 2000 },
    });
    const repository = new TradesRepository();
    trades = new TradesService(repository, registry);
    let fills: FillsService | null = null;
    const moduleRef = { get: () => fills } as unknown as ModuleRef;
    exits = new ExitOrdersService(orm, broker, clock, trades, repository, moduleRef, { cancelConfirmTimeoutMs: 3000 });
    fills = new FillsService(orm, clock, new OrderMonitorMetrics(new Registry()), trades, exits);
  });

  afterAll(async () => {
    await paper?.close();
    await orm?.close(true);
    await db?.drop();
  });

  /** Runs a trades method inside a transaction like the orders code will, appending its events to the outbox. */
  async function inTransaction(fn: (order: TrackedOrder, em: Parameters<TradesService['onFillApplied']>[0]) => Promise<TradeOutcome>, orderId: string, change: Partial<TrackedOrder> = {}): Promise<TradeCommand[]> {
    return orm.em.fork().transactional(async (em) => {
      const order = await em.findOneOrFail(TrackedOrder, orderId);
      Object.assign(order, change);
      await em.flush();
      const outcome = await fn(order, em);
      await appendToOutbox(sqlOf(em), outcome.events);
      return outcome.commands;
    });
  }

  async function trackEntry(tradeId: string, tradeStyle: 'SWING' | 'DAY' = 'SWING'): Promise<string> {
    const orderId = randomUUID();
    const ref = {
      orderId,
      clientOrderId: `tlp-${orderId.replaceAll('-', '')}`,
      brokerOrderId: null,
      broker: 'alpaca',
      decisionId: randomUUID(),
      tradeId,
      legNumber: null,
      purpose: 'ENTRY' as const,
      accountId: 'acc-int',
      ownerId: 'user-int',
      instrument: { symbol: 'AAPL', assetClass: 'EQUITY' as const, multiplier: '1' },
      side: 'BUY' as const,
      quantity: '10',
      orderType: 'LIMIT' as const,
      limitPrice: '100',
      stopPrice: null,
      timeInForce: 'DAY' as const,
    };
    await orm.em.fork().transactional(async (em) => {
      const order = em.create(TrackedOrder, { orderId, clientOrderId: ref.clientOrderId, brokerOrderId: null, ref, quantity: '10', correlationId: randomUUID(), submittedAt: clock.now(), updatedAt: clock.now() });
      await em.flush();
      await trades.onEntrySubmitted(em, order, { tradeStyle, plannedEntryPrice: '100', plannedStopLoss: '90', plannedTakeProfit: '110' }, clock.now());
    });
    return orderId;
  }

  const fill = (quantity: number, price: string) => ({ quantity: new Decimal(quantity), price: new Decimal(price), fee: new Decimal(0), cumulativeQuantity: new Decimal(quantity), at: clock.now() });
  const tradeRow = async (tradeId: string) =>
    (await orm.em.fork().getConnection().execute<{ status: string; exit_reason: string | null; realized_pnl_gross: string }[]>('SELECT status, exit_reason, realized_pnl_gross::text FROM trades WHERE trade_id = ?', [tradeId]))[0];
  const outboxTypes = async () => (await orm.em.fork().getConnection().execute<{ event_type: string; payload: string }[]>('SELECT event_type, payload FROM messaging_outbox ORDER BY id'));

  it('places the native OCO once with deterministic client ids, even run twice and after a crash before settle; confirms the sibling cancel and closes the trade', async () => {
    const tradeId = randomUUID();
    const entryId = await trackEntry(tradeId);

    const commands = await inTransaction((order, em) => trades.onFillApplied(em, order, fill(10, '100'), clock.now()), entryId, { status: 'FILLED', filledQuantity: '10', averageFillPrice: '100' });
    expect(commands).toEqual([{ kind: 'PLACE_EXITS', tradeId }]);
    expect((await tradeRow(tradeId))?.status).toBe('POSITION');

    await exits.execute(commands);
    expect(await exits.placeExits(tradeId)).toEqual([]);
    // A crash after submitOrder and before the settle commit: the rows are still PENDING.
    await orm.em.fork().getConnection().execute(`UPDATE exit_orders SET submission_state = 'PENDING' WHERE trade_id = ?`, [tradeId]);
    expect(await exits.placeExits(tradeId)).toEqual(['ACCEPTED', 'ACCEPTED']);
    expect(await exits.resolveInDoubt()).toEqual({ resolved: 0, cancels: 0 });

    const sl = exitClientOrderIdOf(tradeId, 'STOP_LOSS', 1);
    const tp = exitClientOrderIdOf(tradeId, 'TAKE_PROFIT', 1);
    const exitOrders = (await orm.em.fork().find(TrackedOrder, {})).filter((o) => o.ref.tradeId === tradeId && o.ref.purpose !== 'ENTRY');
    expect(exitOrders.map((o) => `${o.ref.purpose} ${o.clientOrderId} ${o.brokerOrderId ? 'acked' : 'none'}`).sort()).toEqual([`STOP_LOSS ${sl} acked`, `TAKE_PROFIT ${tp} acked`]);
    const slBrokerId = exitOrders.find((o) => o.clientOrderId === sl)?.brokerOrderId;
    const mine = (await broker.listOrders({ status: 'all' })).filter((o) => o.clientOrderId === tp || o.brokerOrderId === slBrokerId);
    expect(mine.map((o) => `${o.brokerOrderId === slBrokerId ? 'SL' : 'TP'} ${o.orderClass ?? ''} ${o.side} ${o.orderType} ${o.quantity.toFixed()} ${(o.stopPrice ?? o.limitPrice)?.toFixed()}`).sort()).toEqual([
      'SL OCO SELL STOP 10 90',
      'TP OCO SELL LIMIT 10 110',
    ]);
    expect(sl).toMatch(/^tlp-[0-9a-f]{32}$/);

    // The take-profit fills (as FillsService would report it): the trade is CLOSING until the stop-loss cancel is confirmed.
    const tpOrderId = exitOrderIdOf(tradeId, 'TAKE_PROFIT', 1);
    const cancel = await inTransaction((order, em) => trades.onFillApplied(em, order, fill(10, '110'), clock.now()), tpOrderId, { status: 'FILLED', filledQuantity: '10', averageFillPrice: '110' });
    expect(cancel).toEqual([{ kind: 'CANCEL_EXIT', tradeId, purpose: 'STOP_LOSS', orderId: exitOrderIdOf(tradeId, 'STOP_LOSS', 1) }]);
    expect((await tradeRow(tradeId))?.status).toBe('CLOSING');

    expect(await exits.cancelExit(exitOrderIdOf(tradeId, 'STOP_LOSS', 1))).toBe('CANCELED');
    expect(await tradeRow(tradeId)).toEqual({ status: 'CLOSED', exit_reason: 'PROFIT_TAKEN', realized_pnl_gross: '100' });
    const events = await outboxTypes();
    expect(events.map((e) => e.event_type)).toEqual(['order.canceled', 'trade.closed']);
    const closed = JSON.parse(events[1]?.payload ?? '{}') as { payload: { realizedPnlGross: string; orderIds: string[] } };
    expect(closed.payload.realizedPnlGross).toBe('100');
    expect(closed.payload.orderIds).toHaveLength(3);
    const [slAtBroker] = (await broker.listOrders({ status: 'all' })).filter((o) => o.brokerOrderId === slBrokerId);
    expect(slAtBroker?.status).toBe('CANCELED');

    // A late stop-loss fill after the trade CLOSED: refused by the journal and counted, the trade unchanged.
    const late = await inTransaction((order, em) => trades.onFillApplied(em, order, fill(1, '89'), clock.now()), exitOrderIdOf(tradeId, 'STOP_LOSS', 1), { filledQuantity: '1', averageFillPrice: '89' });
    expect(late).toEqual([]);
    expect(await tradeRow(tradeId)).toEqual({ status: 'CLOSED', exit_reason: 'PROFIT_TAKEN', realized_pnl_gross: '100' });
    const refused = (await registry.getSingleMetric('tlp_trade_events_refused_total')?.get())?.values.find((v) => v.labels['status'] === 'CLOSED' && v.labels['event'] === 'EXIT_FILLED');
    expect(refused?.value).toBe(1);
  });

  it('mirrors the broker shrinking the stop-loss leg after a partial take-profit fill; plans nothing else', async () => {
    const tradeId = randomUUID();
    const entryId = await trackEntry(tradeId);
    await exits.execute(await inTransaction((order, em) => trades.onFillApplied(em, order, fill(10, '100'), clock.now()), entryId, { status: 'FILLED', filledQuantity: '10', averageFillPrice: '100' }));
    const tpOrderId = exitOrderIdOf(tradeId, 'TAKE_PROFIT', 1);
    const commands = await inTransaction((order, em) => trades.onFillApplied(em, order, fill(4, '110'), clock.now()), tpOrderId, { status: 'PARTIALLY_FILLED', filledQuantity: '4', averageFillPrice: '110' });
    expect(commands).toEqual([]);
    const sl = await orm.em.fork().findOneOrFail(TrackedOrder, exitOrderIdOf(tradeId, 'STOP_LOSS', 1));
    expect(sl.quantity).toBe('6');
    expect((await tradeRow(tradeId))?.status).toBe('POSITION');
  });

  it('replaces the native OCO pair after a further partial entry fill: the old pair canceled and confirmed, one new pair', async () => {
    const tradeId = randomUUID();
    const entryId = await trackEntry(tradeId);
    await exits.execute(await inTransaction((order, em) => trades.onFillApplied(em, order, fill(4, '100'), clock.now()), entryId, { status: 'PARTIALLY_FILLED', filledQuantity: '4', averageFillPrice: '100' }));
    const replace = await inTransaction((order, em) => trades.onFillApplied(em, order, { ...fill(6, '100'), cumulativeQuantity: new Decimal(10) }, clock.now()), entryId, { status: 'FILLED', filledQuantity: '10' });
    expect(replace).toEqual([{ kind: 'REPLACE_OCO', tradeId, version: 2 }]);
    await exits.execute(replace);
    await exits.execute(replace);
    expect(await exits.resolveInDoubt()).toEqual({ resolved: 0, cancels: 0 });
    const tracked = async (purpose: 'STOP_LOSS' | 'TAKE_PROFIT', version: number) => orm.em.fork().findOneOrFail(TrackedOrder, exitOrderIdOf(tradeId, purpose, version));
    const ids = await Promise.all([tracked('TAKE_PROFIT', 1), tracked('STOP_LOSS', 1), tracked('TAKE_PROFIT', 2), tracked('STOP_LOSS', 2)]);
    const atBroker = (await broker.listOrders({ status: 'all' })).filter((o) => ids.some((t) => t.brokerOrderId === o.brokerOrderId));
    expect(atBroker.map((o) => `${o.orderType} ${o.quantity.toFixed()} ${o.status}`).sort()).toEqual(['LIMIT 10 NEW', 'LIMIT 4 CANCELED', 'STOP 10 NEW', 'STOP 4 CANCELED']);
    expect(ids.map((o) => `${o.status} ${o.quantity}`)).toEqual(['CANCELED 4', 'CANCELED 4', 'ACCEPTED 10', 'ACCEPTED 10']);
  });

  /** Test controls of the paper broker. */
  async function admin(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${paper.url}/_admin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`/_admin/${path}: ${response.status} ${await response.text()}`);
  }

  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 100; i += 1) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** The take-profit of version 1 trades 2 of its 4 at the broker (the rest waits a minute), then the price goes back. */
  async function partialTakeProfitAtBroker(tradeId: string): Promise<void> {
    const tp = await orm.em.fork().findOneOrFail(TrackedOrder, exitOrderIdOf(tradeId, 'TAKE_PROFIT', 1));
    await admin('prices', { symbol: 'AAPL', price: '110.00' });
    await waitFor(() => broker.getOrder(brokerOrderIdOf(tp.brokerOrderId ?? '')), (o) => o?.filledQuantity.eq(2) ?? false, 'the partial take-profit fill');
    await admin('prices', { symbol: 'AAPL', price: '100.00' });
  }

  /** Entry 4 filled, the version 1 pair of 4 placed, its take-profit armed to trade as 2 then 2 a minute later. */
  async function pairOfFour(tradeId: string): Promise<string> {
    const entryId = await trackEntry(tradeId);
    const rule = { kind: 'partial_fills', route: 'POST /v2/orders', client_order_id: exitClientOrderIdOf(tradeId, 'TAKE_PROFIT', 1), parts: ['2', '2'], delay_ms: 60_000 };
    await admin('faults', { rules: [rule] });
    await exits.execute(await inTransaction((order, em) => trades.onFillApplied(em, order, fill(4, '100'), clock.now()), entryId, { status: 'PARTIALLY_FILLED', filledQuantity: '4', averageFillPrice: '100' }));
    return entryId;
  }

  const entryGrowsBy6 = (entryId: string) =>
    inTransaction((order, em) => trades.onFillApplied(em, order, { ...fill(6, '100'), cumulativeQuantity: new Decimal(10) }, clock.now()), entryId, { status: 'FILLED', filledQuantity: '10' });

  async function pairsAtBroker(tradeId: string): Promise<string[]> {
    const rows = await orm.em.fork().getConnection().execute<{ broker_order_id: string; purpose: string; version: number }[]>(
      'SELECT broker_order_id, purpose, version FROM exit_orders WHERE trade_id = ? AND broker_order_id IS NOT NULL',
      [tradeId],
    );
    const orders = await broker.listOrders({ status: 'all' });
    return rows
      .map((r) => {
        const o = orders.find((x) => x.brokerOrderId === r.broker_order_id);
        return `v${r.version} ${r.purpose} ${o?.orderType ?? ''} ${o?.quantity.toFixed() ?? ''} filled ${o?.filledQuantity.toFixed() ?? ''} ${o?.status ?? ''}`;
      })
      .sort();
  }

  it('native OCO: the entry grows after the take-profit filled 2 of 4: version 2 of the pair covers the 8 held, placed once', async () => {
    const tradeId = randomUUID();
    const entryId = await pairOfFour(tradeId);
    await partialTakeProfitAtBroker(tradeId);
    const tpV1 = exitOrderIdOf(tradeId, 'TAKE_PROFIT', 1);
    const afterExitFill = await inTransaction((order, em) => trades.onFillApplied(em, order, fill(2, '110'), clock.now()), tpV1, { status: 'PARTIALLY_FILLED', filledQuantity: '2', averageFillPrice: '110' });
    expect(afterExitFill).toEqual([]);

    const replace = await entryGrowsBy6(entryId);
    expect(replace).toEqual([{ kind: 'REPLACE_OCO', tradeId, version: 2 }]);
    await exits.execute(replace);
    await exits.execute(replace);
    expect(await exits.resolveInDoubt()).toEqual({ resolved: 0, cancels: 0 });
    // A crash after the version 2 submit, before its settle: found by the take-profit's client order id, not sent again.
    await orm.em.fork().getConnection().execute(`UPDATE exit_orders SET submission_state = 'PENDING' WHERE trade_id = ? AND version = 2`, [tradeId]);
    expect(await exits.resolveInDoubt()).toEqual({ resolved: 2, cancels: 0 });

    expect(await pairsAtBroker(tradeId)).toEqual([
      'v1 STOP_LOSS STOP 2 filled 0 CANCELED',
      'v1 TAKE_PROFIT LIMIT 4 filled 2 CANCELED',
      'v2 STOP_LOSS STOP 8 filled 0 NEW',
      'v2 TAKE_PROFIT LIMIT 8 filled 0 NEW',
    ]);
    const v2 = await orm.em.fork().findOneOrFail(TrackedOrder, exitOrderIdOf(tradeId, 'TAKE_PROFIT', 2));
    expect([v2.status, v2.quantity]).toEqual(['ACCEPTED', '8']);
    expect((await tradeRow(tradeId))?.status).toBe('POSITION');
  });

  it('native OCO: a take-profit fill that lands between planning and the cancel sizes version 2 from the canceled pair\'s final report', async () => {
    const tradeId = randomUUID();
    const entryId = await pairOfFour(tradeId);
    const replace = await entryGrowsBy6(entryId);
    expect(replace).toEqual([{ kind: 'REPLACE_OCO', tradeId, version: 2 }]);
    const planned = await orm.em.fork().getConnection().execute<{ quantity: string }[]>('SELECT quantity::text FROM exit_orders WHERE trade_id = ? AND version = 2', [tradeId]);
    expect(planned.map((r) => r.quantity)).toEqual(['10', '10']);

    // The broker trades 2 of the take-profit; the monitor has not applied that fill when the replacement runs.
    await partialTakeProfitAtBroker(tradeId);
    await exits.execute(replace);
    expect(await pairsAtBroker(tradeId)).toEqual([
      'v1 STOP_LOSS STOP 2 filled 0 CANCELED',
      'v1 TAKE_PROFIT LIMIT 4 filled 2 CANCELED',
      'v2 STOP_LOSS STOP 8 filled 0 NEW',
      'v2 TAKE_PROFIT LIMIT 8 filled 0 NEW',
    ]);
    const sized = await orm.em.fork().getConnection().execute<{ quantity: string }[]>('SELECT quantity::text FROM exit_orders WHERE trade_id = ? AND version = 2', [tradeId]);
    expect(sized.map((r) => r.quantity)).toEqual(['8', '8']);

    // The late fill arrives: the version 2 pair already matches the 8 held, nothing more is planned.
    const late = await inTransaction((order, em) => trades.onFillApplied(em, order, fill(2, '110'), clock.now()), exitOrderIdOf(tradeId, 'TAKE_PROFIT', 1), { filledQuantity: '2', averageFillPrice: '110' });
    expect(late).toEqual([]);
    expect((await tradeRow(tradeId))?.status).toBe('POSITION');
  });

  it('emulated (DAY trade): resizes the stop-loss at the broker after a further partial entry fill', async () => {
    const tradeId = randomUUID();
    const entryId = await trackEntry(tradeId, 'DAY');
    await exits.execute(await inTransaction((order, em) => trades.onFillApplied(em, order, fill(4, '100'), clock.now()), entryId, { status: 'PARTIALLY_FILLED', filledQuantity: '4', averageFillPrice: '100' }));
    const resize = await inTransaction((order, em) => trades.onFillApplied(em, order, { ...fill(6, '100'), cumulativeQuantity: new Decimal(10) }, clock.now()), entryId, { status: 'FILLED', filledQuantity: '10' });
    expect(resize.map((c) => `${c.kind} ${'quantity' in c ? c.quantity : ''}`)).toEqual(['RESIZE_EXIT 10']);
    await exits.execute(resize);
    await exits.execute(resize);
    const atBroker = (await broker.listOrders({ status: 'all' })).filter((o) =>
      [1, 2].some((v) => o.clientOrderId === exitClientOrderIdOf(tradeId, 'STOP_LOSS', v) || o.clientOrderId === exitClientOrderIdOf(tradeId, 'TAKE_PROFIT', v)),
    );
    expect(atBroker.map((o) => `${o.quantity.toFixed()} ${o.status}`).sort()).toEqual(['10 NEW', '4 REPLACED']);
    const v1 = await orm.em.fork().findOneOrFail(TrackedOrder, exitOrderIdOf(tradeId, 'STOP_LOSS', 1));
    const v2 = await orm.em.fork().findOneOrFail(TrackedOrder, exitOrderIdOf(tradeId, 'STOP_LOSS', 2));
    expect([v1.status, v2.quantity]).toEqual(['REPLACED', '10']);
  });
});
