import { Migration } from '@mikro-orm/migrations';

/** Expand: the CANCELED submission state, for a SCHEDULED order canceled before the daily run sent it (nothing reached the broker). */
export class Migration0004CanceledBeforeSubmission extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE execution_orders DROP CONSTRAINT execution_orders_submission_state_check`);
    this.addSql(`ALTER TABLE execution_orders ADD CONSTRAINT execution_orders_submission_state_check
      CHECK (submission_state IN ('SCHEDULED', 'PENDING', 'ACCEPTED', 'REJECTED', 'UNKNOWN', 'CANCELED'))`);
  }
}
