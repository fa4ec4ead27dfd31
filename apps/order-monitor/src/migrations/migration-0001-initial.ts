import { Migration } from '@mikro-orm/migrations';
import { messagingSchemaSql } from '@tlp/messaging';

/** Order-monitor tables: tracked orders, applied executions, fills parked until their order is known. */
export class Migration0001Initial extends Migration {
  override up(): void {
    for (const sql of messagingSchemaSql()) this.addSql(sql);
    this.addSql(`CREATE TABLE tracked_orders (
      order_id uuid PRIMARY KEY,
      client_order_id text NOT NULL UNIQUE,
      broker_order_id text UNIQUE,
      ref jsonb NOT NULL,
      quantity numeric NOT NULL CHECK (quantity > 0),
      filled_quantity numeric NOT NULL DEFAULT 0 CHECK (filled_quantity >= 0),
      average_fill_price numeric CHECK (average_fill_price > 0),
      status text NOT NULL CHECK (status IN ('ACCEPTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED', 'PENDING_CANCEL',
        'PENDING_REPLACE', 'CANCELED', 'EXPIRED', 'REJECTED', 'REPLACED', 'DONE_FOR_DAY')),
      correlation_id uuid NOT NULL,
      causation_id uuid,
      submitted_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK ((filled_quantity = 0) = (average_fill_price IS NULL)))`);
    this.addSql(`CREATE TABLE order_executions (
      execution_id text PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES tracked_orders (order_id),
      quantity numeric NOT NULL CHECK (quantity > 0),
      price numeric NOT NULL CHECK (price > 0),
      cumulative_quantity numeric NOT NULL CHECK (cumulative_quantity > 0),
      fee numeric NOT NULL CHECK (fee >= 0),
      source text NOT NULL CHECK (source IN ('STREAM', 'HISTORY')),
      executed_at timestamptz NOT NULL,
      UNIQUE (order_id, cumulative_quantity))`);
    this.addSql(`CREATE TABLE parked_fills (
      execution_id text PRIMARY KEY,
      client_order_id text,
      broker_order_id text NOT NULL,
      report jsonb NOT NULL,
      parked_at timestamptz NOT NULL)`);
    this.addSql(`CREATE INDEX parked_fills_client_order_idx ON parked_fills (client_order_id)`);
    this.addSql(`CREATE INDEX parked_fills_broker_order_idx ON parked_fills (broker_order_id)`);
    this.addSql(`CREATE INDEX tracked_orders_open_idx ON tracked_orders (submitted_at)
      WHERE status NOT IN ('FILLED', 'CANCELED', 'EXPIRED', 'REJECTED', 'REPLACED')`);
  }
}
