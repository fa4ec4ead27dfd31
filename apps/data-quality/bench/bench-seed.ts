import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Seeds data-quality's projections set-based (generate_series) with `orders` filled orders spread
 * over 10,000 account and instrument pairs, one open position per pair, every position protected by
 * a stop-loss, and a few planted defects per check so each check has work to report:
 * 1 in 1,000 orders unlinked (spread over the pairs), 10 positions off by one, 10 duplicated executions, 10 orphan links.
 */
export async function seedProjections(orm: MikroORM, orders: number): Promise<void> {
  const conn = orm.em.fork().getConnection();
  const exec = (sql: string) => conn.execute(sql);
  const pairs = 10_000;
  const pair = `(i % ${pairs})`;
  const at = `(now() - interval '1 hour')`;
  const LINKED = `((i + i / ${pairs}) % 1000 <> 999)`;
  await exec(`INSERT INTO dq_positions (position_id, account_id, symbol, status, quantity, revision, updated_at, owner_id, side,
      trade_id, opened_at, mark_price, marked_at)
    SELECT md5('pos' || p)::uuid, 'acc-' || (p / 10), 'SYM' || (p % 10), 'OPEN', 0, 1, ${at}, 'own-' || (p / 10), 'LONG',
      NULL, now() - interval '2 days', 100, now()
    FROM generate_series(0, ${pairs - 1}) p`);
  await exec(`INSERT INTO dq_orders (order_id, account_id, owner_id, symbol, asset_class, multiplier, trade_id, purpose, side,
      quantity, status, status_rank, submitted_at, updated_at)
    SELECT md5('ord' || i)::uuid, 'acc-' || (${pair} / 10), 'own-' || (${pair} / 10), 'SYM' || (i % 10), 'EQUITY', 1,
      md5('trade' || i)::uuid, 'ENTRY', 'BUY', 1, 'FILLED', 3, ${at}, ${at}
    FROM generate_series(0, ${orders - 1}) i`);
  // \`linked\` as the projection sets it: true exactly for the orders linked below.
  await exec(`INSERT INTO dq_filled_orders (order_id, account_id, symbol, side, filled_quantity, fill_count, first_filled_at, last_filled_at, linked)
    SELECT md5('ord' || i)::uuid, 'acc-' || (${pair} / 10), 'SYM' || (i % 10), 'BUY', 1, 1, ${at}, ${at}, ${LINKED}
    FROM generate_series(0, ${orders - 1}) i`);
  await exec(`INSERT INTO dq_fills (execution_id, order_id, cumulative_quantity, last_quantity)
    SELECT 'exec-' || i, md5('ord' || i)::uuid, 1, 1 FROM generate_series(0, ${orders - 1}) i`);
  await exec(`INSERT INTO dq_order_links (order_id, position_id, first_seen_at)
    SELECT md5('ord' || i)::uuid, md5('pos' || ${pair})::uuid, ${at} FROM generate_series(0, ${orders - 1}) i WHERE ${LINKED}`);
  await exec(`INSERT INTO dq_position_executions (position_id, execution_id, revision)
    SELECT md5('pos' || ${pair})::uuid, 'exec-' || i, i / ${pairs} + 2 FROM generate_series(0, ${orders - 1}) i WHERE ${LINKED}`);
  await exec(`UPDATE dq_positions p SET quantity = c.n FROM
    (SELECT position_id, count(*) AS n FROM dq_order_links GROUP BY position_id) c WHERE c.position_id = p.position_id`);
  await exec(`INSERT INTO dq_orders (order_id, account_id, owner_id, symbol, asset_class, multiplier, trade_id, purpose, side,
      quantity, status, status_rank, submitted_at, updated_at)
    SELECT md5('sl' || p.position_id)::uuid, p.account_id, p.owner_id, p.symbol, 'EQUITY', 1, md5('sl-trade' || p.position_id)::uuid,
      'STOP_LOSS', 'SELL', p.quantity, 'ACCEPTED', 1, ${at}, ${at} FROM dq_positions p`);
  await plantDefects(exec);
  await exec('ANALYZE');
}

async function plantDefects(exec: (sql: string) => Promise<unknown>): Promise<void> {
  await exec(`UPDATE dq_positions SET quantity = quantity + 1 WHERE position_id IN (SELECT md5('pos' || p)::uuid FROM generate_series(0, 9) p)`);
  await exec(`INSERT INTO dq_fills (execution_id, order_id, cumulative_quantity, last_quantity)
    SELECT 'exec-' || i, md5('ord' || (i + 1))::uuid, 2, 1 FROM generate_series(0, 9) i`);
  // What the projection records when it stores such a fill (projection.service.ts).
  await exec(`INSERT INTO dq_duplicate_executions (entity_key, execution_id, order_id, occurrences, detected_at)
    SELECT 'execution:exec-' || i, 'exec-' || i, md5('ord' || (i + 1))::uuid, 2, now() FROM generate_series(0, 9) i`);
  await exec(`INSERT INTO dq_order_links (order_id, position_id, first_seen_at)
    SELECT md5('ord' || i)::uuid, md5('missing-pos' || i)::uuid, now() - interval '1 hour' FROM generate_series(0, 9) i`);
}
