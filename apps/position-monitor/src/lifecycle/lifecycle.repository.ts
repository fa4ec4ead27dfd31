import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { PositionMode } from '../positions/position-mode';
import type { LifecycleState } from './position-lifecycle';

export interface LifecycleRow {
  readonly lifecycleId: string;
  readonly positionId: string | null;
  readonly state: LifecycleState;
  readonly exitsPlaced: boolean;
  readonly entryOrderId: string | null;
}

/** What a lifecycle is keyed by: an instrument in netting mode, a trade in hedging mode. */
export interface LifecycleKey {
  readonly mode: PositionMode;
  readonly accountId: string;
  readonly symbol: string;
  readonly tradeId: string | null;
}

export interface NewLifecycle extends LifecycleKey {
  readonly lifecycleId: string;
  readonly ownerId: string;
  readonly entryOrderId: string | null;
  readonly at: Date;
}

/** Cause of a transition, kept in `position_lifecycle_history`. */
export interface TransitionCause {
  readonly cause: string;
  readonly orderId: string | null;
  readonly executionId: string | null;
  readonly eventId: string | null;
  readonly at: Date;
}

const COLUMNS = `lifecycle_id AS "lifecycleId", position_id AS "positionId", state, exits_placed AS "exitsPlaced", entry_order_id AS "entryOrderId"`;

/** `position_lifecycles` and their history. Callers hold the position's advisory lock and a transaction. */
@Injectable()
export class LifecycleRepository {
  /** The lifecycle not yet ended for the key, newest first (netting: the instrument's; hedging: the trade's). */
  async findActive(em: EntityManager, key: LifecycleKey): Promise<LifecycleRow | null> {
    const [row] =
      key.mode === 'HEDGING'
        ? await em.execute<LifecycleRow[]>(
            `SELECT ${COLUMNS} FROM position_lifecycles WHERE trade_id = ? AND mode = 'HEDGING' AND state NOT IN ('CLOSED', 'FAILED') ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
            [key.tradeId],
          )
        : await em.execute<LifecycleRow[]>(
            `SELECT ${COLUMNS} FROM position_lifecycles WHERE account_id = ? AND symbol = ? AND mode = 'NETTING' AND state NOT IN ('CLOSED', 'FAILED') ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
            [key.accountId, key.symbol],
          );
    return row ?? null;
  }

  async findByPosition(em: EntityManager, positionId: string): Promise<LifecycleRow | null> {
    const [row] = await em.execute<LifecycleRow[]>(`SELECT ${COLUMNS} FROM position_lifecycles WHERE position_id = ? FOR UPDATE`, [positionId]);
    return row ?? null;
  }

  async findByEntryOrder(em: EntityManager, orderId: string): Promise<LifecycleRow | null> {
    const [row] = await em.execute<LifecycleRow[]>(`SELECT ${COLUMNS} FROM position_lifecycles WHERE entry_order_id = ? FOR UPDATE`, [orderId]);
    return row ?? null;
  }

  /** Inserts a CREATED lifecycle and its first history row; an existing id (a replayed event) is returned as it is. */
  async create(em: EntityManager, lifecycle: NewLifecycle, cause: TransitionCause): Promise<LifecycleRow> {
    const inserted = await em.execute<LifecycleRow[]>(
      `INSERT INTO position_lifecycles (lifecycle_id, account_id, owner_id, symbol, mode, trade_id, entry_order_id, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'CREATED', ?, ?) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [lifecycle.lifecycleId, lifecycle.accountId, lifecycle.ownerId, lifecycle.symbol, lifecycle.mode, lifecycle.tradeId, lifecycle.entryOrderId, lifecycle.at, lifecycle.at],
    );
    const [row] = inserted;
    if (row === undefined) {
      const [existing] = await em.execute<LifecycleRow[]>(`SELECT ${COLUMNS} FROM position_lifecycles WHERE lifecycle_id = ? FOR UPDATE`, [lifecycle.lifecycleId]);
      if (existing === undefined) throw new Error(`lifecycle ${lifecycle.lifecycleId} conflicts on its entry order ${lifecycle.entryOrderId ?? ''}`);
      return existing;
    }
    await this.appendHistory(em, row.lifecycleId, null, 'CREATED', cause);
    return row;
  }

  async attachPosition(em: EntityManager, lifecycleId: string, positionId: string): Promise<void> {
    await em.execute('UPDATE position_lifecycles SET position_id = ? WHERE lifecycle_id = ?', [positionId, lifecycleId]);
  }

  async markExitsPlaced(em: EntityManager, lifecycleId: string): Promise<void> {
    await em.execute('UPDATE position_lifecycles SET exits_placed = true WHERE lifecycle_id = ?', [lifecycleId]);
  }

  async move(em: EntityManager, lifecycleId: string, from: LifecycleState, to: LifecycleState, cause: TransitionCause, failureReason: string | null): Promise<void> {
    await em.execute('UPDATE position_lifecycles SET state = ?, failure_reason = ?, updated_at = ? WHERE lifecycle_id = ?', [to, to === 'FAILED' ? (failureReason ?? cause.cause) : null, cause.at, lifecycleId]);
    await this.appendHistory(em, lifecycleId, from, to, cause);
  }

  private async appendHistory(em: EntityManager, lifecycleId: string, from: LifecycleState | null, to: LifecycleState, cause: TransitionCause): Promise<void> {
    await em.execute(
      `INSERT INTO position_lifecycle_history (lifecycle_id, seq, from_state, to_state, cause, order_id, execution_id, event_id, at)
       SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM position_lifecycle_history WHERE lifecycle_id = ?`,
      [lifecycleId, from, to, cause.cause, cause.orderId, cause.executionId, cause.eventId, cause.at, lifecycleId],
    );
  }
}
