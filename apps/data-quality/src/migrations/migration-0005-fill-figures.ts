import { Migration } from '@mikro-orm/migrations';

/**
 * `dq_fills` keeps each fill's price, average price, fee and time, so a relink command can carry the
 * fill to a position-monitor that never received it. Fills projected before stay NULL there: their
 * relink commands carry no fills (position-monitor can then link only a fill it holds).
 */
export class Migration0005FillFigures extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE dq_fills ADD COLUMN last_price numeric, ADD COLUMN average_price numeric, ADD COLUMN fee numeric, ADD COLUMN filled_at timestamptz`);
  }
}
