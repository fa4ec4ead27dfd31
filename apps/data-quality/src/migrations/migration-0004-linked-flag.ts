import { Migration } from '@mikro-orm/migrations';

/**
 * `dq_filled_orders.linked`: true once any `position.updated` links the order, kept by the
 * projection in the transaction that stores the link (or the fill, whichever comes second). The
 * unlinked check then reads a partial index of the unlinked orders instead of anti-joining every
 * filled order to every link at each run. Backfilled from the links already projected.
 */
export class Migration0004LinkedFlag extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE dq_filled_orders ADD COLUMN linked boolean NOT NULL DEFAULT false`);
    this.addSql(`UPDATE dq_filled_orders f SET linked = true WHERE EXISTS (SELECT 1 FROM dq_order_links l WHERE l.order_id = f.order_id)`);
    this.addSql(`CREATE INDEX dq_filled_orders_unlinked_idx ON dq_filled_orders (first_filled_at) WHERE NOT linked`);
  }
}
