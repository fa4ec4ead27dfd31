import { Migration } from '@mikro-orm/migrations';

/**
 * Gives every position opened before migration 0002 its lifecycle. 0002 created
 * `position_lifecycles` empty, so a fill that reduced or closed such a position found no lifecycle
 * and was refused. The backfilled lifecycle takes the position's id (as `LifecycleService` does for
 * a position opened without a pending entry), is OPEN or CLOSED as the position is, and records one
 * history row with cause BACKFILLED. Expand-only: re-running it inserts nothing.
 */
export class Migration0004BackfillLifecycles extends Migration {
  override up(): void {
    this.addSql(`INSERT INTO position_lifecycles (lifecycle_id, position_id, account_id, owner_id, symbol, mode, trade_id, entry_order_id, state, created_at, updated_at)
      SELECT p.position_id, p.position_id, p.account_id, p.owner_id, p.symbol, p.mode, p.trade_id, NULL,
             CASE p.status WHEN 'OPEN' THEN 'OPEN' ELSE 'CLOSED' END, p.opened_at, COALESCE(p.closed_at, p.updated_at)
      FROM positions p
      WHERE NOT EXISTS (SELECT 1 FROM position_lifecycles l WHERE l.position_id = p.position_id)
      ON CONFLICT DO NOTHING`);
    this.addSql(`INSERT INTO position_lifecycle_history (lifecycle_id, seq, from_state, to_state, cause, order_id, execution_id, event_id, at)
      SELECT l.lifecycle_id, 1, NULL, l.state, 'BACKFILLED', NULL, NULL, NULL, l.updated_at
      FROM position_lifecycles l
      WHERE NOT EXISTS (SELECT 1 FROM position_lifecycle_history h WHERE h.lifecycle_id = l.lifecycle_id)`);
  }
}
