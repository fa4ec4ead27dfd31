/**
 * Rebuilds every position from the `order.filled` topic, from the beginning of its retention, into a
 * scratch schema of the service's database, and compares the result with the stored state.
 *
 * Compared exactly (as text, so even the scale of a NUMERIC must match): every accounting column of
 * `positions` (all but `revision`, `updated_at` and the valuation columns, which marks change) and
 * every `position_fills` row that came from `order.filled`. Positions that reconciliation or a relink
 * changed (a `position_fills` row with another source) cannot be rebuilt from the topic: they are
 * listed apart, not counted as differences.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { OrderFilledV1 } from '@tlp/contracts';
import { readTopicToEnd } from '@tlp/messaging';
import { databaseOrmOptions, SystemClock, type Clock } from '@tlp/service-runtime';
import { Registry } from 'prom-client';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { Migration0001Initial } from '../migrations/migration-0001-initial';
import { Migration0002LifecycleValuationReconciliation } from '../migrations/migration-0002-lifecycle-valuation-reconciliation';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import type { PositionModeSettings } from '../positions/position-mode';
import { PositionRecord } from '../positions/position-record.entity';
import { PositionsRepository } from '../positions/positions.repository';
import { PositionsService } from '../positions/positions.service';

export interface ReplayOptions {
  readonly databaseUrl: string;
  /** Schema of the stored state (normally `public`). */
  readonly storedSchema: string;
  readonly kafkaBrokers: readonly string[];
  readonly topicPrefix: string;
  readonly modes: PositionModeSettings;
  /** Keep the scratch schema for inspection instead of dropping it. */
  readonly keepScratch: boolean;
  readonly scratchSchema: string;
}

export interface ReplayReport {
  readonly fillsRead: number;
  readonly positionsRebuilt: number;
  readonly positionsStored: number;
  /** `position_id: reason` of every difference; empty when the rebuild equals the stored state. */
  readonly differences: readonly string[];
  /** Positions changed by reconciliation or relinks, not comparable with a rebuild from the topic. */
  readonly adjustedPositions: readonly string[];
  readonly equal: boolean;
}

const POSITION_COLUMNS = [
  'position_id', 'account_id', 'owner_id', 'symbol', 'asset_class', 'multiplier', 'trade_id', 'mode', 'status', 'side', 'quantity',
  'average_entry_price', 'open_cost', 'entry_quantity', 'entry_notional', 'closed_quantity', 'exit_notional', 'average_exit_price',
  'realized_pnl_gross', 'fees_paid', 'opened_at', 'closed_at', 'exit_reason',
];
const FILL_COLUMNS = ['execution_id', 'order_id', 'position_id', 'side', 'quantity', 'price', 'fee', 'transition', 'filled_at'];

export async function runReplay(options: ReplayOptions, clock: Clock = new SystemClock()): Promise<ReplayReport> {
  const scratch = options.scratchSchema;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(scratch) || !/^[a-z_][a-z0-9_]{0,62}$/.test(options.storedSchema)) throw new Error('schema names must be lower-case identifiers');
  const admin = await MikroORM.init({ ...databaseOrmOptions({ service: 'position-monitor-replay', clientUrl: options.databaseUrl, entities: [], migrations: [], poolMax: 1 }), allowGlobalContext: true });
  await admin.em.execute(`CREATE SCHEMA ${scratch}`);
  try {
    const orm = await MikroORM.init({
      ...databaseOrmOptions({
        service: 'position-monitor-replay',
        clientUrl: options.databaseUrl,
        schema: scratch,
        entities: [PositionRecord],
        migrations: [
          { name: '0001-initial', class: Migration0001Initial },
          { name: '0002-lifecycle-valuation-reconciliation', class: Migration0002LifecycleValuationReconciliation },
        ],
      }),
      allowGlobalContext: false,
    });
    try {
      await orm.getMigrator().up();
      const positions = scratchPositionsService(orm, clock, options.modes);
      const topic = `${options.topicPrefix}order.filled`;
      const fillsRead = await readTopicToEnd({ brokers: options.kafkaBrokers, clientId: 'position-monitor-replay', topic }, async (record) => {
        if (record.value === null) return;
        const event = OrderFilledV1.schema.parse(JSON.parse(record.value));
        await positions.process(event, { consumer: 'position-monitor-replay', eventId: event.eventId, topic, partition: record.partition, offset: record.offset });
      });
      return await compare(admin, options.storedSchema, scratch, fillsRead);
    } finally {
      await orm.close(true);
    }
  } finally {
    if (!options.keepScratch) await admin.em.execute(`DROP SCHEMA ${scratch} CASCADE`);
    await admin.close(true);
  }
}

function scratchPositionsService(orm: MikroORM, clock: Clock, modes: PositionModeSettings): PositionsService {
  const metrics = new PositionMonitorMetrics(new Registry());
  const repository = new PositionsRepository();
  return new PositionsService(orm, clock, repository, new LifecycleService(new LifecycleRepository(), metrics), modes);
}

async function compare(admin: MikroORM, stored: string, scratch: string, fillsRead: number): Promise<ReplayReport> {
  const em = admin.em.fork();
  const adjusted = (await em.execute<{ position_id: string }[]>(`SELECT DISTINCT position_id::text FROM ${stored}.position_fills WHERE source <> 'ORDER_FILLED' ORDER BY 1`)).map((r) => r.position_id);
  const excluded = adjusted.length === 0 ? '' : `WHERE position_id::text NOT IN (${adjusted.map((id) => `'${id}'`).join(', ')})`;
  const positionText = POSITION_COLUMNS.map((c) => `${c}::text`).join(', ');
  const fillText = FILL_COLUMNS.map((c) => `${c}::text`).join(', ');
  const diff = async (table: string, columns: string, where: string, label: string): Promise<string[]> => {
    const only = async (a: string, b: string, side: string) =>
      (await em.execute<{ position_id: string }[]>(`SELECT position_id FROM (SELECT ${columns} FROM ${a}.${table} ${where} EXCEPT SELECT ${columns} FROM ${b}.${table} ${where}) d ORDER BY 1`)).map(
        (r) => `${r.position_id}: ${label} ${side}`,
      );
    return [...(await only(stored, scratch, 'stored but not rebuilt')), ...(await only(scratch, stored, 'rebuilt but not stored'))];
  };
  const fillWhere = adjusted.length === 0 ? `WHERE source = 'ORDER_FILLED'` : `${excluded} AND source = 'ORDER_FILLED'`;
  const differences = [...(await diff('positions', positionText, excluded, 'position')), ...(await diff('position_fills', fillText, fillWhere, 'fill'))];
  const count = async (schema: string) => Number((await em.execute<{ n: string }[]>(`SELECT count(*)::text AS n FROM ${schema}.positions ${excluded}`))[0]?.n ?? 0);
  return {
    fillsRead,
    positionsRebuilt: await count(scratch),
    positionsStored: await count(stored),
    differences: [...new Set(differences)],
    adjustedPositions: adjusted,
    equal: differences.length === 0,
  };
}
