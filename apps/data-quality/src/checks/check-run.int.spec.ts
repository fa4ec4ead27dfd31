import { MikroORM } from '@mikro-orm/postgresql';
import type { BrokerPort, PositionStatusReport } from '@tlp/broker';
import { OrderFilledV1, PositionUpdatedV1 } from '@tlp/contracts';

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { databaseOrmOptions, FixedClock, SequentialIdGenerator } from '@tlp/service-runtime';
import { createTestDatabase, type TestDatabase } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { Registry } from 'prom-client';
import { v3 as uuidV3 } from 'uuid';
import { DATABASE } from '../app.module';
import type { DataQualitySettings } from '../projection/data-quality.settings';
import { ProjectionService } from '../projection/projection.service';
import { CheckMetrics } from './check.metrics';
import { CheckRunService, type RunResult } from './check-run.service';

const positionUpdatedFixture = PositionUpdatedV1.schema.parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../../../libs/contracts/fixtures/position.updated.v1.json'), 'utf8')));
const ACC = 'acc-int';
const OWNER = 'usr-int';
const ORDER_A = '0a000000-0000-4000-8000-00000000000a';
const ORDER_B = '0b000000-0000-4000-8000-00000000000b';
const POSITION = '0f000000-0000-4000-8000-00000000000f';
const TRADE = '07000000-0000-4000-8000-000000000007';

class ScriptedBroker {
  positions: PositionStatusReport[] | Error = [];
  listPositions(): Promise<PositionStatusReport[]> {
    return this.positions instanceof Error ? Promise.reject(this.positions) : Promise.resolve(this.positions);
  }
}

const settings: DataQualitySettings = {
  unlinkedGraceMs: 30_000, linkRateMin: 0.95, unprotectedGraceMs: 120_000, staleMarkAfterMs: 900_000,
  stuckSubmittedAfterMs: 300_000, autofixEnabled: true, checkIntervalMs: 900_000, schedulerEnabled: false, dailyReconciliationAt: '02:00',
};

