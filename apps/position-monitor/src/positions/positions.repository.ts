import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { PositionChange } from './position-accounting';
import { decimalString, extrasOf, recordFieldsOf, stateOf, type PositionExtras } from './position-mapping';
import type { PositionKey } from './position-mode';
import type { PositionState } from './position';
import { PositionRecord } from './position-record.entity';

export type FillSource = 'ORDER_FILLED' | 'EXTERNAL_ADJUSTMENT' | 'MANUAL_EXIT' | 'RELINK';

export interface StoredPosition {
  readonly state: PositionState;
  readonly extras: PositionExtras;
}

/** One applied part of a fill, as `position_fills` keeps it. */
export interface FillLink {
  readonly executionId: string;
  readonly orderId: string;
  readonly purpose: 'ENTRY' | 'STOP_LOSS' | 'TAKE_PROFIT' | 'EXIT' | 'EXTERNAL';
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly at: Date;
  readonly source: FillSource;
}

/** Serialises every writer of one (account, instrument): fills, marks, reconciliation, relinks. */
export async function lockInstrument(em: EntityManager, accountId: string, symbol: string): Promise<void> {
  await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`position:${accountId}:${symbol}`]);
}

/** Positions and the links of fills and orders to them. Callers hold the instrument lock and a transaction. */
@Injectable()
export class PositionsRepository {
  async findOpen(em: EntityManager, key: PositionKey): Promise<StoredPosition | null> {
    const record =
      key.mode === 'HEDGING'
        ? await em.findOne(PositionRecord, { tradeId: key.tradeId, mode: 'HEDGING', status: 'OPEN' })
        : await em.findOne(PositionRecord, { accountId: key.accountId, symbol: key.symbol, mode: 'NETTING', status: 'OPEN' });
    return record === null ? null : { state: stateOf(record), extras: extrasOf(record) };
  }

  async findById(em: EntityManager, positionId: string): Promise<StoredPosition | null> {
    const record = await em.findOne(PositionRecord, { positionId });
    return record === null ? null : { state: stateOf(record), extras: extrasOf(record) };
  }

  async findOpenInAccount(em: EntityManager, accountId: string): Promise<StoredPosition[]> {
    const records = await em.find(PositionRecord, { accountId, status: 'OPEN' }, { orderBy: { symbol: 'asc', openedAt: 'asc' } });
    return records.map((record) => ({ state: stateOf(record), extras: extrasOf(record) }));
  }

  async hasExecution(em: EntityManager, executionId: string, orderId: string): Promise<boolean> {
    const [seen] = await em.execute<{ n: number }[]>('SELECT 1 AS n FROM position_fills WHERE execution_id = ? AND order_id = ? LIMIT 1', [executionId, orderId]);
    return seen !== undefined;
  }

  async hasOrderFills(em: EntityManager, orderId: string): Promise<boolean> {
    const [seen] = await em.execute<{ n: number }[]>('SELECT 1 AS n FROM position_fills WHERE order_id = ? LIMIT 1', [orderId]);
    return seen !== undefined;
  }

  async save(em: EntityManager, state: PositionState, extras: PositionExtras, now: Date): Promise<void> {
    await em.upsert(PositionRecord, recordFieldsOf(state, now, extras));
  }

  /** Links the part of the fill the change consumed, and the fill's order, to the changed position. */
  async linkFill(em: EntityManager, change: PositionChange, fill: FillLink): Promise<void> {
    const positionId = change.position.positionId;
    await em.execute(
      `INSERT INTO position_fills (execution_id, order_id, position_id, side, quantity, price, fee, transition, filled_at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [fill.executionId, fill.orderId, positionId, fill.side, decimalString(change.part.quantity), fill.price, decimalString(change.part.fee), change.transition, fill.at, fill.source],
    );
    await this.linkOrder(em, fill.orderId, positionId, fill.purpose, change.position.tradeId, fill.at);
  }

  async linkOrder(em: EntityManager, orderId: string, positionId: string, purpose: FillLink['purpose'], tradeId: string | null, at: Date): Promise<void> {
    await em.execute(
      'INSERT INTO position_orders (order_id, position_id, purpose, trade_id, linked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [orderId, positionId, purpose, tradeId, at],
    );
  }

  /** Average price of a completely filled exit order, for closing a position gone at the broker. */
  async recordExitPrice(em: EntityManager, exit: { orderId: string; accountId: string; symbol: string; tradeId: string; averagePrice: string; at: Date }): Promise<void> {
    await em.execute(
      `INSERT INTO exit_order_prices (order_id, account_id, symbol, trade_id, average_price, filled_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (order_id) DO UPDATE SET average_price = EXCLUDED.average_price, filled_at = EXCLUDED.filled_at`,
      [exit.orderId, exit.accountId, exit.symbol, exit.tradeId, exit.averagePrice, exit.at],
    );
  }

  /** The latest filled exit order price of the position's trade, or of its instrument since it opened. */
  async findExitPrice(em: EntityManager, position: PositionState): Promise<string | null> {
    const [row] = await em.execute<{ price: string }[]>(
      `SELECT average_price::text AS price FROM exit_order_prices
       WHERE account_id = ? AND symbol = ? AND filled_at >= ? AND (trade_id = ? OR ?::uuid IS NULL)
       ORDER BY filled_at DESC LIMIT 1`,
      [position.accountId, position.symbol, position.openedAt, position.tradeId, position.tradeId],
    );
    return row?.price ?? null;
  }

  /** Price of the last fill applied to the position. */
  async lastFillPrice(em: EntityManager, positionId: string): Promise<string | null> {
    const [row] = await em.execute<{ price: string }[]>('SELECT price::text AS price FROM position_fills WHERE position_id = ? ORDER BY filled_at DESC LIMIT 1', [positionId]);
    return row?.price ?? null;
  }
}
