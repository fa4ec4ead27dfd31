import { Migration } from '@mikro-orm/migrations';

/**
 * Position modes (netting, hedging), seed 002's lifecycle with its history, the link of every order
 * to the positions it touched, valuation columns, synthetic fills from reconciliation and the
 * reconciliation findings, and the fills the accounting refused (kept for a relink). The CHECKs mirror `position-lifecycle.ts` and `position-mode.ts`.
 */
export class Migration0002LifecycleValuationReconciliation extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE positions
      ADD COLUMN mode text NOT NULL DEFAULT 'NETTING' CHECK (mode IN ('NETTING', 'HEDGING')),
      ADD COLUMN market_value numeric,
      ADD COLUMN unrealized_pnl numeric,
      ADD COLUMN marked_at timestamptz,
      ADD COLUMN exit_reason text CHECK (exit_reason IN ('FILLS', 'MANUAL_EXIT'))`);
    this.addSql(`UPDATE positions SET exit_reason = 'FILLS' WHERE status = 'CLOSED'`);
    this.addSql(`ALTER TABLE positions
      ADD CONSTRAINT positions_hedging_has_trade CHECK (mode = 'NETTING' OR trade_id IS NOT NULL),
      ADD CONSTRAINT positions_exit_reason_when_closed CHECK ((status = 'CLOSED') = (exit_reason IS NOT NULL)),
      ADD CONSTRAINT positions_mark_complete CHECK ((mark_price IS NULL) = (market_value IS NULL) AND (mark_price IS NULL) = (unrealized_pnl IS NULL))`);
    this.addSql(`DROP INDEX positions_one_open_per_instrument`);
    this.addSql(`CREATE UNIQUE INDEX positions_one_open_per_instrument ON positions (account_id, symbol) WHERE status = 'OPEN' AND mode = 'NETTING'`);
    this.addSql(`CREATE UNIQUE INDEX positions_one_open_per_trade ON positions (trade_id) WHERE status = 'OPEN' AND mode = 'HEDGING'`);
    this.addSql(`CREATE INDEX positions_open_symbol_idx ON positions (account_id, symbol) WHERE status = 'OPEN'`);

    this.addSql(`ALTER TABLE position_fills
      ADD COLUMN source text NOT NULL DEFAULT 'ORDER_FILLED' CHECK (source IN ('ORDER_FILLED', 'EXTERNAL_ADJUSTMENT', 'MANUAL_EXIT', 'RELINK')),
      ADD COLUMN external boolean GENERATED ALWAYS AS (source IN ('EXTERNAL_ADJUSTMENT', 'MANUAL_EXIT')) STORED`);

    this.addSql(`CREATE TABLE position_lifecycles (
      lifecycle_id uuid PRIMARY KEY,
      position_id uuid UNIQUE REFERENCES positions (position_id),
      account_id text NOT NULL,
      owner_id text NOT NULL,
      symbol text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('NETTING', 'HEDGING')),
      trade_id uuid,
      entry_order_id uuid,
      state text NOT NULL CHECK (state IN ('CREATED', 'SUBMITTING', 'OPEN', 'MONITORING', 'CLOSING', 'CLOSED', 'FAILED')),
      failure_reason text,
      exits_placed boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK ((state IN ('OPEN', 'MONITORING', 'CLOSING', 'CLOSED')) <= (position_id IS NOT NULL)),
      CHECK ((state = 'FAILED') = (failure_reason IS NOT NULL)),
      CHECK (mode = 'NETTING' OR trade_id IS NOT NULL))`);
    this.addSql(`CREATE INDEX position_lifecycles_active_idx ON position_lifecycles (account_id, symbol) WHERE state NOT IN ('CLOSED', 'FAILED')`);
    this.addSql(`CREATE INDEX position_lifecycles_trade_idx ON position_lifecycles (trade_id) WHERE state NOT IN ('CLOSED', 'FAILED')`);
    this.addSql(`CREATE UNIQUE INDEX position_lifecycles_entry_order ON position_lifecycles (entry_order_id)`);

    this.addSql(`CREATE TABLE position_lifecycle_history (
      lifecycle_id uuid NOT NULL REFERENCES position_lifecycles (lifecycle_id),
      seq integer NOT NULL CHECK (seq >= 1),
      from_state text CHECK (from_state IN ('CREATED', 'SUBMITTING', 'OPEN', 'MONITORING', 'CLOSING', 'CLOSED', 'FAILED')),
      to_state text NOT NULL CHECK (to_state IN ('CREATED', 'SUBMITTING', 'OPEN', 'MONITORING', 'CLOSING', 'CLOSED', 'FAILED')),
      cause text NOT NULL,
      order_id uuid,
      execution_id text,
      event_id uuid,
      at timestamptz NOT NULL,
      PRIMARY KEY (lifecycle_id, seq))`);

    this.addSql(`CREATE TABLE position_orders (
      order_id uuid NOT NULL,
      position_id uuid NOT NULL REFERENCES positions (position_id),
      purpose text NOT NULL CHECK (purpose IN ('ENTRY', 'STOP_LOSS', 'TAKE_PROFIT', 'EXIT', 'EXTERNAL')),
      trade_id uuid,
      linked_at timestamptz NOT NULL,
      PRIMARY KEY (order_id, position_id))`);
    this.addSql(`CREATE INDEX position_orders_position_idx ON position_orders (position_id)`);
    this.addSql(`INSERT INTO position_orders (order_id, position_id, purpose, trade_id, linked_at)
      SELECT DISTINCT ON (f.order_id, f.position_id) f.order_id, f.position_id, 'ENTRY', p.trade_id, f.filled_at
      FROM position_fills f JOIN positions p USING (position_id) ORDER BY f.order_id, f.position_id, f.filled_at`);

    this.addSql(`CREATE TABLE exit_order_prices (
      order_id uuid PRIMARY KEY,
      account_id text NOT NULL,
      symbol text NOT NULL,
      trade_id uuid,
      average_price numeric NOT NULL CHECK (average_price > 0),
      filled_at timestamptz NOT NULL)`);
    this.addSql(`CREATE INDEX exit_order_prices_symbol_idx ON exit_order_prices (account_id, symbol, filled_at)`);

    this.addSql(`CREATE TABLE unapplied_fills (
      execution_id text NOT NULL,
      order_id uuid NOT NULL,
      account_id text NOT NULL,
      symbol text NOT NULL,
      event text NOT NULL,
      refusal text NOT NULL,
      refused_at timestamptz NOT NULL,
      relinked_at timestamptz,
      PRIMARY KEY (execution_id, order_id))`);

    this.addSql(`CREATE TABLE reconciliation_findings (
      finding_id uuid PRIMARY KEY,
      run_id uuid NOT NULL,
      account_id text NOT NULL,
      symbol text,
      kind text NOT NULL CHECK (kind IN ('BROKER_QUERY_FAILED', 'UNKNOWN_AT_PLATFORM', 'QUANTITY_ADJUSTED', 'MANUAL_EXIT', 'AMBIGUOUS_DIFFERENCE')),
      broker_quantity numeric,
      platform_quantity numeric,
      position_id uuid,
      detail text NOT NULL,
      found_at timestamptz NOT NULL)`);
    this.addSql(`CREATE INDEX reconciliation_findings_kind_idx ON reconciliation_findings (kind, found_at)`);
  }
}
