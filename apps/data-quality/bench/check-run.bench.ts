/**
 * `pnpm bench:dq [-- orders]` (nx target `data-quality:bench`): time of full check runs over `orders` (default 1,000,000) filled orders
 * seeded in data-quality's projection tables on the local stack's PostgreSQL, in a throw-away
 * database. Prints the seeding time, a first run (opens every planted finding), a steady-state run
 * (re-sees them) and a full run (adds the broker, here a fake that agrees with the platform).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { BrokerPort, PositionStatusReport } from '@tlp/broker';
import { databaseOrmOptions, RandomIdGenerator, SystemClock } from '@tlp/service-runtime';
import { createTestDatabase } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { Registry } from 'prom-client';
import { DATABASE } from '../src/app.module';
import { CheckMetrics } from '../src/checks/check.metrics';
import { CheckRunService, type RunResult } from '../src/checks/check-run.service';
import type { DataQualitySettings } from '../src/projection/data-quality.settings';
import { seedProjections } from './bench-seed';

const settings: DataQualitySettings = {
  unlinkedGraceMs: 30_000, linkRateMin: 0.95, unprotectedGraceMs: 120_000, staleMarkAfterMs: 900_000,
  stuckSubmittedAfterMs: 300_000, autofixEnabled: false, checkIntervalMs: 900_000, schedulerEnabled: false, dailyReconciliationAt: '02:00',
};

async function main(): Promise<void> {
  // The stack's addresses (.stack/stack.env), as the test suites load them; run from the workspace root.
  createRequire(__filename)(path.join(process.cwd(), 'tools/testing/load-stack-env.cjs'));
  const orders = Number(process.argv[2] ?? 1_000_000);
  const keep = process.env['DQ_BENCH_KEEP'] === '1';
  const db = await createTestDatabase('dq_bench');
  const orm = await MikroORM.init(databaseOrmOptions({ ...DATABASE, clientUrl: db.url }));
  try {
    await orm.getMigrator().up();
    let started = Date.now();
    await seedProjections(orm, orders);
    console.log(`seeded ${orders.toLocaleString('en-US')} filled orders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const brokerPositions = await platformHoldings(orm);
    const broker = { listPositions: () => Promise.resolve(brokerPositions) } as unknown as BrokerPort;
    const service = new CheckRunService(orm, new SystemClock(), new RandomIdGenerator(), broker, settings, new CheckMetrics(new Registry(), orm));
    for (const [label, full] of [['first run (opens findings)', false], ['steady-state run', false], ['full run (with broker)', true]] as const) {
      started = Date.now();
      const result: RunResult = await service.run('ON_DEMAND', full);
      if (result.outcome !== 'COMPLETED') throw new Error(`run ${result.outcome}`);
      const s = result.summary;
      console.log(`${label}: ${((Date.now() - started) / 1000).toFixed(2)} s; ${s.openFindings} open, ${s.opened} opened, ${s.resolved} resolved; ${JSON.stringify(s.figures)}`);
    }
    const byType = await orm.em.fork().getConnection().execute<{ finding_type: string; n: number }[]>(`SELECT finding_type, count(*)::int AS n FROM dq_findings WHERE resolved_at IS NULL GROUP BY 1 ORDER BY 1`);
    console.log(`open findings by type: ${byType.map((r) => `${r.finding_type}=${r.n}`).join(', ')}`);
  } finally {
    await orm.close(true);
    if (keep) console.log(`kept database ${db.url}`);
    else await db.drop();
  }
}


async function platformHoldings(orm: MikroORM): Promise<PositionStatusReport[]> {
  const rows = await orm.em.fork().getConnection().execute<{ symbol: string; net: string }[]>(
    `SELECT symbol, sum(quantity)::text AS net FROM dq_positions WHERE status = 'OPEN' GROUP BY symbol`,
  );
  return rows.map((r) => ({ symbol: r.symbol, assetClass: 'EQUITY', quantity: new Decimal(r.net), averageEntryPrice: new Decimal(1), marketValue: null, currentPrice: null }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
