import { Migration } from '@mikro-orm/migrations';

/** The NOLOGIN role the HTTP API switches to (`SET LOCAL ROLE`) for every request's transaction. */
export const API_ROLE = 'position_monitor_api';

const OWNER = `owner_id = current_setting('app.user_id', true)`;

/**
 * Per-user isolation of the HTTP API, enforced by PostgreSQL row-level security.
 *
 * Invariants: the API role sees and changes only rows whose `owner_id` equals the transaction's
 * `app.user_id` (unset: nothing); tables without `owner_id` are visible only through a position (or
 * lifecycle) the role can see; the API role may update a position's `note` and nothing else. The
 * service's own role owns the tables and is not subject to these policies (RLS enabled, not
 * forced): consumers, valuation and reconciliation write every user's rows. Any other non-owner role
 * sees no rows (no policy grants it any).
 *
 * Creating the role needs CREATEROLE; where the service role lacks it, a DBA creates it first
 * (`CREATE ROLE position_monitor_api NOLOGIN; GRANT position_monitor_api TO <service role>`) and
 * this migration only checks membership.
 */
export class Migration0003ApiRowLevelSecurity extends Migration {
  override up(): void {
    this.addSql(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${API_ROLE}') THEN
        BEGIN
          CREATE ROLE ${API_ROLE} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
      END IF;
      IF NOT pg_has_role(current_user, '${API_ROLE}', 'MEMBER') THEN
        BEGIN
          EXECUTE format('GRANT ${API_ROLE} TO %I', current_user);
        EXCEPTION WHEN OTHERS THEN
          -- a concurrent migration of another database may have granted it first
          IF NOT pg_has_role(current_user, '${API_ROLE}', 'MEMBER') THEN RAISE; END IF;
        END;
      END IF;
    END $$`);
    this.addSql(`ALTER TABLE positions ADD COLUMN note text CHECK (char_length(note) <= 2000), ADD COLUMN note_updated_at timestamptz`);
    this.addSql(`GRANT USAGE ON SCHEMA public TO ${API_ROLE}`);
    this.addSql(`GRANT SELECT ON positions, position_fills, position_orders, position_lifecycles, position_lifecycle_history TO ${API_ROLE}`);
    this.addSql(`GRANT UPDATE (note, note_updated_at) ON positions TO ${API_ROLE}`);

    for (const table of ['positions', 'position_fills', 'position_orders', 'position_lifecycles', 'position_lifecycle_history']) {
      this.addSql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    }
    this.addSql(`CREATE POLICY positions_api_read ON positions FOR SELECT TO ${API_ROLE} USING (${OWNER})`);
    this.addSql(`CREATE POLICY positions_api_update ON positions FOR UPDATE TO ${API_ROLE} USING (${OWNER}) WITH CHECK (${OWNER})`);
    this.addSql(`CREATE POLICY position_lifecycles_api_read ON position_lifecycles FOR SELECT TO ${API_ROLE} USING (${OWNER})`);
    for (const table of ['position_fills', 'position_orders']) {
      this.addSql(`CREATE POLICY ${table}_api_read ON ${table} FOR SELECT TO ${API_ROLE}
        USING (EXISTS (SELECT 1 FROM positions p WHERE p.position_id = ${table}.position_id))`);
    }
    this.addSql(`CREATE POLICY position_lifecycle_history_api_read ON position_lifecycle_history FOR SELECT TO ${API_ROLE}
      USING (EXISTS (SELECT 1 FROM position_lifecycles l WHERE l.lifecycle_id = position_lifecycle_history.lifecycle_id))`);

    this.addSql(`CREATE INDEX positions_owner_opened_idx ON positions (owner_id, opened_at, position_id)`);
    this.addSql(`CREATE INDEX position_orders_position_linked_idx ON position_orders (position_id, linked_at)`);
  }
}
