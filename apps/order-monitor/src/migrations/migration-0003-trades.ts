import { Migration } from '@mikro-orm/migrations';

/**
 * The trade journal (`trades`) and the exit orders the monitor places for it (`exit_orders`,
 * intent-first: the row is committed before the broker is called). The status CHECK lists the
 * states of the transition table in `trades/trade-lifecycle.ts`, spelled out so that this migration
 * never changes after it ran.
 */
export class Migration0003Trades extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE trades (
      trade_id uuid PRIMARY KEY,
      decision_id uuid NOT NULL,
      account_id text NOT NULL,
      owner_id text NOT NULL,
      symbol text NOT NULL,
      asset_class text NOT NULL CHECK (asset_class IN ('EQUITY', 'OPTION', 'CRYPTO')),
      multiplier numeric NOT NULL CHECK (multiplier > 0),
      direction text NOT NULL CHECK (direction IN ('LONG', 'SHORT')),
      trade_style text NOT NULL CHECK (trade_style IN ('SWING', 'DAY')),
      status text NOT NULL CHECK (status IN ('ORDERED', 'POSITION', 'CLOSING', 'CLOSED', 'CANCELLED')),
      planned_entry_price numeric CHECK (planned_entry_price > 0),
      planned_stop_loss numeric CHECK (planned_stop_loss > 0),
      planned_take_profit numeric CHECK (planned_take_profit > 0),
      entry_order_id uuid NOT NULL UNIQUE,
      entry_ended boolean NOT NULL DEFAULT false,
      entry_quantity numeric NOT NULL DEFAULT 0 CHECK (entry_quantity >= 0),
      entry_price numeric CHECK (entry_price > 0),
      exit_quantity numeric NOT NULL DEFAULT 0 CHECK (exit_quantity >= 0),
      exit_price numeric CHECK (exit_price > 0),
      fees numeric NOT NULL DEFAULT 0 CHECK (fees >= 0),
      realized_pnl_gross numeric NOT NULL DEFAULT 0,
      realized_pnl_net numeric NOT NULL DEFAULT 0,
      exit_reason text CHECK (exit_reason IN ('STOPPED_OUT', 'PROFIT_TAKEN', 'CANCELLED')),
      both_exits_filled boolean NOT NULL DEFAULT false,
      stop_loss_order_id uuid,
      stop_loss_state text NOT NULL DEFAULT 'NONE' CHECK (stop_loss_state IN ('NONE', 'OPEN', 'FILLED', 'ENDED')),
      stop_loss_filled_quantity numeric NOT NULL DEFAULT 0 CHECK (stop_loss_filled_quantity >= 0),
      take_profit_order_id uuid,
      take_profit_state text NOT NULL DEFAULT 'NONE' CHECK (take_profit_state IN ('NONE', 'OPEN', 'FILLED', 'ENDED')),
      take_profit_filled_quantity numeric NOT NULL DEFAULT 0 CHECK (take_profit_filled_quantity >= 0),
      correlation_id uuid NOT NULL,
      ordered_at timestamptz NOT NULL,
      closed_at timestamptz,
      updated_at timestamptz NOT NULL,
      CHECK ((entry_quantity = 0) = (entry_price IS NULL)),
      CHECK ((exit_quantity = 0) = (exit_price IS NULL)),
      CHECK ((status IN ('CLOSED', 'CANCELLED')) = (closed_at IS NOT NULL)))`);
    this.addSql(`CREATE INDEX trades_open_idx ON trades (status) WHERE status IN ('POSITION', 'CLOSING')`);
    this.addSql(`CREATE TABLE exit_orders (
      order_id uuid PRIMARY KEY,
      trade_id uuid NOT NULL REFERENCES trades (trade_id),
      purpose text NOT NULL CHECK (purpose IN ('STOP_LOSS', 'TAKE_PROFIT')),
      version integer NOT NULL CHECK (version >= 1),
      client_order_id text NOT NULL UNIQUE,
      broker_order_id text UNIQUE,
      symbol text NOT NULL,
      side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
      order_type text NOT NULL CHECK (order_type IN ('STOP', 'LIMIT')),
      quantity numeric NOT NULL CHECK (quantity > 0),
      stop_price numeric CHECK (stop_price > 0),
      limit_price numeric CHECK (limit_price > 0),
      time_in_force text NOT NULL,
      replaces_order_id uuid REFERENCES exit_orders (order_id),
      submission_state text NOT NULL DEFAULT 'PENDING' CHECK (submission_state IN ('PENDING', 'ACCEPTED', 'REJECTED', 'UNKNOWN')),
      reject_message text,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (trade_id, purpose, version),
      CHECK ((order_type = 'STOP') = (stop_price IS NOT NULL)),
      CHECK ((order_type = 'LIMIT') = (limit_price IS NOT NULL)))`);
    this.addSql(`CREATE INDEX exit_orders_in_doubt_idx ON exit_orders (created_at) WHERE submission_state IN ('PENDING', 'UNKNOWN')`);
  }
}
