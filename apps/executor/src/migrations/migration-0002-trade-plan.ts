import { Migration } from '@mikro-orm/migrations';

/** Expand: the trade plan of an ENTRY order (published in `order.submitted` for the order monitor's exits). */
export class Migration0002TradePlan extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE execution_orders
      ADD COLUMN trade_style text CHECK (trade_style IN ('SWING', 'DAY')),
      ADD COLUMN planned_entry_price numeric CHECK (planned_entry_price > 0),
      ADD COLUMN planned_stop_loss numeric CHECK (planned_stop_loss > 0),
      ADD COLUMN planned_take_profit numeric CHECK (planned_take_profit > 0)`);
  }
}
