import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { OrderFilledV1, PositionUpdatedV1 } from '@tlp/contracts';
import { claimInbox, sqlOf, type InboxEntry, type SqlExecutor } from '@tlp/messaging';
import { upsertOrder } from './order-projection.service';
import { statusOfFill } from './order-status';

/**
 * Folds `order.filled` and `position.updated` into data-quality's own tables, each event once.
 * `dq_filled_orders.linked` is true once a link exists, set by whichever of fill and link comes second.
 * Fills are keyed by (order, cumulative quantity), so the same execution reported twice counts once
 * (and an execution id under two keys is what the duplicate-execution check looks for).
 */
@Injectable()
export class ProjectionService {
  constructor(private readonly orm: MikroORM) {}

  async recordFill(event: OrderFilledV1, inbox: InboxEntry): Promise<void> {
    const p = event.payload;
    await this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, inbox)) === 'ALREADY_PROCESSED') return;
      await upsertOrder(sql, { order: p, status: statusOfFill(p.orderStatus), submittedAt: null, at: event.occurredAt });
      const inserted = await sql.query(
        `INSERT INTO dq_fills (execution_id, order_id, cumulative_quantity, last_quantity, last_price, average_price, fee, filled_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING order_id`,
        [p.executionId, p.orderId, p.cumulativeQuantity, p.lastQuantity, p.lastPrice, p.averagePrice, p.fee, p.filledAt],
      );
      if (inserted.length === 0) return;
      await lockOrders(sql, [p.orderId]);
      await recordDuplicateFill(sql, p.executionId, p.orderId, event.occurredAt);
      await sql.query(
        `INSERT INTO dq_filled_orders (order_id, account_id, symbol, side, filled_quantity, fill_count, first_filled_at, last_filled_at, linked)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, EXISTS (SELECT 1 FROM dq_order_links l WHERE l.order_id = ?))
         ON CONFLICT (order_id) DO UPDATE SET
           filled_quantity = GREATEST(dq_filled_orders.filled_quantity, EXCLUDED.filled_quantity),
           fill_count = dq_filled_orders.fill_count + 1,
           last_filled_at = GREATEST(dq_filled_orders.last_filled_at, EXCLUDED.last_filled_at)`,
        [p.orderId, p.accountId, p.instrument.symbol, p.side, p.cumulativeQuantity, p.filledAt, p.filledAt, p.orderId],
      );
    });
  }

  async recordPosition(event: PositionUpdatedV1, inbox: InboxEntry): Promise<void> {
    const p = event.payload;
    await this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, inbox)) === 'ALREADY_PROCESSED') return;
      await lockOrders(sql, p.orderIds);
      for (const orderId of p.orderIds) {
        await sql.query('INSERT INTO dq_order_links (order_id, position_id, first_seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [orderId, p.positionId, event.occurredAt]);
      }
      if (p.orderIds.length > 0) {
        await sql.query('UPDATE dq_filled_orders SET linked = true WHERE order_id = ANY (?::uuid[]) AND NOT linked', [`{${p.orderIds.join(',')}}`]);
      }
      if (p.cause === 'FILL' || p.cause === 'RELINK') await recordExecutions(sql, event);
      await sql.query(
        `INSERT INTO dq_positions (position_id, account_id, symbol, status, quantity, revision, updated_at, owner_id, side, trade_id, opened_at, closed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (position_id) DO UPDATE SET status = EXCLUDED.status, quantity = EXCLUDED.quantity,
           revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at, owner_id = EXCLUDED.owner_id, side = EXCLUDED.side,
           trade_id = EXCLUDED.trade_id, opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at
         WHERE dq_positions.revision < EXCLUDED.revision`,
        [p.positionId, p.accountId, p.instrument.symbol, p.status, p.quantity, p.revision, event.occurredAt, p.ownerId, p.side, p.tradeId, p.openedAt, p.closedAt],
      );
      if (p.markPrice !== null) {
        await sql.query(
          `UPDATE dq_positions SET mark_price = ?, marked_at = ? WHERE position_id = ? AND (marked_at IS NULL OR marked_at < ?)`,
          [p.markPrice, event.occurredAt, p.positionId, event.occurredAt],
        );
      }
    });
  }
}

/** The executions a FILL (or RELINK) change applied: one applied in two revisions of the same position was counted twice. */
async function recordExecutions(sql: SqlExecutor, event: PositionUpdatedV1): Promise<void> {
  const p = event.payload;
  for (const executionId of p.executionIds) {
    await sql.query('INSERT INTO dq_position_executions (position_id, execution_id, revision) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [p.positionId, executionId, p.revision]);
    await sql.query(
      `INSERT INTO dq_duplicate_executions (entity_key, execution_id, position_id, occurrences, detected_at)
       SELECT ?, ?, ?, count(*), ? FROM dq_position_executions WHERE position_id = ? AND execution_id = ? HAVING count(*) > 1
       ON CONFLICT (entity_key) DO UPDATE SET occurrences = EXCLUDED.occurrences`,
      [`position-execution:${p.positionId}:${executionId}`, executionId, p.positionId, event.occurredAt, p.positionId, executionId],
    );
  }
}

/** The same execution id under a second (order, cumulative quantity): found by index, recorded for the check. */
async function recordDuplicateFill(sql: SqlExecutor, executionId: string, orderId: string, at: string): Promise<void> {
  await sql.query(
    `INSERT INTO dq_duplicate_executions (entity_key, execution_id, order_id, occurrences, detected_at)
     SELECT ?, ?, ?, count(*), ? FROM dq_fills WHERE execution_id = ? HAVING count(*) > 1
     ON CONFLICT (entity_key) DO UPDATE SET occurrences = EXCLUDED.occurrences`,
    [`execution:${executionId}`, executionId, orderId, at, executionId],
  );
}

/**
 * A fill and the link of its order may be projected concurrently (two topics): each holds its
 * orders' locks, so the second one's statements see the first one's rows and `linked` is right.
 * Sorted, so two position changes sharing orders cannot deadlock.
 */
async function lockOrders(sql: SqlExecutor, orderIds: readonly string[]): Promise<void> {
  for (const orderId of [...new Set(orderIds)].sort()) {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtext('dq-order:' || ?))`, [orderId]);
  }
}
