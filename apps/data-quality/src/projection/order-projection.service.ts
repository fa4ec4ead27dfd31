import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { OrderRef, TradeAlertedV1 } from '@tlp/contracts';
import { claimInbox, sqlOf, type InboxEntry, type SqlExecutor } from '@tlp/messaging';
import { rankOf, type ProjectedOrderStatus } from './order-status';

/** One order event, reduced to what the order projection keeps. */
export interface OrderObservation {
  readonly order: OrderRef;
  readonly status: ProjectedOrderStatus;
  /** When the broker took the order: `order.submitted`'s `submittedAt`; null for other events. */
  readonly submittedAt: string | null;
  readonly at: string;
}

/**
 * Folds every order event into `dq_orders` (roles, terms, projected status) and `trade.alerted` into
 * `dq_trade_alerts`, each event once. A status only moves up its rank (see order-status.ts).
 */
@Injectable()
export class OrderProjectionService {
  constructor(private readonly orm: MikroORM) {}

  async recordOrder(observation: OrderObservation, inbox: InboxEntry): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, inbox)) === 'ALREADY_PROCESSED') return;
      await upsertOrder(sql, observation);
    });
  }

  async recordTradeAlert(event: TradeAlertedV1, inbox: InboxEntry): Promise<void> {
    const p = event.payload;
    await this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, inbox)) === 'ALREADY_PROCESSED') return;
      await sql.query(
        `INSERT INTO dq_trade_alerts (event_id, trade_id, account_id, symbol, alert_code, severity, order_ids, occurred_at)
         VALUES (?, ?, ?, ?, ?, ?, ?::uuid[], ?) ON CONFLICT DO NOTHING`,
        [event.eventId, p.tradeId, p.accountId, p.symbol, p.alertCode, p.severity, `{${p.orderIds.join(',')}}`, event.occurredAt],
      );
    });
  }
}

/** Also called for every fill, inside the fill's transaction. */
export async function upsertOrder(sql: SqlExecutor, { order: o, status, submittedAt, at }: OrderObservation): Promise<void> {
  await sql.query(
    `INSERT INTO dq_orders (order_id, account_id, owner_id, symbol, asset_class, multiplier, trade_id, purpose, side,
       quantity, status, status_rank, submitted_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_id) DO UPDATE SET
       status = CASE WHEN EXCLUDED.status_rank > dq_orders.status_rank THEN EXCLUDED.status ELSE dq_orders.status END,
       status_rank = GREATEST(dq_orders.status_rank, EXCLUDED.status_rank),
       quantity = EXCLUDED.quantity,
       submitted_at = COALESCE(dq_orders.submitted_at, EXCLUDED.submitted_at),
       updated_at = GREATEST(dq_orders.updated_at, EXCLUDED.updated_at)`,
    [
      o.orderId,
      o.accountId,
      o.ownerId,
      o.instrument.symbol,
      o.instrument.assetClass,
      o.instrument.multiplier,
      o.tradeId,
      o.purpose,
      o.side,
      o.quantity,
      status,
      rankOf(status),
      submittedAt,
      at,
    ],
  );
}
