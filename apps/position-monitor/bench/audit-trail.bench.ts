import { MikroORM } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthModule, Clock, SystemClock, databaseOrmOptions, mintToken, runMigrations } from '@tlp/service-runtime';
import { createTestDatabase } from '@tlp/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { buildAuditTrail } from '../src/api/audit-trail';
import { ApiModule } from '../src/api/api.module';
import { PositionsApiRepository } from '../src/api/positions-api.repository';
import { DATABASE } from '../src/app.module';
import { type SeedFill, seedPosition } from './position-seed';

export interface LatencyFigures {
  readonly requests: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const SECRET = 'audit-trail-bench-secret-0123456789abcdef';


/** Median time of each step of one request, measured in process apart from the HTTP loop. */
export interface StepFigures {
  readonly databaseRead: number;
  readonly build: number;
  readonly serialize: number;
  readonly clientParse: number;
  readonly responseBytes: number;
}

const elapsedMs = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;

/** Where a request's time goes: the repository's read as the user, the pure build, `JSON.stringify`, `JSON.parse`. */
async function measureSteps(repository: PositionsApiRepository, userId: string, positionId: string, runs: number): Promise<StepFigures> {
  const steps = { databaseRead: [] as number[], build: [] as number[], serialize: [] as number[], clientParse: [] as number[] };
  let responseBytes = 0;
  for (let i = 0; i < runs; i += 1) {
    let started = process.hrtime.bigint();
    const rows = await repository.auditTrailAsUser(userId, positionId);
    steps.databaseRead.push(elapsedMs(started));
    if (!rows) throw new Error('audit trail rows not visible to the bench user');
    started = process.hrtime.bigint();
    const trail = buildAuditTrail(rows.position, rows.orders, rows.fills);
    steps.build.push(elapsedMs(started));
    started = process.hrtime.bigint();
    const body = JSON.stringify(trail);
    steps.serialize.push(elapsedMs(started));
    started = process.hrtime.bigint();
    JSON.parse(body);
    steps.clientParse.push(elapsedMs(started));
    responseBytes = Buffer.byteLength(body);
  }
  return { databaseRead: median(steps.databaseRead), build: median(steps.build), serialize: median(steps.serialize), clientParse: median(steps.clientParse), responseBytes };
}

function percentiles(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { requests: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)! };
}

/** 1,000 orders of one fill each into one position, plus other users' positions RLS must skip. */
async function seed(client: Client, orders: number): Promise<string> {
  const positionId = randomUUID();
  const start = Date.UTC(2026, 2, 2, 14, 30);
  const fills: SeedFill[] = Array.from({ length: orders }, (_, i) => ({
    executionId: `x-${i}`,
    orderId: randomUUID(),
    side: i % 4 === 3 ? 'SELL' : 'BUY',
    quantity: '2',
    price: (100 + (i % 50) / 10).toFixed(2),
    fee: '0.01',
    filledAt: new Date(start + i * 1000),
  }));
  await seedPosition(client, { positionId, ownerId: 'bench-user', accountId: 'bench-account', symbol: 'AAPL', openedAt: new Date(start), fills, markPrice: '104' });
  for (let p = 0; p < 200; p += 1) {
    const other: SeedFill[] = Array.from({ length: 10 }, (_, i) => ({ executionId: `y-${p}-${i}`, orderId: randomUUID(), side: 'BUY', quantity: '1', price: '50', fee: '0', filledAt: new Date(start + i * 1000) }));
    await seedPosition(client, { positionId: randomUUID(), ownerId: `other-${p % 20}`, accountId: `acc-${p % 20}`, symbol: `S${p}`, openedAt: new Date(start), fills: other });
  }
  return positionId;
}

/**
 * `GET /positions/:id/audit-trail` over real HTTP (Nest on Fastify, JWT guard, RLS transaction on
 * the stack's PostgreSQL) for a position with `orders` orders; `requests` timed after a warm-up.
 */
export async function benchAuditTrail(
  orders = 1000,
  requests = 500,
): Promise<LatencyFigures & { cpuMsPerRequest: number; entries: number; consistent: boolean; steps: StepFigures }> {
  const db = await createTestDatabase('pm_bench');
  const orm = await MikroORM.init(databaseOrmOptions({ ...DATABASE, clientUrl: db.url }));
  let app: NestFastifyApplication | undefined;
  const client = new Client({ connectionString: db.url });
  try {
    await runMigrations(orm, { service: 'position-monitor' });
    await client.connect();
    const positionId = await seed(client, orders);
    await client.query('ANALYZE');
    @Module({
      imports: [AuthModule.forRoot({ key: { algorithm: 'HS256', secret: SECRET } }), ApiModule.forRoot({ databaseUrl: db.url })],
      providers: [{ provide: Clock, useClass: SystemClock }],
      exports: [Clock],
    })
    class BenchModule {}
    app = await NestFactory.create<NestFastifyApplication>({ module: BenchModule, global: true }, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/positions/${positionId}/audit-trail`.replace('[::1]', '127.0.0.1');
    const headers = { authorization: `Bearer ${mintToken({ sub: 'bench-user', permissions: ['positions:read'], key: { algorithm: 'HS256', secret: SECRET } })}` };
    const fetchTrail = async () => {
      const response = await fetch(url, { headers });
      if (response.status !== 200) throw new Error(`audit trail answered ${response.status}`);
      return (await response.json()) as { entries: unknown[]; summary: { quantityConsistent: boolean } };
    };
    for (let i = 0; i < 50; i += 1) await fetchTrail();
    const samples: number[] = [];
    const cpuBefore = process.cpuUsage();
    let last: Awaited<ReturnType<typeof fetchTrail>> | undefined;
    for (let i = 0; i < requests; i += 1) {
      const started = process.hrtime.bigint();
      last = await fetchTrail();
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / requests;
    const steps = await measureSteps(app.get(PositionsApiRepository), 'bench-user', positionId, Math.min(requests, 200));
    return { ...percentiles(samples), cpuMsPerRequest, entries: last?.entries.length ?? 0, consistent: last?.summary.quantityConsistent ?? false, steps };
  } finally {
    await app?.close();
    await client.end();
    await orm.close(true);
    await db.drop();
  }
}
