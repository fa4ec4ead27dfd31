import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { BrokerPort } from '@tlp/broker';
import { OrderAcceptedV1, OrderCanceledV1, OrderFilledV1, OrderRejectedV1, OrderSubmittedV1 } from '@tlp/contracts';
import type { InboxEntry } from '@tlp/messaging';
import { databaseOrmOptions, FixedClock } from '@tlp/service-runtime';
import { createTestDatabase, type TestDatabase } from '@tlp/testing';
import { Registry } from 'prom-client';
import { DATABASE } from '../app.module';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { OrderLifecycleService } from '../lifecycle/order-lifecycle.service';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import type { PositionModeSettings } from '../positions/position-mode';
import { PositionsRepository } from '../positions/positions.repository';
import { PositionsService } from '../positions/positions.service';

/** The position monitor's services wired by hand on a fresh database of the stack's PostgreSQL (integration suites). */
export class PositionMonitorHarness {
  readonly registry = new Registry();
  readonly metrics = new PositionMonitorMetrics(this.registry);
  readonly repository = new PositionsRepository();
  readonly lifecycle = new LifecycleService(new LifecycleRepository(), this.metrics);
  readonly positions: PositionsService;
  readonly orders: OrderLifecycleService;

  private constructor(
    readonly db: TestDatabase,
    readonly orm: MikroORM,
    readonly clock: FixedClock,
    modes: PositionModeSettings,
  ) {
    this.positions = new PositionsService(orm, clock, this.repository, this.lifecycle, modes);
    this.orders = new OrderLifecycleService(orm, this.lifecycle, this.repository, modes);
  }

