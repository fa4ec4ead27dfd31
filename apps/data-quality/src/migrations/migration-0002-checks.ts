import { Migration } from '@mikro-orm/migrations';

/**
 * Checks, findings and auto-fix audit, plus the projections the checks read (orders with roles,
 * position details, executions applied per position, trade alerts).
 *
 * Invariants: a finding is one row per (type, entity key) for ever, its id a name-based uuid of the
 * two (`dq_finding_id`, the same function the service and the benchmark use); `resolved_at` is null
 * exactly while the finding is open; an auto-fix is requested at most once per (finding, position).
 */
export class Migration0002Checks extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE dq_orders (
      order_id uuid PRIMARY KEY,
      account_id text NOT NULL,
      owner_id text NOT NULL,
      symbol text NOT NULL,
      asset_class text NOT NULL,
      multiplier numeric NOT NULL,
      trade_id uuid NOT NULL,
      purpose text NOT NULL,
      side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
      quantity numeric NOT NULL,
      status text NOT NULL CHECK (status IN ('SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'REJECTED', 'REPLACED')),
      status_rank smallint NOT NULL,
      submitted_at timestamptz,
      updated_at timestamptz NOT NULL)`);
    this.addSql(`CREATE INDEX dq_orders_submitted_idx ON dq_orders (submitted_at) WHERE status = 'SUBMITTED'`);
    this.addSql(`CREATE INDEX dq_orders_active_stops_idx ON dq_orders (account_id, symbol)
      WHERE purpose = 'STOP_LOSS' AND status IN ('SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED')`);
    this.addSql(`ALTER TABLE dq_positions
      ADD COLUMN owner_id text, ADD COLUMN side text, ADD COLUMN trade_id uuid,
      ADD COLUMN opened_at timestamptz, ADD COLUMN closed_at timestamptz,
      ADD COLUMN mark_price numeric, ADD COLUMN marked_at timestamptz`);
    this.addSql(`CREATE INDEX dq_order_links_position_idx ON dq_order_links (position_id)`);
    this.addSql(`CREATE INDEX dq_fills_execution_idx ON dq_fills (execution_id)`);
    this.addSql(`CREATE TABLE dq_position_executions (
      position_id uuid NOT NULL,
      execution_id text NOT NULL,
      revision integer NOT NULL,
      PRIMARY KEY (position_id, execution_id, revision))`);
    this.addSql(`CREATE TABLE dq_trade_alerts (
      event_id uuid PRIMARY KEY,
      trade_id uuid NOT NULL,
      account_id text NOT NULL,
      symbol text NOT NULL,
      alert_code text NOT NULL,
      severity text NOT NULL,
      order_ids uuid[] NOT NULL,
      occurred_at timestamptz NOT NULL)`);
    this.checksSql();
  }

  private checksSql(): void {
    // uuid v3 (RFC 4122, MD5 name-based) of `type|entity_key` in the data-quality namespace, so a run
    // names a million findings without a round trip per row. finding-id.ts computes the same.
    this.addSql(`CREATE FUNCTION dq_finding_id(finding_type text, entity_key text) RETURNS uuid
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT (substr(h, 1, 12) || '3' || substr(h, 14, 3)
          || to_hex((('x' || substr(h, 17, 2))::bit(8)::int & 63) | 128) || substr(h, 19))::uuid
        FROM (SELECT md5(decode('07dbb59afb5f5ddaa6e1033b507873c4', 'hex')
          || convert_to(finding_type || '|' || entity_key, 'UTF8')) AS h) AS hashed
      $$`);
    this.addSql(`CREATE TABLE dq_check_runs (
      run_id uuid PRIMARY KEY,
      trigger text NOT NULL CHECK (trigger IN ('INTERVAL', 'ON_DEMAND', 'DAILY')),
      full_check boolean NOT NULL,
      daily_date date UNIQUE,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      duration_ms integer,
      checks text[] NOT NULL,
      figures jsonb NOT NULL DEFAULT '{}',
      opened integer NOT NULL DEFAULT 0,
      resolved integer NOT NULL DEFAULT 0,
      open_findings integer NOT NULL DEFAULT 0)`);
    this.addSql(`CREATE TABLE dq_findings (
      finding_id uuid PRIMARY KEY,
      finding_type text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
      entity_key text NOT NULL,
      account_id text,
      symbol text,
      order_id uuid,
      position_id uuid,
      execution_id text,
      trade_id uuid,
      detail text NOT NULL,
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      resolved_at timestamptz,
      first_run_id uuid NOT NULL,
      last_run_id uuid NOT NULL)`);
    this.addSql(`CREATE INDEX dq_findings_open_idx ON dq_findings (finding_type, severity) WHERE resolved_at IS NULL`);
    this.addSql(`CREATE TABLE dq_run_findings (
      run_id uuid NOT NULL REFERENCES dq_check_runs (run_id),
      finding_id uuid NOT NULL REFERENCES dq_findings (finding_id) DEFERRABLE INITIALLY DEFERRED,
      transition text NOT NULL CHECK (transition IN ('OPENED', 'SEEN', 'RESOLVED')),
      PRIMARY KEY (run_id, finding_id))`);
    this.addSql(`CREATE TABLE dq_autofix_audit (
      request_id uuid PRIMARY KEY,
      finding_id uuid NOT NULL REFERENCES dq_findings (finding_id),
      run_id uuid NOT NULL REFERENCES dq_check_runs (run_id),
      rule text NOT NULL,
      action text NOT NULL,
      order_id uuid NOT NULL,
      position_id uuid NOT NULL,
      account_id text NOT NULL,
      symbol text NOT NULL,
      reason text NOT NULL,
      requested_at timestamptz NOT NULL,
      event_id uuid NOT NULL,
      UNIQUE (finding_id, position_id))`);
  }
}
