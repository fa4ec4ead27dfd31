import type { EntityManager } from '@mikro-orm/postgresql';
import { TrackedOrder } from './tracked-order.entity';

/**
 * Finds the tracked order a broker report is about: by client order id, else by any broker id the
 * order has had (a replacement may carry another client order id, and fill activities carry none).
 */
export async function findTrackedOrder(em: EntityManager, clientOrderId: string | null, brokerOrderId: string): Promise<TrackedOrder | null> {
  if (clientOrderId) {
    const byClient = await em.findOne(TrackedOrder, { clientOrderId });
    if (byClient) return byClient;
  }
  const [link] = await em.execute<{ order_id: string }[]>('SELECT order_id FROM order_broker_ids WHERE broker_order_id = ?', [brokerOrderId]);
  if (link) return em.findOne(TrackedOrder, link.order_id);
  return em.findOne(TrackedOrder, { brokerOrderId });
}

/** Records that `brokerOrderId` belongs to the order; a no-op when already linked. */
export async function linkBrokerOrderId(em: EntityManager, brokerOrderId: string | null, orderId: string): Promise<void> {
  if (brokerOrderId === null) return;
  await em.execute('INSERT INTO order_broker_ids (broker_order_id, order_id) VALUES (?, ?) ON CONFLICT (broker_order_id) DO NOTHING', [brokerOrderId, orderId]);
}