describe('CheckRunService on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const clock = new FixedClock('2026-11-24T15:00:00.000Z');
  const broker = new ScriptedBroker();
  let service: CheckRunService;
  const sql = (text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<Record<string, unknown>[]>(text, params);
  const completed = (r: RunResult) => {
    if (r.outcome !== 'COMPLETED') throw new Error(`run ${r.outcome}`);
    return r.summary;
  };
  const openFindings = async () =>
    (await sql(`SELECT finding_type, entity_key FROM dq_findings WHERE resolved_at IS NULL ORDER BY 1, 2`)).map((r) => `${String(r['finding_type'])} ${String(r['entity_key'])}`);
  const outbox = async (type: string) =>
    (await sql(`SELECT payload FROM messaging_outbox WHERE event_type = ? ORDER BY id`, [type])).map((r) => (typeof r['payload'] === 'string' ? JSON.parse(r['payload']) : r['payload']) as { payload: Record<string, unknown> });

  beforeAll(async () => {
    db = await createTestDatabase('dq_checks');
    orm = await MikroORM.init(databaseOrmOptions({ ...DATABASE, clientUrl: db.url }));
    await orm.getMigrator().up();
    const metrics = new CheckMetrics(new Registry(), orm);
    service = new CheckRunService(orm, clock, new SequentialIdGenerator(), broker as unknown as BrokerPort, settings, metrics);
    await seedOrder(ORDER_A, 'ENTRY', '10', '2026-11-24T14:00:00Z');
    await seedOrder(ORDER_B, 'ENTRY', '5', '2026-11-24T14:10:00Z');
    await sql(`INSERT INTO dq_order_links VALUES (?, ?, '2026-11-24T14:00:01Z')`, [ORDER_A, POSITION]);
    await sql(
      `INSERT INTO dq_positions (position_id, account_id, symbol, status, quantity, revision, updated_at, owner_id, side, trade_id, opened_at, mark_price, marked_at)
       VALUES (?, ?, 'AAPL', 'OPEN', 15, 2, '2026-11-24T14:10:01Z', ?, 'LONG', NULL, '2026-11-24T14:00:01Z', 187.5, '2026-11-24T14:59:00Z')`,
      [POSITION, ACC, OWNER],
    );
    await seedOrder('05000000-0000-4000-8000-000000000005', 'STOP_LOSS', '15', null);
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  async function seedOrder(orderId: string, purpose: string, qty: string, filledAt: string | null): Promise<void> {
    const status = filledAt ? 'FILLED' : 'ACCEPTED';
    await sql(
      `INSERT INTO dq_orders VALUES (?, ?, ?, 'AAPL', 'EQUITY', 1, ?, ?, ?, ?, ?, ?, '2026-11-24T13:59:00Z', '2026-11-24T14:00:00Z')`,
      [orderId, ACC, OWNER, TRADE, purpose, purpose === 'STOP_LOSS' ? 'SELL' : 'BUY', qty, status, filledAt ? 3 : 1],
    );
    if (!filledAt) return;
    await sql(`INSERT INTO dq_filled_orders VALUES (?, ?, 'AAPL', 'BUY', ?, 1, ?, ?)`, [orderId, ACC, qty, filledAt, filledAt]);
    await sql(`INSERT INTO dq_fills VALUES (?, ?, ?, ?, '187.50', '187.50', '0.35', ?)`, [`exec-${orderId.slice(0, 2)}`, orderId, qty, qty, filledAt]);
  }

  it('names findings in SQL exactly as uuid v3 does', async () => {
    const [row] = await sql(`SELECT dq_finding_id('QUANTITY_MISMATCH', 'account:a:AAPL')::text AS id`);
    expect(row?.['id']).toBe(uuidV3('QUANTITY_MISMATCH|account:a:AAPL', '07dbb59a-fb5f-5dda-a6e1-033b507873c4'));
  });

  it('given an unlinked filled order, then it opens findings, publishes them and requests one relink', async () => {
    const summary = completed(await service.run('ON_DEMAND'));
    expect(summary.figures).toMatchObject({ filledOrders: 2, unlinkedFilledOrders: 1, linkRate: 0.5 });
    expect(await openFindings()).toEqual([`LINK_RATE_LOW platform`, `QUANTITY_MISMATCH account:${ACC}:AAPL`, `UNLINKED_FILLED_ORDER order:${ORDER_B}`]);
    const published = await outbox('dq.finding');
    expect(published.map((e) => e.payload['status'])).toEqual(['OPEN', 'OPEN', 'OPEN']);
    const [relink, ...more] = await outbox('position.relink-requested');
    expect(more).toEqual([]);
    expect(relink?.payload).toMatchObject({ orderId: ORDER_B, positionId: POSITION, executionIds: ['exec-0b'], rule: 'SINGLE_CANDIDATE_POSITION' });
    expect(relink?.payload['fills']).toEqual([
      { executionId: 'exec-0b', tradeId: TRADE, purpose: 'ENTRY', side: 'BUY', quantity: '5', price: '187.50', averagePrice: '187.50', fee: '0.35', filledAt: '2026-11-24T14:10:00.000Z' },
    ]);
    const audit = await sql(`SELECT order_id, position_id, rule, run_id FROM dq_autofix_audit`);
    expect(audit).toEqual([{ order_id: ORDER_B, position_id: POSITION, rule: 'SINGLE_CANDIDATE_POSITION', run_id: summary.runId }]);
  });

  it('given the same findings on the next run, then they are seen again, not re-published, and no second relink', async () => {
    clock.advance(60_000);
    const summary = completed(await service.run('INTERVAL'));
    expect(summary).toMatchObject({ opened: 0, resolved: 0, openFindings: 3, relinksRequested: 0 });
    expect(await outbox('dq.finding')).toHaveLength(3);
    expect(await outbox('position.relink-requested')).toHaveLength(1);
  });

  it('given the link restored, then the next run resolves the three findings and publishes RESOLVED', async () => {
    await sql(`INSERT INTO dq_order_links VALUES (?, ?, '2026-11-24T15:00:30Z')`, [ORDER_B, POSITION]);
    clock.advance(60_000);
    const summary = completed(await service.run('ON_DEMAND'));
    expect(summary).toMatchObject({ opened: 0, resolved: 3, openFindings: 0 });
    expect(await openFindings()).toEqual([]);
    const resolved = (await outbox('dq.finding')).slice(3);
    expect(resolved.map((e) => [e.payload['findingType'], e.payload['status']])).toEqual([
      ['LINK_RATE_LOW', 'RESOLVED'], ['QUANTITY_MISMATCH', 'RESOLVED'], ['UNLINKED_FILLED_ORDER', 'RESOLVED'],
    ]);
    expect(resolved.every((e) => typeof e.payload['resolvedAt'] === 'string')).toBe(true);
  });

  it('given the broker unreachable in a full run, then drift is unknown: seen as such and an earlier drift finding stays open', async () => {
    broker.positions = [{ symbol: 'AAPL', assetClass: 'EQUITY', quantity: new Decimal('14'), averageEntryPrice: new Decimal('1'), marketValue: null, currentPrice: null }];
    clock.advance(60_000);
    completed(await service.run('ON_DEMAND', true));
    expect(await openFindings()).toEqual(['BROKER_POSITION_DRIFT symbol:AAPL']);
    broker.positions = new Error('circuit open');
    clock.advance(60_000);
    completed(await service.run('ON_DEMAND', true));
    expect(await openFindings()).toEqual(['BROKER_POSITIONS_UNKNOWN broker', 'BROKER_POSITION_DRIFT symbol:AAPL']);
    broker.positions = [{ symbol: 'AAPL', assetClass: 'EQUITY', quantity: new Decimal('15.0'), averageEntryPrice: new Decimal('1'), marketValue: null, currentPrice: null }];
    clock.advance(60_000);
    completed(await service.run('ON_DEMAND', true));
    expect(await openFindings()).toEqual([]);
  });

  it('runs the daily reconciliation once per New York date', async () => {
    clock.set('2026-11-25T07:05:00.000Z');
    expect((await service.run('DAILY')).outcome).toBe('COMPLETED');
    clock.advance(60_000);
    expect((await service.run('DAILY')).outcome).toBe('ALREADY_DONE');
    const [row] = await sql(`SELECT count(*)::int AS n, min(daily_date)::text AS d FROM dq_check_runs WHERE trigger = 'DAILY'`);
    expect(row).toEqual({ n: 1, d: '2026-11-25' });
  });

  it('given a lifted stop-loss and a stale mark, then the position is unprotected and its mark stale', async () => {
    await sql(`UPDATE dq_orders SET status = 'CANCELED', status_rank = 3 WHERE purpose = 'STOP_LOSS'`);
    completed(await service.run('ON_DEMAND'));
    expect(await openFindings()).toEqual([`STALE_MARK position:${POSITION}`, `UNPROTECTED_POSITION position:${POSITION}`]);
  });

  it('given one execution reported as two fills, then the projection records it and the run reports a duplicate', async () => {
    const projection = new ProjectionService(orm);
    const fill = (cumulative: string) =>
      OrderFilledV1.schema.parse({
        eventId: randomUUID(), type: 'order.filled', version: 1, occurredAt: '2026-11-25T07:10:00.000Z', producer: 'order-monitor',
        correlationId: randomUUID(), causationId: null,
        payload: {
          orderId: '0d000000-0000-4000-8000-00000000000d', clientOrderId: 'tlp-dup', brokerOrderId: 'b-dup', broker: 'alpaca',
          decisionId: randomUUID(), tradeId: TRADE, legNumber: null, purpose: 'ENTRY', accountId: ACC, ownerId: OWNER,
          instrument: { symbol: 'MSFT', assetClass: 'EQUITY', multiplier: '1' }, side: 'BUY', quantity: '4', orderType: 'MARKET',
          limitPrice: null, stopPrice: null, timeInForce: 'DAY', executionId: 'exec-dup', lastQuantity: '2', lastPrice: '410.25',
          cumulativeQuantity: cumulative, averagePrice: '410.25', leavesQuantity: '0', fee: '0', feeCurrency: 'USD',
          orderStatus: 'PARTIALLY_FILLED', filledAt: '2026-11-25T07:10:00.000Z',
        },
      });
    const inbox = (e: { eventId: string }) => ({ consumer: 'data-quality', eventId: e.eventId, topic: 'order.filled', partition: 0, offset: '0' });
    for (const event of [fill('2'), fill('4')]) await projection.recordFill(event, inbox(event));
    const figures = `SELECT last_price::text, average_price::text, fee::text, filled_at = '2026-11-25T07:10:00Z' AS at_filled FROM dq_fills WHERE execution_id = 'exec-dup' ORDER BY cumulative_quantity`;
    expect(await sql(figures)).toEqual([1, 2].map(() => ({ last_price: '410.25', average_price: '410.25', fee: '0', at_filled: true })));
    completed(await service.run('ON_DEMAND'));
    expect(await openFindings()).toContain('DUPLICATE_EXECUTION_ID execution:exec-dup');
  });

  it('given one execution applied by a relink in two revisions of a position, then the run reports a duplicate', async () => {
    const projection = new ProjectionService(orm);
    const relinked = '0c000000-0000-4000-8000-00000000000c';
    const update = (revision: number) =>
      PositionUpdatedV1.schema.parse({
        ...positionUpdatedFixture,
        eventId: randomUUID(),
        payload: { ...positionUpdatedFixture.payload, positionId: relinked, accountId: ACC, ownerId: OWNER, revision, cause: 'RELINK', executionIds: ['exec-relinked'] },
      });
    for (const event of [update(1), update(2)]) await projection.recordPosition(event, { consumer: 'data-quality', eventId: event.eventId, topic: 'position.updated', partition: 0, offset: '0' });
    completed(await service.run('ON_DEMAND'));
    expect(await openFindings()).toContain(`DUPLICATE_EXECUTION_ID position-execution:${relinked}:exec-relinked`);
  });

  it('given an order linked to a position never described, then the run reports the orphaned reference', async () => {
    const missing = '0e000000-0000-4000-8000-00000000000e';
    await sql(`INSERT INTO dq_order_links VALUES (?, ?, '2026-11-24T14:00:02Z')`, [ORDER_A, missing]);
    completed(await service.run('ON_DEMAND'));
    expect(await openFindings()).toContain(`ORPHANED_POSITION_REFERENCE link:${ORDER_A}:${missing}`);
  });
});
