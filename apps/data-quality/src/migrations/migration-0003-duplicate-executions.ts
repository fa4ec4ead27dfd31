import { Migration } from '@mikro-orm/migrations';

/**
 * Duplicate executions detected as they are projected (an index lookup per fill) instead of by
 * grouping every fill at each check run: the check then reads only the duplicates. Backfilled from
 * the fills and position executions already projected.
 */
export class Migration0003DuplicateExecutions extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE dq_duplicate_executions (
      entity_key text PRIMARY KEY,
      execution_id text NOT NULL,
      order_id uuid,
      position_id uuid,
      occurrences integer NOT NULL CHECK (occurrences > 1),
      detected_at timestamptz NOT NULL)`);
    this.addSql(`INSERT INTO dq_duplicate_executions (entity_key, execution_id, order_id, occurrences, detected_at)
      SELECT 'execution:' || execution_id, execution_id, min(order_id::text)::uuid, count(*), now()
      FROM dq_fills GROUP BY execution_id HAVING count(*) > 1`);
    this.addSql(`INSERT INTO dq_duplicate_executions (entity_key, execution_id, position_id, occurrences, detected_at)
      SELECT 'position-execution:' || position_id || ':' || execution_id, execution_id, position_id, count(*), now()
      FROM dq_position_executions GROUP BY position_id, execution_id HAVING count(*) > 1`);
  }
}
