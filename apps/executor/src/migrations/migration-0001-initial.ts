import { Migration } from '@mikro-orm/migrations';
import { messagingSchemaSql } from '@tlp/messaging';

/** Executor tables: decisions, the orders placed for them, and the messaging inbox/outbox. */
export class Migration0001Initial extends Migration {
  override up(): void {
    for (const sql of messagingSchemaSql()) this.addSql(sql);
    this.addSql(`CREATE TABLE decisions (
      decision_id uuid PRIMARY KEY,
      action text NOT NULL CHECK (action IN ('NEW_TRADE', 'CANCEL', 'AMEND')),
      account_id text NOT NULL,
      owner_id text NOT NULL,
      payload jsonb NOT NULL,
      source text NOT NULL CHECK (source IN ('KAFKA', 'HTTP')),
      correlation_id uuid NOT NULL,
      source_event_id uuid,
      status text NOT NULL CHECK (status IN ('RECEIVED', 'EXECUTED', 'DENIED')),
      outcome_code text,
      received_at timestamptz NOT NULL,
      executed_at timestamptz,
      CHECK ((status = 'RECEIVED') = (executed_at IS NULL)))`);
    this.addSql(`CREATE TABLE execution_orders (
      order_id uuid PRIMARY KEY,
      decision_id uuid NOT NULL REFERENCES decisions (decision_id),
      purpose text NOT NULL CHECK (purpose IN ('ENTRY')),
      client_order_id text NOT NULL UNIQUE,
      broker text NOT NULL,
      broker_order_id text UNIQUE,
      trade_id uuid NOT NULL,
      leg_number integer CHECK (leg_number BETWEEN 1 AND 4),
      account_id text NOT NULL,
      owner_id text NOT NULL,
      symbol text NOT NULL,
      asset_class text NOT NULL CHECK (asset_class IN ('EQUITY', 'OPTION', 'CRYPTO')),
      multiplier numeric NOT NULL CHECK (multiplier > 0),
      side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
      quantity numeric NOT NULL CHECK (quantity > 0),
      order_type text NOT NULL CHECK (order_type IN ('MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT')),
      limit_price numeric CHECK (limit_price > 0),
      stop_price numeric CHECK (stop_price > 0),
      time_in_force text NOT NULL,
      submission_state text NOT NULL CHECK (submission_state IN ('PENDING', 'ACCEPTED', 'REJECTED', 'UNKNOWN')),
      broker_status text,
      reject_code text,
      reject_message text,
      attempts integer NOT NULL DEFAULT 0,
      correlation_id uuid NOT NULL,
      causation_id uuid,
      created_at timestamptz NOT NULL,
      submitted_at timestamptz,
      updated_at timestamptz NOT NULL,
      CHECK ((submission_state = 'ACCEPTED') = (broker_order_id IS NOT NULL)),
      UNIQUE (decision_id, purpose))`);
    this.addSql(`CREATE INDEX execution_orders_in_doubt_idx ON execution_orders (created_at) WHERE submission_state IN ('PENDING', 'UNKNOWN')`);
  }
}
