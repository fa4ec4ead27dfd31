import { Migration } from '@mikro-orm/migrations';

/**
 * Expand: the SCHEDULED submission state (an order waiting, unscreened, for the daily run) and the
 * `scheduled_runs` claim table: one row per New York trading date, inserted by the one replica that
 * runs it; `finished_at` stays null until every order of the run is settled.
 */
export class Migration0003ScheduledRuns extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE execution_orders DROP CONSTRAINT execution_orders_submission_state_check`);
    this.addSql(`ALTER TABLE execution_orders ADD CONSTRAINT execution_orders_submission_state_check
      CHECK (submission_state IN ('SCHEDULED', 'PENDING', 'ACCEPTED', 'REJECTED', 'UNKNOWN'))`);
    this.addSql(`CREATE INDEX execution_orders_scheduled_idx ON execution_orders (created_at) WHERE submission_state = 'SCHEDULED'`);
    this.addSql(`CREATE TABLE scheduled_runs (
      run_date date PRIMARY KEY,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      orders_submitted integer NOT NULL DEFAULT 0 CHECK (orders_submitted >= 0),
      CHECK (finished_at IS NULL OR finished_at >= started_at))`);
  }
}
