import { Migration } from '@mikro-orm/migrations';
import { messagingSchemaSql } from '@tlp/messaging';

/**
 * Position-monitor tables: position lifecycles and the link of every fill (and so its order) to each
 * position it changed. The CHECKs mirror the invariants of `PositionState`.
 */
export class Migration0001Initial extends Migration {
  override up(): void {
    for (const sql of messagingSchemaSql()) this.addSql(sql);
    this.addSql(`CREATE TABLE positions (
      position_id uuid PRIMARY KEY,
      account_id text NOT NULL,
      owner_id text NOT NULL,
      symbol text NOT NULL,
      asset_class text NOT NULL CHECK (asset_class IN ('EQUITY', 'OPTION', 'CRYPTO')),
      multiplier numeric NOT NULL CHECK (multiplier > 0),
      trade_id uuid,
      status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
      side text NOT NULL CHECK (side IN ('LONG', 'SHORT', 'FLAT')),
      quantity numeric NOT NULL CHECK (quantity >= 0),
      average_entry_price numeric NOT NULL CHECK (average_entry_price >= 0),
      open_cost numeric NOT NULL,
      entry_quantity numeric NOT NULL CHECK (entry_quantity > 0),
      entry_notional numeric NOT NULL,
      closed_quantity numeric NOT NULL CHECK (closed_quantity >= 0),
      exit_notional numeric NOT NULL,
      average_exit_price numeric,
      realized_pnl_gross numeric NOT NULL,
      fees_paid numeric NOT NULL CHECK (fees_paid >= 0),
      mark_price numeric,
      opened_at timestamptz NOT NULL,
      closed_at timestamptz,
      revision integer NOT NULL CHECK (revision >= 1),
      updated_at timestamptz NOT NULL,
      CHECK ((status = 'OPEN') = (quantity > 0)),
      CHECK ((status = 'OPEN') = (side <> 'FLAT')),
      CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL)),
      CHECK (entry_quantity = quantity + closed_quantity),
      CHECK ((closed_quantity = 0) = (average_exit_price IS NULL)))`);
    this.addSql(`CREATE UNIQUE INDEX positions_one_open_per_instrument ON positions (account_id, symbol) WHERE status = 'OPEN'`);
    this.addSql(`CREATE INDEX positions_owner_idx ON positions (owner_id, account_id)`);
    this.addSql(`CREATE TABLE position_fills (
      execution_id text NOT NULL,
      order_id uuid NOT NULL,
      position_id uuid NOT NULL REFERENCES positions (position_id),
      side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
      quantity numeric NOT NULL CHECK (quantity > 0),
      price numeric NOT NULL CHECK (price > 0),
      fee numeric NOT NULL CHECK (fee >= 0),
      transition text NOT NULL CHECK (transition IN ('OPENED', 'INCREASED', 'REDUCED', 'CLOSED')),
      filled_at timestamptz NOT NULL,
      PRIMARY KEY (execution_id, order_id, position_id))`);
    this.addSql(`CREATE INDEX position_fills_order_idx ON position_fills (order_id)`);
    this.addSql(`CREATE INDEX position_fills_position_idx ON position_fills (position_id, filled_at)`);
  }
}
