import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { inbox, orderFilled, PositionMonitorHarness } from '../test/position-monitor.harness';
import { API_ROLE } from './migration-0003-api-row-level-security';

const ALICE_POSITION = randomUUID();
const BOB_POSITION = randomUUID();

/** Rows as 0004 left them: link rows without `owner_id`. */
async function seedV4(execute: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  for (const [positionId, owner, symbol] of [[ALICE_POSITION, 'alice', 'OWA'], [BOB_POSITION, 'bob', 'OWB']] as const) {
    await execute(
      `INSERT INTO positions (position_id, account_id, owner_id, symbol, asset_class, multiplier, trade_id, status, side, quantity,
         average_entry_price, open_cost, entry_quantity, entry_notional, closed_quantity, exit_notional, average_exit_price,
         realized_pnl_gross, fees_paid, opened_at, closed_at, revision, updated_at)
       VALUES (?, ?, ?, ?, 'EQUITY', 1, NULL, 'OPEN', 'LONG', 10, 100, 1000, 10, 1000, 0, 0, NULL, 0, 0, '2026-03-01T15:00:00Z', NULL, 1, '2026-03-01T15:00:00Z')`,
      [positionId, `acc-${owner}`, owner, symbol],
    );
    const orderId = randomUUID();
    await execute(`INSERT INTO position_fills (execution_id, order_id, position_id, side, quantity, price, fee, transition, filled_at)
      VALUES (?, ?, ?, 'BUY', 10, 100, 0, 'OPENED', '2026-03-01T15:00:00Z')`, [`exec-${owner}`, orderId, positionId]);
    await execute(`INSERT INTO position_orders (order_id, position_id, purpose, trade_id, linked_at) VALUES (?, ?, 'ENTRY', NULL, '2026-03-01T15:00:00Z')`, [orderId, positionId]);
  }
}

describe('migration 0005: link rows carry their position owner for row-level security', () => {
  let h: PositionMonitorHarness;
  let raw: Client;

  beforeAll(async () => {
    h = await PositionMonitorHarness.start('pm_link_owner', undefined, { migratedTo: '0004-backfill-lifecycles', seed: seedV4 });
    raw = new Client({ connectionString: h.db.url });
    await raw.connect();
  });

  afterAll(async () => {
    await raw?.end();
    await h?.stop();
  });

  const owners = async (table: string) =>
    (await raw.query<{ position_id: string; owner_id: string }>(`SELECT position_id, owner_id FROM ${table} ORDER BY owner_id`)).rows.map((r) => `${r.position_id}:${r.owner_id}`);
  const asUser = async (userId: string, sql: string): Promise<number> => {
    await raw.query('BEGIN');
    try {
      await raw.query(`SET LOCAL ROLE ${API_ROLE}`);
      await raw.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
      return (await raw.query(sql)).rowCount ?? 0;
    } finally {
      await raw.query('ROLLBACK');
    }
  };

  it('backfills every existing fill and order link and makes the column NOT NULL', async () => {
    const expected = [`${ALICE_POSITION}:alice`, `${BOB_POSITION}:bob`];
    expect(await owners('position_fills')).toEqual(expected);
    expect(await owners('position_orders')).toEqual(expected);
    const nullable = await raw.query<{ table_name: string; is_nullable: string }>(
      `SELECT table_name, is_nullable FROM information_schema.columns WHERE column_name = 'owner_id' AND table_name IN ('position_fills', 'position_orders') ORDER BY 1`,
    );
    expect(nullable.rows).toEqual([{ table_name: 'position_fills', is_nullable: 'NO' }, { table_name: 'position_orders', is_nullable: 'NO' }]);
  });

  it('sets the owner of rows the service writes, and of a crafted owner, from the position', async () => {
    const orderId = randomUUID();
    const event = orderFilled({ orderId, symbol: 'OWN', purpose: 'ENTRY', side: 'BUY', quantity: '3' }, { lastQuantity: '3', price: '50' });
    await h.positions.process(event, inbox(event.eventId, 'order.filled'));
    const [written] = await h.query<{ fill_owner: string; order_owner: string; position_owner: string }>(
      `SELECT f.owner_id AS fill_owner, o.owner_id AS order_owner, p.owner_id AS position_owner
       FROM position_fills f JOIN position_orders o USING (order_id, position_id) JOIN positions p USING (position_id) WHERE f.order_id = ?`,
      [orderId],
    );
    expect(written).toEqual({ fill_owner: expect.any(String), order_owner: written?.position_owner, position_owner: written?.fill_owner });

    await raw.query(`INSERT INTO position_fills (execution_id, order_id, position_id, side, quantity, price, fee, transition, filled_at, owner_id)
      VALUES ('exec-crafted', $1, $2, 'BUY', 1, 100, 0, 'INCREASED', now(), 'alice')`, [randomUUID(), BOB_POSITION]);
    await raw.query(`UPDATE position_orders SET owner_id = 'alice' WHERE position_id = $1`, [BOB_POSITION]);
    expect((await raw.query(`SELECT owner_id FROM position_fills WHERE execution_id = 'exec-crafted'`)).rows).toEqual([{ owner_id: 'bob' }]);
    expect((await raw.query(`SELECT owner_id FROM position_orders WHERE position_id = $1`, [BOB_POSITION])).rows).toEqual([{ owner_id: 'bob' }]);
  });

  it('isolates fills and orders by their own column, and follows a change of the position owner', async () => {
    expect(await asUser('alice', 'SELECT 1 FROM position_fills')).toBe(1);
    expect(await asUser('alice', `SELECT 1 FROM position_fills WHERE position_id = '${BOB_POSITION}'`)).toBe(0);
    expect(await asUser('alice', `SELECT 1 FROM position_orders WHERE position_id = '${BOB_POSITION}'`)).toBe(0);
    expect(await asUser('bob', 'SELECT 1 FROM position_orders')).toBe(1);
    expect(await asUser('mallory', 'SELECT 1 FROM position_fills')).toBe(0);

    await raw.query(`UPDATE positions SET owner_id = 'carol' WHERE position_id = $1`, [ALICE_POSITION]);
    expect(await asUser('alice', 'SELECT 1 FROM position_fills')).toBe(0);
    expect(await asUser('carol', 'SELECT 1 FROM position_fills')).toBe(1);
    expect(await asUser('carol', 'SELECT 1 FROM position_orders')).toBe(1);
  });
});
