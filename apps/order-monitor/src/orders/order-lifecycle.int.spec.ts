import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { brokerOrderId, clientOrderId, executionId, type FillReport, type OrderStatusReport } from '@tlp/broker';
import { OrderSubmittedV1 } from '@tlp/contracts';
import { databaseOrmOptions, FixedClock } from '@tlp/service-runtime';
import { createTestDatabase, type TestDatabase } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import type { ModuleRef } from '@nestjs/core';
import type { BrokerPort } from '@tlp/broker';
import { Registry } from 'prom-client';
import { ExitOrdersService } from '../trades/exit-orders.service';
import { TradesRepository } from '../trades/trades.repository';
import { TradesService } from '../trades/trades.service';
import { Migration0001Initial } from '../migrations/migration-0001-initial';
import { Migration0002OrderLifecycle } from '../migrations/migration-0002-order-lifecycle';
import { Migration0003Trades } from '../migrations/migration-0003-trades';
import { Migration0004OcoExits } from '../migrations/migration-0004-oco-exits';
import { FillsService } from './fills.service';
import { OrderMonitorMetrics } from './order-monitor.metrics';
import { OrderTrackingService } from './order-tracking.service';
import { TrackedOrder } from './tracked-order.entity';

describe('order lifecycle against PostgreSQL: state machine, order.accepted, replace linking', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let registry: Registry;
  let fills: FillsService;
  let tracking: OrderTrackingService;
  const clock = new FixedClock('2026-03-02T15:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('om_orders');
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
    registry = new Registry();
    const metrics = new OrderMonitorMetrics(registry);
    // Orders without a trade plan: the trades context is wired in but has no exits to place here.
    const repository = new TradesRepository();
    const trades = new TradesService(repository);
    const unusedBroker = new Proxy({}, { get: () => () => Promise.reject(new Error('no broker in this suite')) }) as BrokerPort;
    const exits = new ExitOrdersService(orm, unusedBroker, clock, trades, repository, { get: () => fills } as unknown as ModuleRef);
    fills = new FillsService(orm, clock, metrics, trades, exits);
    tracking = new OrderTrackingService(orm, clock, fills, metrics, trades, exits);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  const submit = async () => {
    const event = OrderSubmittedV1.schema.parse({
      eventId: randomUUID(),
      type: 'order.submitted',
      version: 1,
      occurredAt: clock.now().toISOString(),
      producer: 'executor',
      correlationId: randomUUID(),
      causationId: null,
      payload: {
        orderId: randomUUID(),
        clientOrderId: `tlp-${randomUUID().replaceAll('-', '')}`,
        brokerOrderId: randomUUID(),
        broker: 'alpaca',
        decisionId: randomUUID(),
        tradeId: randomUUID(),
        legNumber: null,
        purpose: 'ENTRY',
        accountId: 'acc-int',
        ownerId: 'user-int',
        instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' },
        side: 'BUY',
        quantity: '10',
        orderType: 'LIMIT',
        limitPrice: '187.51',
        stopPrice: null,
        timeInForce: 'DAY',
        status: 'ACCEPTED',
        submittedAt: clock.now().toISOString(),
      },
    });
    await tracking.track(event, { consumer: 'order-monitor', eventId: event.eventId, topic: 'order.submitted', partition: 0, offset: '0' });
    return event.payload;
  };
  type Submitted = Awaited<ReturnType<typeof submit>>;
  const report = (o: Submitted, over: Partial<OrderStatusReport> = {}): OrderStatusReport => ({
    brokerOrderId: brokerOrderId(o.brokerOrderId ?? ''),
    clientOrderId: clientOrderId(o.clientOrderId),
    symbol: 'AAPL',
    assetClass: 'us_equity',
    side: 'BUY',
    orderType: 'LIMIT',
    timeInForce: 'DAY',
    quantity: new Decimal(o.quantity),
    notional: null,
    filledQuantity: new Decimal(0),
    averageFillPrice: null,
    limitPrice: new Decimal('187.51'),
    stopPrice: null,
    status: 'NEW',
    rawStatus: 'new',
    replacedBy: null,
    replaces: null,
    createdAt: clock.now(),
    updatedAt: clock.now(),
    submittedAt: clock.now(),
    filledAt: null,
    submittedAtRaw: null,
    ...over,
  } as OrderStatusReport);
  const fill = (o: Submitted, cumulative: string, over: Partial<FillReport> = {}): FillReport => ({
    executionId: executionId(randomUUID()),
    activityId: null,
    brokerOrderId: brokerOrderId(o.brokerOrderId ?? ''),
    clientOrderId: clientOrderId(o.clientOrderId),
    symbol: 'AAPL',
    side: 'BUY',
    quantity: new Decimal(cumulative),
    price: new Decimal('187.50'),
    cumulativeQuantity: new Decimal(cumulative),
    averagePrice: new Decimal('187.50'),
    leavesQuantity: new Decimal(10).minus(cumulative),
    orderStatus: 'PARTIALLY_FILLED',
    fee: new Decimal(0),
    feeCurrency: 'USD',
    occurredAt: clock.now(),
    ...over,
  });
  const row = (orderId: string) => orm.em.fork().findOneOrFail(TrackedOrder, orderId);
  const outbox = async (type: string, orderId: string) =>
    (await orm.em.fork().execute<{ payload: string }[]>('SELECT payload FROM messaging_outbox WHERE event_type = ? ORDER BY id', [type]))
      .map((r) => JSON.parse(r.payload) as { payload: Record<string, unknown> })
      .filter((e) => e.payload['orderId'] === orderId);
  const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];

  it('publishes order.accepted once, also when the acknowledgement follows the first fill', async () => {
    const o = await submit();
    expect(await fills.apply(fill(o, '4'), 'STREAM')).toBe('APPLIED');
    expect(await tracking.applyStatus(report(o), 'ACKNOWLEDGED', clock.now(), 'new')).toBe('IGNORED');
    await tracking.applyStatus(report(o), 'ACKNOWLEDGED', clock.now(), 'new');
    expect(await outbox('order.accepted', o.orderId)).toHaveLength(1);
    expect(await row(o.orderId)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: '4' });
  });

  it('refuses and counts an illegal transition, leaving the order as it was', async () => {
    const o = await submit();
    await tracking.applyStatus(report(o), 'REJECTED', clock.now(), 'rejected');
    expect(await tracking.applyStatus(report(o), 'CANCELED', clock.now(), 'canceled')).toBe('REFUSED');
    expect(await row(o.orderId)).toMatchObject({ status: 'REJECTED' });
    expect(await outbox('order.canceled', o.orderId)).toHaveLength(0);
    expect(await metric('tlp_order_transitions_refused_total')).toContainEqual(expect.objectContaining({ labels: { from: 'REJECTED', event: 'CANCELED' }, value: 1 }));
  });

  it('applies a fill that lands after the cancel, keeps CANCELED and counts it as late', async () => {
    const o = await submit();
    await tracking.applyStatus(report(o), 'CANCEL_PENDING', clock.now(), 'pending_cancel');
    expect(await row(o.orderId)).toMatchObject({ status: 'PENDING_CANCEL', previousStatus: 'ACCEPTED' });
    await tracking.applyStatus(report(o), 'CANCELED', clock.now(), 'canceled');
    expect(await fills.apply(fill(o, '3'), 'STREAM')).toBe('APPLIED');
    expect(await row(o.orderId)).toMatchObject({ status: 'CANCELED', previousStatus: null, filledQuantity: '3' });
    expect(await outbox('order.filled', o.orderId)).toHaveLength(1);
    expect(await metric('tlp_order_late_fills_total')).toContainEqual(expect.objectContaining({ labels: { status: 'CANCELED' }, value: 1 }));
  });

  it('links a replacement to the same order and applies a fill on the new broker id under another client id', async () => {
    const o = await submit();
    const newId = randomUUID();
    const replacement = report(o, { brokerOrderId: brokerOrderId(newId), clientOrderId: clientOrderId('other-client-id'), limitPrice: new Decimal('190'), replaces: brokerOrderId(o.brokerOrderId ?? '') });
    await tracking.applyStatus(report(o), 'REPLACE_PENDING', clock.now(), 'pending_replace');
    await tracking.applyStatus(report(o, { replacedBy: brokerOrderId(newId), rawStatus: 'replaced' }), 'REPLACED', clock.now(), 'replaced', replacement);
    expect(await row(o.orderId)).toMatchObject({ status: 'ACCEPTED', brokerOrderId: newId });
    const [replaced] = await outbox('order.replaced', o.orderId);
    expect(replaced?.payload).toMatchObject({ brokerOrderId: newId, replacedBrokerOrderId: o.brokerOrderId, newLimitPrice: '190' });

    await tracking.applyStatus(replacement, 'ACKNOWLEDGED', clock.now(), 'new');
    expect(await fills.apply(fill(o, '10', { brokerOrderId: brokerOrderId(newId), clientOrderId: clientOrderId('other-client-id') }), 'STREAM')).toBe('APPLIED');
    expect(await row(o.orderId)).toMatchObject({ status: 'FILLED', filledQuantity: '10' });
    const links = await orm.em.fork().execute<{ broker_order_id: string }[]>('SELECT broker_order_id FROM order_broker_ids WHERE order_id = ?', [o.orderId]);
    expect(links.map((l) => l.broker_order_id).sort()).toEqual([o.brokerOrderId, newId].sort());
  });

  it('rejects a status outside the state machine at the database', async () => {
    const o = await submit();
    await expect(orm.em.fork().execute(`UPDATE tracked_orders SET status = 'BOGUS' WHERE order_id = ?`, [o.orderId])).rejects.toThrow(/tracked_orders_status_check/);
  });
});