  /**
   * `upgradeFrom` starts from an older schema: migrations up to `migratedTo`, then `seed` writes
   * rows as that version did, then the remaining migrations run (upgrade tests).
   */
  static async start(
    prefix: string,
    modes: PositionModeSettings = { defaultMode: 'NETTING', hedgingAccounts: [], nettingAccounts: [] },
    upgradeFrom?: { readonly migratedTo: string; readonly seed: (execute: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void> },
  ): Promise<PositionMonitorHarness> {
    const db = await createTestDatabase(prefix);
    const orm = await MikroORM.init({ ...databaseOrmOptions({ ...DATABASE, clientUrl: db.url }), allowGlobalContext: false });
    if (upgradeFrom) {
      await orm.getMigrator().up({ to: upgradeFrom.migratedTo });
      const em = orm.em.fork();
      await upgradeFrom.seed((sql, params = []) => em.execute(sql, params));
    }
    await orm.getMigrator().up();
    return new PositionMonitorHarness(db, orm, new FixedClock('2026-03-02T15:00:00.000Z'), modes);
  }

  async stop(): Promise<void> {
    await this.orm.close(true);
    await this.db.drop();
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.orm.em.fork().execute<T[]>(sql, params);
  }

  async metric(name: string): Promise<number> {
    const metric = await this.registry.getSingleMetric(name)?.get();
    return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
  }
}

export const inbox = (eventId: string, topic: string): InboxEntry => ({ consumer: 'position-monitor', eventId, topic, partition: 0, offset: '0' });

export interface OrderSpec {
  readonly orderId?: string;
  readonly tradeId?: string;
  readonly accountId?: string;
  readonly symbol?: string;
  readonly purpose?: 'ENTRY' | 'STOP_LOSS' | 'TAKE_PROFIT' | 'EXIT' | 'EXTERNAL';
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly multiplier?: string;
  /** Defaults to OPTION when the multiplier is not 1, else EQUITY. */
  readonly assetClass?: 'EQUITY' | 'OPTION' | 'CRYPTO';
}

function orderRef(spec: OrderSpec) {
  const decisionId = randomUUID();
  const options = spec.multiplier !== undefined && spec.multiplier !== '1';
  return {
    orderId: spec.orderId ?? randomUUID(),
    clientOrderId: `tlp-${decisionId.replaceAll('-', '')}`,
    brokerOrderId: randomUUID(),
    broker: 'alpaca',
    decisionId,
    tradeId: spec.tradeId ?? randomUUID(),
    legNumber: null,
    purpose: spec.purpose ?? 'ENTRY',
    accountId: spec.accountId ?? 'acc-int',
    ownerId: 'user-int',
    instrument: { symbol: spec.symbol ?? 'AAPL', assetClass: spec.assetClass ?? (options ? 'OPTION' : 'EQUITY'), multiplier: spec.multiplier ?? '1' },
    side: spec.side,
    quantity: spec.quantity,
    orderType: 'MARKET',
    limitPrice: null,
    stopPrice: null,
    timeInForce: 'DAY',
  };
}

const envelope = (type: string, at: string, payload: object) => ({
  eventId: randomUUID(),
  type,
  version: 1,
  occurredAt: at,
  producer: 'test',
  correlationId: randomUUID(),
  causationId: null,
  payload,
});

export function orderSubmitted(spec: OrderSpec, at = '2026-03-02T15:00:00.000Z'): OrderSubmittedV1 {
  return OrderSubmittedV1.schema.parse(envelope('order.submitted', at, { ...orderRef(spec), status: 'NEW', submittedAt: at }));
}

/** How the order monitor announces the exits it places. */
export function orderAccepted(spec: OrderSpec, at = '2026-03-02T15:00:03.000Z'): OrderAcceptedV1 {
  return OrderAcceptedV1.schema.parse(envelope('order.accepted', at, { ...orderRef(spec), status: 'NEW', acceptedAt: at }));
}

export function orderRejected(spec: OrderSpec, at = '2026-03-02T15:00:01.000Z'): OrderRejectedV1 {
  return OrderRejectedV1.schema.parse(envelope('order.rejected', at, { ...orderRef(spec), reasonCode: 'INSUFFICIENT_BUYING_POWER', reasonMessage: 'no', rejectedBy: 'BROKER', rejectedAt: at }));
}

export function orderCanceled(spec: OrderSpec, filledQuantity = '0', at = '2026-03-02T15:00:01.000Z'): OrderCanceledV1 {
  return OrderCanceledV1.schema.parse(envelope('order.canceled', at, { ...orderRef(spec), filledQuantity, reason: 'USER', canceledAt: at }));
}

/** A fill of `lastQuantity` at `price`; `executionId` defaults to a fresh one. */
export function orderFilled(spec: OrderSpec, fill: { lastQuantity: string; price: string; fee?: string; executionId?: string; at?: string; averagePrice?: string }): OrderFilledV1 {
  const at = fill.at ?? '2026-03-02T15:00:02.000Z';
  return OrderFilledV1.schema.parse(
    envelope('order.filled', at, {
      ...orderRef(spec),
      executionId: fill.executionId ?? randomUUID(),
      lastQuantity: fill.lastQuantity,
      lastPrice: fill.price,
      cumulativeQuantity: fill.lastQuantity,
      averagePrice: fill.averagePrice ?? fill.price,
      leavesQuantity: '0',
      fee: fill.fee ?? '0',
      feeCurrency: 'USD',
      orderStatus: 'FILLED',
      filledAt: at,
    }),
  );
}

/** A hand-written broker fake: only the calls valuation and reconciliation make. */
export class FakeBroker {
  positions: Awaited<ReturnType<BrokerPort['listPositions']>> | Error = [];
  quotes: Awaited<ReturnType<BrokerPort['getLatestQuotes']>> | Error = new Map();
  marketOpen = true;

  asPort(): BrokerPort {
    const fail = (name: string) => () => Promise.reject(new Error(`FakeBroker: ${name} is not faked`));
    return new Proxy(
      {
        listPositions: () => (this.positions instanceof Error ? Promise.reject(this.positions) : Promise.resolve(this.positions)),
        getLatestQuotes: () => (this.quotes instanceof Error ? Promise.reject(this.quotes) : Promise.resolve(this.quotes)),
        getClock: () => Promise.resolve({ at: new Date(), isOpen: this.marketOpen, nextOpen: new Date(), nextClose: new Date() }),
      },
      { get: (target, name: string) => (target as Record<string, unknown>)[name] ?? fail(name) },
    ) as unknown as BrokerPort;
  }
}
