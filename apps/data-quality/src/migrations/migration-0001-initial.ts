import { Migration } from '@mikro-orm/migrations';
import { messagingSchemaSql } from '@tlp/messaging';

/**
 * Data-quality's own projections, built from the topics only (it never reads another service's
 * database): filled orders from `order.filled`, order-to-position links from `position.updated`.
 */
export class Migration0001Initial extends Migration {
  override up(): void {
    for (const sql of messagingSchemaSql()) this.addSql(sql);
    this.addSql(`CREATE TABLE dq_filled_orders (
      order_id uuid PRIMARY KEY,
      account_id text NOT NULL,
      symbol text NOT NULL,
      side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
      filled_quantity numeric NOT NULL CHECK (filled_quantity > 0),
      fill_count integer NOT NULL CHECK (fill_count > 0),
      first_filled_at timestamptz NOT NULL,
      last_filled_at timestamptz NOT NULL)`);
    this.addSql(`CREATE TABLE dq_fills (
      execution_id text NOT NULL,
      order_id uuid NOT NULL,
      cumulative_quantity numeric NOT NULL,
      last_quantity numeric NOT NULL,
      PRIMARY KEY (order_id, cumulative_quantity))`);
    this.addSql(`CREATE TABLE dq_order_links (
      order_id uuid NOT NULL,
      position_id uuid NOT NULL,
      first_seen_at timestamptz NOT NULL,
      PRIMARY KEY (order_id, position_id))`);
    this.addSql(`CREATE TABLE dq_positions (
      position_id uuid PRIMARY KEY,
      account_id text NOT NULL,
      symbol text NOT NULL,
      status text NOT NULL,
      quantity numeric NOT NULL,
      revision integer NOT NULL,
      updated_at timestamptz NOT NULL)`);
  }
}
