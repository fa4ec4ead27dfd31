import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { OrderFilledV1, PositionUpdatedV1 } from '@tlp/contracts';
import { claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';

/**
 * Folds `order.filled` and `position.updated` into data-quality's own tables, each event once.
 * Fills are keyed by (order, cumulative quantity), so the same execution reported twice counts once.
 */
@Injectable()
export class ProjectionService {
  constructor(private readonly orm: MikroORM) {}

  async recordFill(event: OrderFilledV1, inbox: InboxEntry): Promise<void> {
    const p = event.payload;
    await this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, inbox)) === 'ALREADY_PROCESSED') return;
      const inserted = await sql.query(
        `INSERT INTO dq_fills (execution_id, order_id, cumulative_quantity, last_quantity) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING RETURNING order_id`,
        [p.executionId, p.orderId, p.cumulativeQuantity, p.lastQuantity],
      );
      if (inserted.length === 0) return;
      await sql.query(
        `INSERT INTO dq_filled_orders (order_id, account_id, symbol, side, filled_quantity, fill_count, first_filled_at, last_filled_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (order_id) DO UPDATE SET
           filled_quantity = GREATEST(dq_filled_orders.filled_quantity, EXCLUDED.filled_quantity),
           fill_count = dq_filled_orders.fill_count + 1,
           last_filled_at = GREATEST(dq_filled_orders.last_filled_at, EXCLUDED.last_filled_at)`,
        [p.orderId, p.accountId, p.instrument.symbol, p.side, p.cumulativeQuantity, p.filledAt, p.filledAt],
      );
    });
  }

  async recordPosition(event: PositionUpdatedV1, inbox: InboxEntry): Promise<void> {
    const p = event.payload;
    await this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, inbox)) === 'ALREADY_PROCESSED') return;
      for (const orderId of p.orderIds) {
        await sql.query('INSERT INTO dq_order_links (order_id, position_id, first_seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [orderId, p.positionId, event.occurredAt]);
      }
      await sql.query(
        `INSERT INTO dq_positions (position_id, account_id, symbol, status, quantity, revision, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (position_id) DO UPDATE SET status = EXCLUDED.status, quantity = EXCLUDED.quantity,
           revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at
         WHERE dq_positions.revision < EXCLUDED.revision`,
        [p.positionId, p.accountId, p.instrument.symbol, p.status, p.quantity, p.revision, event.occurredAt],
      );
    });
  }
}
