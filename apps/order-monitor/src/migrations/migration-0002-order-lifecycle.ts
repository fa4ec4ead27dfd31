import { Migration } from '@mikro-orm/migrations';
import { ORDER_STATUSES_SQL_CHECK } from '../orders/order-state-machine';

/**
 * The order lifecycle state machine in the schema: every `OrderStatus` allowed, the status to restore
 * after a refused cancel or replace, when the broker acknowledged the order, and every broker id an
 * order has had (a replace gives it a new one; fills may land on either).
 */
export class Migration0002OrderLifecycle extends Migration {
  override up(): void {
    // The 0001 column constraint got PostgreSQL's generated name; from now on it is named explicitly.
    this.addSql('ALTER TABLE tracked_orders DROP CONSTRAINT IF EXISTS tracked_orders_status_check');
    this.addSql(`ALTER TABLE tracked_orders ADD CONSTRAINT tracked_orders_status_check ${ORDER_STATUSES_SQL_CHECK}`);
    this.addSql('ALTER TABLE tracked_orders ADD COLUMN previous_status text');
    this.addSql(
      `ALTER TABLE tracked_orders ADD CONSTRAINT tracked_orders_previous_status_check ${ORDER_STATUSES_SQL_CHECK.replace('(status IN', '(previous_status IN')}`,
    );
    this.addSql('ALTER TABLE tracked_orders ADD COLUMN accepted_at timestamptz');
    this.addSql(`CREATE TABLE order_broker_ids (
      broker_order_id text PRIMARY KEY,
      order_id uuid NOT NULL REFERENCES tracked_orders (order_id),
      linked_at timestamptz NOT NULL DEFAULT now())`);
    this.addSql('CREATE INDEX order_broker_ids_order_idx ON order_broker_ids (order_id)');
    this.addSql('INSERT INTO order_broker_ids (broker_order_id, order_id) SELECT broker_order_id, order_id FROM tracked_orders WHERE broker_order_id IS NOT NULL');
    // A broker acknowledgement (`new`) that arrived before `order.submitted`: kept until the order is tracked.
    this.addSql(`CREATE TABLE parked_acknowledgements (
      client_order_id text PRIMARY KEY,
      broker_order_id text NOT NULL,
      acknowledged_at timestamptz NOT NULL,
      parked_at timestamptz NOT NULL)`);
  }
}
