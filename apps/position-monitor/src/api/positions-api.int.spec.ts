import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AuthModule, Clock, FixedClock, databaseOrmOptions, mintToken, runMigrations } from '@tlp/service-runtime';
import { createTestDatabase, type TestDatabase } from '@tlp/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type SeedFill, seedPosition } from '../../bench/position-seed';
import { DATABASE } from '../app.module';
import { API_ROLE } from '../migrations/migration-0003-api-row-level-security';
import { ApiDatabase } from './api-database';
import { ApiModule } from './api.module';

const SECRET = 'positions-api-int-secret-0123456789abcdef';
const NOW = new Date('2026-03-02T16:00:00Z');
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 14, minute));
const fill = (side: 'BUY' | 'SELL', quantity: string, price: string, fee: string, minute: number, orderId = randomUUID()): SeedFill => ({
  executionId: `x-${randomUUID()}`,
  orderId,
  side,
  quantity,
  price,
  fee,
  filledAt: at(minute),
});

describe('positions API on PostgreSQL with row-level security', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let app: NestFastifyApplication;
  let raw: Client;
  const ids = { aliceOpen: randomUUID(), aliceClosed: randomUUID(), aliceOther: randomUUID(), bob: randomUUID() };
  const token = (sub: string, permissions = ['positions:read', 'positions:write']) =>
    mintToken({ sub, permissions, now: NOW, key: { algorithm: 'HS256', secret: SECRET } });
  const get = (url: string, sub = 'alice') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token(sub)}` } });

  beforeAll(async () => {
    db = await createTestDatabase('pm_api');
    orm = await MikroORM.init(databaseOrmOptions({ ...DATABASE, clientUrl: db.url }));
    await runMigrations(orm, { service: 'position-monitor' });
    raw = new Client({ connectionString: db.url });
    await raw.connect();
    const entry = randomUUID();
    await seedPosition(raw, { positionId: ids.aliceOpen, ownerId: 'alice', accountId: 'acc-a', symbol: 'AAPL', openedAt: at(0), markPrice: '110', fills: [fill('BUY', '6', '100', '0.6', 0, entry), fill('BUY', '4', '100.5', '0.4', 1, entry), fill('SELL', '3', '105', '0.3', 5)] });
    await seedPosition(raw, { positionId: ids.aliceClosed, ownerId: 'alice', accountId: 'acc-a', symbol: 'MSFT', openedAt: at(2), fills: [fill('SELL', '5', '400', '1', 2), fill('BUY', '5', '390', '1', 9)] });
    await seedPosition(raw, { positionId: ids.aliceOther, ownerId: 'alice', accountId: 'acc-a2', symbol: 'AAPL', openedAt: at(3), fills: [fill('BUY', '1', '101', '0', 3)] });
    await seedPosition(raw, { positionId: ids.bob, ownerId: 'bob', accountId: 'acc-b', symbol: 'AAPL', openedAt: at(4), fills: [fill('BUY', '100', '99', '2', 4)] });
    for (const [positionId, owner, account] of [[ids.aliceOpen, 'alice', 'acc-a'], [ids.bob, 'bob', 'acc-b']] as const) {
      const lifecycleId = randomUUID();
      await raw.query(
        `INSERT INTO position_lifecycles (lifecycle_id, position_id, account_id, owner_id, symbol, mode, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'AAPL', 'NETTING', 'MONITORING', $5, $5)`,
        [lifecycleId, positionId, account, owner, at(0)],
      );
      await raw.query(
        `INSERT INTO position_lifecycle_history (lifecycle_id, seq, from_state, to_state, cause, at) VALUES ($1, 1, NULL, 'OPEN', 'FILL', $2), ($1, 2, 'OPEN', 'MONITORING', 'EXITS_PLACED', $2)`,
        [lifecycleId, at(0)],
      );
    }

    const moduleRef = await Test.createTestingModule({
      imports: [
        { module: class ClockModule {}, global: true, providers: [{ provide: Clock, useValue: new FixedClock(NOW) }], exports: [Clock] },
        AuthModule.forRoot({ key: { algorithm: 'HS256', secret: SECRET } }),
        ApiModule.forRoot({ databaseUrl: db.url }),
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await raw?.end();
    await orm?.close(true);
    await db?.drop();
  });

  it('lists only the caller’s positions, newest first, with decimal strings', async () => {
    const alice = await get('/positions');
    expect(alice.statusCode).toBe(200);
    const body = alice.json<{ items: { positionId: string; ownerId: string }[]; nextCursor: string | null }>();
    expect(body.items.map((p) => p.positionId)).toEqual([ids.aliceOther, ids.aliceClosed, ids.aliceOpen]);
    expect(body.nextCursor).toBeNull();
    const bob = (await get('/positions', 'bob')).json<{ items: { positionId: string }[] }>();
    expect(bob.items.map((p) => p.positionId)).toEqual([ids.bob]);
    expect((await get('/positions', 'mallory')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('returns one position with its P&L as exact decimals', async () => {
    const response = await get(`/positions/${ids.aliceOpen}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      positionId: ids.aliceOpen, ownerId: 'alice', status: 'OPEN', lifecycleState: 'MONITORING', side: 'LONG', quantity: '7',
      averageEntryPrice: '100.2', entryValue: '1002', exitValue: '315', realizedPnlGross: '14.4', feesPaid: '1.3',
      realizedPnlNet: '13.1', realizedPnlPercent: '4.3579507651363938789', markPrice: '110', marketValue: '770', unrealizedPnl: '68.6', closedAt: null,
    });
  });

  it('answers 404, never 403, for another user’s position id, its audit trail and its account', async () => {
    const missing = await get(`/positions/${randomUUID()}`);
    const foreign = await get(`/positions/${ids.bob}`);
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(Object.keys(foreign.json<object>())).toEqual(Object.keys(missing.json<object>()));
    expect((await get(`/positions/${ids.bob}/audit-trail`)).statusCode).toBe(404);
    expect((await get('/positions/not-a-uuid')).statusCode).toBe(404);
    expect((await get('/accounts/acc-b/pnl')).statusCode).toBe(404);
    expect((await get('/positions?account=acc-b')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('lets a user change their own position’s note but not another’s, even with its id', async () => {
    const patch = (id: string, sub: string, note: string) =>
      app.inject({ method: 'PATCH', url: `/positions/${id}`, headers: { authorization: `Bearer ${token(sub)}` }, payload: { note } });
    expect((await patch(ids.bob, 'alice', 'mine now')).statusCode).toBe(404);
    const own = await patch(ids.aliceOpen, 'alice', 'scaling out');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ note: 'scaling out' });
    const notes = await raw.query<{ position_id: string; note: string | null }>('SELECT position_id, note FROM positions WHERE position_id = ANY($1)', [[ids.bob, ids.aliceOpen]]);
    expect(Object.fromEntries(notes.rows.map((r) => [r.position_id, r.note]))).toEqual({ [ids.bob]: null, [ids.aliceOpen]: 'scaling out' });
    const readOnly = await app.inject({ method: 'PATCH', url: `/positions/${ids.aliceOpen}`, headers: { authorization: `Bearer ${token('alice', ['positions:read'])}` }, payload: { note: 'x' } });
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json()).toMatchObject({ missingPermissions: ['positions:write'] });
  });

  it('is the database that isolates: raw statements as the API role without any owner filter', async () => {
    const asRole = async <T>(userId: string | null, work: () => Promise<T>): Promise<T> => {
      await raw.query('BEGIN');
      try {
        await raw.query(`SET LOCAL ROLE ${API_ROLE}`);
        if (userId !== null) await raw.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
        return await work();
      } finally {
        await raw.query('ROLLBACK');
      }
    };
    const owners = (sql: string) => raw.query<{ owner: string }>(sql).then((r) => r.rows.map((row) => row.owner).sort());
    expect(await asRole('alice', () => owners('SELECT owner_id AS owner FROM positions'))).toEqual(['alice', 'alice', 'alice']);
    expect(await asRole('alice', () => owners('SELECT p.owner_id AS owner FROM position_fills f JOIN positions p USING (position_id)'))).toHaveLength(6);
    expect(await asRole('alice', () => raw.query(`SELECT * FROM position_fills WHERE position_id = '${ids.bob}'`).then((r) => r.rowCount))).toBe(0);
    expect(await asRole('alice', () => raw.query(`SELECT * FROM position_orders WHERE position_id = '${ids.bob}'`).then((r) => r.rowCount))).toBe(0);
    expect(await asRole(null, () => owners('SELECT owner_id AS owner FROM positions'))).toEqual([]);
    expect(await asRole('alice', () => owners('SELECT owner_id AS owner FROM position_lifecycles'))).toEqual(['alice']);
    expect(await asRole('alice', () => raw.query('SELECT * FROM position_lifecycle_history').then((r) => r.rowCount))).toBe(2);
    expect(await asRole('carol', () => raw.query('SELECT * FROM position_lifecycle_history').then((r) => r.rowCount))).toBe(0);
    expect(await asRole('alice', () => raw.query(`UPDATE positions SET note = 'all'`).then((r) => r.rowCount))).toBe(3);
    await expect(asRole('alice', () => raw.query(`UPDATE positions SET quantity = 0 WHERE position_id = '${ids.aliceOpen}'`))).rejects.toThrow(/permission denied/);
    await expect(asRole('alice', () => raw.query(`UPDATE positions SET owner_id = 'alice'`))).rejects.toThrow(/permission denied/);
    await expect(asRole('alice', () => raw.query(`DELETE FROM positions`))).rejects.toThrow(/permission denied/);
    await expect(asRole('bob', () => raw.query(`UPDATE positions SET note = 'x' WHERE owner_id = 'alice' RETURNING 1`).then((r) => r.rowCount))).resolves.toBe(0);
  });

  it('keeps each request to its own user on a reused connection, after errors and with hostile values', async () => {
    const database = new ApiDatabase({ databaseUrl: db.url, poolSize: 1 });
    try {
      const who = "SELECT current_user AS role, current_setting('app.user_id', true) AS user_id, (SELECT count(*) FROM positions)::int AS visible";
      await expect(database.asUser('alice', (scope) => scope.query('SELECT 1/0'))).rejects.toThrow(/division by zero/);
      await expect(database.queryAsUser('alice', 'SELECT 1/0')).rejects.toThrow(/division by zero/);
      expect(await database.queryAsUser('bob', who)).toEqual([{ role: API_ROLE, user_id: 'bob', visible: 1 }]);
      expect(await database.asUser('alice', (scope) => scope.query(who))).toEqual([{ role: API_ROLE, user_id: 'alice', visible: 3 }]);
      const hostile = "x', true); SELECT set_config('app.user_id', 'alice";
      expect(await database.queryAsUser(hostile, who)).toEqual([{ role: API_ROLE, user_id: hostile, visible: 0 }]);
      expect(await database.queryAsUser('bob', 'SELECT count(*)::int AS n FROM positions WHERE symbol = $1', ["AAPL' OR 'x' = 'x"])).toEqual([{ n: 0 }]);
    } finally {
      await database.onModuleDestroy();
    }
  });

  it('filters, sorts and pages with a cursor', async () => {
    const ids1 = async (query: string) => (await get(`/positions?${query}`)).json<{ items: { positionId: string }[]; nextCursor: string | null }>();
    expect((await ids1('account=acc-a&status=open')).items.map((p) => p.positionId)).toEqual([ids.aliceOpen]);
    expect((await ids1('symbol=AAPL&sort=openedAt')).items.map((p) => p.positionId)).toEqual([ids.aliceOpen, ids.aliceOther]);
    expect((await ids1('status=CLOSED&side=flat')).items.map((p) => p.positionId)).toEqual([ids.aliceClosed]);
    expect((await ids1('openedFrom=2026-03-02T14:01:00Z&openedTo=2026-03-02T14:03:00Z')).items.map((p) => p.positionId)).toEqual([ids.aliceClosed]);
    expect((await ids1('sort=-realizedPnlGross')).items.map((p) => p.positionId)).toEqual([ids.aliceClosed, ids.aliceOpen, ids.aliceOther]);
    const first = await ids1('sort=openedAt&limit=2');
    expect(first.items.map((p) => p.positionId)).toEqual([ids.aliceOpen, ids.aliceClosed]);
    const second = await ids1(`sort=openedAt&limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ positionId: ids.aliceOther })], nextCursor: null });
  });

  it('answers 400 naming the parameter', async () => {
    const problem = async (query: string) => {
      const response = await get(`/positions?${query}`);
      expect(response.statusCode).toBe(400);
      return response.json<{ parameters: string[] }>().parameters;
    };
    expect(await problem('limit=0')).toEqual(['limit']);
    expect(await problem('status=HALF')).toEqual(['status']);
    expect(await problem('sort=owner_id')).toEqual(['sort']);
    expect(await problem('openedFrom=yesterday')).toEqual(['openedFrom']);
    expect(await problem('cursor=abc')).toEqual(['cursor']);
    expect(await problem('colour=red')).toEqual(['colour']);
    expect(await problem('limit=1&limit=2')).toEqual(['limit']);
  });

  it('gives the audit trail in time order with a consistent summary', async () => {
    const response = await get(`/positions/${ids.aliceOpen}/audit-trail`);
    expect(response.statusCode).toBe(200);
    const trail = response.json<{ entries: { kind: string; at: string }[]; summary: object }>();
    expect(trail.entries.map((e) => e.kind)).toEqual(['ORDER', 'FILL', 'FILL', 'ORDER', 'FILL']);
    expect(trail.entries.map((e) => e.at)).toEqual([...trail.entries.map((e) => e.at)].sort());
    expect(trail.summary).toEqual({
      orderCount: 2, fillCount: 3, signedQuantity: '7', signedFillQuantity: '7', quantityConsistent: true,
      feesPaid: '1.3', feesOfFills: '1.3', feesConsistent: true,
    });
    const closed = (await get(`/positions/${ids.aliceClosed}/audit-trail`)).json<{ summary: { signedQuantity: string; quantityConsistent: boolean } }>();
    expect(closed.summary).toMatchObject({ signedQuantity: '0', quantityConsistent: true });
  });

  it('writes the audit trail from the stored text exactly: microseconds truncated, numerics as stored, any execution id', async () => {
    const positionId = randomUUID();
    const entry = randomUUID();
    const odd = 'ex|"quoted" \\ back\nslash ü|';
    await seedPosition(raw, { positionId, ownerId: 'dave', accountId: 'acc-d', symbol: 'TSLA', openedAt: at(0), fills: [fill('SELL', '2', '100', '0.05', 0, entry), fill('SELL', '3', '99', '0.03', 1, entry)] });
    await raw.query(`UPDATE position_fills SET execution_id = $2, filled_at = filled_at + interval '0.999999 s', quantity = 2.50, price = 100.10, fee = 0.0500 WHERE position_id = $1 AND quantity = 2`, [positionId, odd]);
    await raw.query(`UPDATE position_fills SET filled_at = filled_at + interval '0.0005 s', quantity = 3.00 WHERE position_id = $1 AND quantity = 3`, [positionId]);
    await raw.query(`UPDATE positions SET quantity = 5.50, entry_quantity = 5.50 WHERE position_id = $1`, [positionId]);
    await raw.query(`UPDATE position_orders SET linked_at = '2026-03-02T13:59:59.123456Z' WHERE position_id = $1`, [positionId]);
    const response = await get(`/positions/${positionId}/audit-trail`, 'dave');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      positionId,
      entries: [
        { kind: 'ORDER', at: '2026-03-02T13:59:59.123Z', orderId: entry, purpose: 'ENTRY', side: 'SELL', filledQuantity: '5.5', averageFillPrice: '99.5', fees: '0.08', fillCount: 2 },
        { kind: 'FILL', at: '2026-03-02T14:00:00.999Z', executionId: odd, orderId: entry, side: 'SELL', quantity: '2.50', price: '100.10', fee: '0.0500', transition: 'OPENED', source: 'ORDER_FILLED' },
        { kind: 'FILL', at: '2026-03-02T14:01:00.000Z', executionId: expect.any(String), orderId: entry, side: 'SELL', quantity: '3.00', price: '99', fee: '0.03', transition: 'INCREASED', source: 'ORDER_FILLED' },
      ],
      summary: { orderCount: 1, fillCount: 2, signedQuantity: '-5.5', signedFillQuantity: '-5.5', quantityConsistent: true, feesPaid: '0.08', feesOfFills: '0.08', feesConsistent: true },
    });
    expect((await get(`/positions/${positionId}/audit-trail`, 'alice')).statusCode).toBe(404);
  });

  it('reads the statements of a multi-statement read on one snapshot, as the user', async () => {
    const database = new ApiDatabase({ databaseUrl: db.url, poolSize: 1 });
    try {
      const [first, second] = await database.readTextAsUser('bob', [
        "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only'), current_user::text",
        'SELECT owner_id FROM positions UNION ALL SELECT p.owner_id FROM position_fills f JOIN positions p USING (position_id)',
      ]);
      expect(first).toEqual([['repeatable read', 'on', API_ROLE]]);
      expect(new Set(second?.map((r) => r[0]))).toEqual(new Set(['bob']));
      await expect(database.readTextAsUser('bob', ['SELECT 1', "UPDATE positions SET note = 'x'"])).rejects.toThrow(/read-only transaction/);
      expect(await database.readTextAsUser("x', true); SELECT set_config('app.user_id', 'alice", ['SELECT count(*) FROM positions', 'SELECT count(*) FROM position_orders'])).toEqual([[['0']], [['0']]]);
    } finally {
      await database.onModuleDestroy();
    }
  });

  it('flags a position whose stored quantity disagrees with its fills', async () => {
    await raw.query(`UPDATE positions SET quantity = 8, entry_quantity = 11 WHERE position_id = $1`, [ids.aliceOpen]);
    try {
      const trail = (await get(`/positions/${ids.aliceOpen}/audit-trail`)).json<{ summary: object }>();
      expect(trail.summary).toMatchObject({ signedQuantity: '8', signedFillQuantity: '7', quantityConsistent: false });
    } finally {
      await raw.query(`UPDATE positions SET quantity = 7, entry_quantity = 10 WHERE position_id = $1`, [ids.aliceOpen]);
    }
  });

  it('sums P&L per account and per symbol', async () => {
    const response = await get('/accounts/acc-a/pnl');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      accountId: 'acc-a',
      total: { openPositions: 1, closedPositions: 1, realizedPnlGross: '64.4', feesPaid: '3.3', realizedPnlNet: '61.1', unrealizedPnl: '68.6', unvaluedOpenPositions: 0, lastMarkedAt: at(5).toISOString() },
      bySymbol: [
        expect.objectContaining({ symbol: 'AAPL', realizedPnlGross: '14.4', unrealizedPnl: '68.6' }),
        expect.objectContaining({ symbol: 'MSFT', realizedPnlGross: '50', feesPaid: '2', realizedPnlNet: '48', openPositions: 0, closedPositions: 1 }),
      ],
    });
  });

  it('refuses requests without a valid token or without positions:read', async () => {
    expect((await app.inject({ method: 'GET', url: '/positions' })).statusCode).toBe(401);
    const noRead = await app.inject({ method: 'GET', url: '/positions', headers: { authorization: `Bearer ${token('alice', ['dq:admin'])}` } });
    expect(noRead.statusCode).toBe(403);
    expect(noRead.json()).toMatchObject({ message: 'missing permission positions:read' });
  });
});
