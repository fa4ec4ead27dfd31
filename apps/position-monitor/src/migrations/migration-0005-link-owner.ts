import { Migration } from '@mikro-orm/migrations';
import { API_ROLE } from './migration-0003-api-row-level-security';

const OWNER = `owner_id = current_setting('app.user_id', true)`;

/**
 * `owner_id` on `position_fills` and `position_orders`, so their row-level security policies
 * compare a column instead of looking the position up for every statement (0003's `EXISTS`
 * policy made PostgreSQL collect every position of the user first: it grows with the user's
 * positions, not with the rows read).
 *
 * Invariant: a link row's `owner_id` is its position's. A trigger sets it on every insert (and on a
 * change of `position_id`) from the position, whatever the writer sent, in the writer's
 * transaction; a change of a position's owner is carried to its rows. So writers need no change:
 * pods of the previous version during a rollout and `replay`'s scratch schema (0001 and 0002 only)
 * keep working. Expand-only: add the column, the triggers, backfill, then NOT NULL.
 */
export class Migration0005LinkOwner extends Migration {
  override up(): void {
    this.addSql(`CREATE FUNCTION position_link_owner() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.owner_id := (SELECT p.owner_id FROM positions p WHERE p.position_id = NEW.position_id);
        RETURN NEW;
      END $$`);
    this.addSql(`CREATE FUNCTION position_owner_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE position_fills SET owner_id = NEW.owner_id WHERE position_id = NEW.position_id;
        UPDATE position_orders SET owner_id = NEW.owner_id WHERE position_id = NEW.position_id;
        RETURN NULL;
      END $$`);
    for (const table of ['position_fills', 'position_orders']) {
      this.addSql(`ALTER TABLE ${table} ADD COLUMN owner_id text`);
      this.addSql(`CREATE TRIGGER ${table}_owner BEFORE INSERT OR UPDATE OF position_id, owner_id ON ${table}
        FOR EACH ROW EXECUTE FUNCTION position_link_owner()`);
      this.addSql(`UPDATE ${table} t SET owner_id = p.owner_id FROM positions p WHERE p.position_id = t.position_id`);
      this.addSql(`ALTER TABLE ${table} ALTER COLUMN owner_id SET NOT NULL`);
      this.addSql(`DROP POLICY ${table}_api_read ON ${table}`);
      this.addSql(`CREATE POLICY ${table}_api_read ON ${table} FOR SELECT TO ${API_ROLE} USING (${OWNER})`);
    }
    this.addSql(`CREATE TRIGGER positions_owner_changed AFTER UPDATE OF owner_id ON positions
      FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id) EXECUTE FUNCTION position_owner_changed()`);
  }
}
