import { Migration } from '@mikro-orm/migrations';

/**
 * Exit orders placed as one native OCO pair at the broker (`order_class` OCO: the take-profit is the
 * order sent, the stop-loss its leg) or each on its own (SIMPLE, the emulated OCO).
 */
export class Migration0004OcoExits extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE exit_orders ADD COLUMN order_class text NOT NULL DEFAULT 'SIMPLE' CHECK (order_class IN ('SIMPLE', 'OCO'))`);
  }
}
