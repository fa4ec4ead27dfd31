import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { API_ROLE } from '../migrations/migration-0003-api-row-level-security';
import type { AuditFillRow, AuditOrderRow, AuditPosition } from './audit-trail';
import { type PositionsQuery, SORT_FIELDS } from './positions-query';

/** One row of `positions` as the API reads it; decimals as PostgreSQL's exact text. */
export interface PositionRow {
  readonly position_id: string;
  readonly account_id: string;
  readonly owner_id: string;
  readonly symbol: string;
  readonly asset_class: string;
  readonly multiplier: string;
  readonly mode: string;
  readonly trade_id: string | null;
  readonly status: 'OPEN' | 'CLOSED';
  readonly side: 'LONG' | 'SHORT' | 'FLAT';
  readonly quantity: string;
  readonly average_entry_price: string;
  readonly average_exit_price: string | null;
  readonly entry_quantity: string;
  readonly entry_notional: string;
  readonly closed_quantity: string;
  readonly exit_notional: string;
  readonly realized_pnl_gross: string;
  readonly fees_paid: string;
  readonly mark_price: string | null;
  readonly market_value: string | null;
  readonly unrealized_pnl: string | null;
  readonly marked_at: Date | null;
  readonly exit_reason: string | null;
  readonly opened_at: Date;
  readonly closed_at: Date | null;
  readonly revision: number;
  readonly updated_at: Date;
  readonly note: string | null;
}

export interface PnlRow {
  readonly symbol: string | null;
  readonly open_positions: string;
  readonly closed_positions: string;
  readonly realized_pnl_gross: string;
  readonly fees_paid: string;
  readonly unrealized_pnl: string;
  readonly unvalued_open_positions: string;
  readonly last_marked_at: Date | null;
}

const COLUMNS = `position_id, account_id, owner_id, symbol, asset_class, multiplier, mode, trade_id, status, side,
  quantity, average_entry_price, average_exit_price, entry_quantity, entry_notional, closed_quantity, exit_notional,
  realized_pnl_gross, fees_paid, mark_price, market_value, unrealized_pnl, marked_at, exit_reason,
  opened_at, closed_at, revision, updated_at, note`;

/** A transaction in which every statement runs as the API role for one user. */
export type UserScope = Pick<EntityManager, 'execute'>;

/**
 * Every read and write of the HTTP API. Each call runs in its own transaction switched to the
 * NOLOGIN API role with `app.user_id` set to the caller: PostgreSQL's row-level security, not these
 * queries, decides which rows exist (none of the queries below filters by owner).
 */
@Injectable()
export class PositionsApiRepository {
  constructor(private readonly orm: MikroORM) {}

  async asUser<T>(userId: string, work: (scope: UserScope) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute(`SELECT set_config('role', '${API_ROLE}', true), set_config('app.user_id', ?, true)`, [userId]);
      return work(em);
    });
  }

  async list(scope: UserScope, query: PositionsQuery): Promise<PositionRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.accountId !== undefined) add('account_id = ?', query.accountId);
    if (query.symbol !== undefined) add('symbol = ?', query.symbol);
    if (query.status !== undefined) add('status = ?', query.status);
    if (query.side !== undefined) add('side = ?', query.side);
    if (query.openedFrom !== undefined) add('opened_at >= ?', query.openedFrom);
    if (query.openedTo !== undefined) add('opened_at < ?', query.openedTo);
    const { column, cast } = SORT_FIELDS[query.sort.field];
    const direction = query.sort.direction === 'asc' ? 'ASC' : 'DESC';
    if (query.cursor) {
      add(`(${column}, position_id) ${direction === 'ASC' ? '>' : '<'} (?::${cast}, ?::uuid)`, query.cursor.value, query.cursor.positionId);
    }
    const sql = `SELECT ${COLUMNS} FROM positions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${column} ${direction}, position_id ${direction} LIMIT ?`;
    return scope.execute<PositionRow[]>(sql, [...params, query.limit + 1]);
  }

  async get(scope: UserScope, positionId: string): Promise<PositionRow | undefined> {
    const [row] = await scope.execute<PositionRow[]>(`SELECT ${COLUMNS} FROM positions WHERE position_id = ?`, [positionId]);
    return row;
  }

  async auditRows(scope: UserScope, positionId: string): Promise<{ position: AuditPosition; orders: AuditOrderRow[]; fills: AuditFillRow[] } | undefined> {
    const [position] = await scope.execute<{ position_id: string; side: AuditPosition['side']; quantity: string; fees_paid: string }[]>(
      'SELECT position_id, side, quantity, fees_paid FROM positions WHERE position_id = ?',
      [positionId],
    );
    if (!position) return undefined;
    const orders = await scope.execute<{ order_id: string; purpose: string; linked_at: Date }[]>(
      'SELECT order_id, purpose, linked_at FROM position_orders WHERE position_id = ? ORDER BY linked_at, order_id',
      [positionId],
    );
    const fills = await scope.execute<{ execution_id: string; order_id: string; side: 'BUY' | 'SELL'; quantity: string; price: string; fee: string; transition: string; source: string; filled_at: Date }[]>(
      `SELECT execution_id, order_id, side, quantity, price, fee, transition, source, filled_at
       FROM position_fills WHERE position_id = ? ORDER BY filled_at, execution_id`,
      [positionId],
    );
    return {
      position: { positionId: position.position_id, side: position.side, quantity: position.quantity, feesPaid: position.fees_paid },
      orders: orders.map((o) => ({ orderId: o.order_id, purpose: o.purpose, linkedAt: new Date(o.linked_at) })),
      fills: fills.map((f) => ({
        executionId: f.execution_id,
        orderId: f.order_id,
        side: f.side,
        quantity: f.quantity,
        price: f.price,
        fee: f.fee,
        transition: f.transition,
        source: f.source,
        filledAt: new Date(f.filled_at),
      })),
    };
  }

  /** P&L per symbol of one account, plus the account's total (the row whose `symbol` is null). */
  async pnl(scope: UserScope, accountId: string): Promise<PnlRow[]> {
    return scope.execute<PnlRow[]>(
      `SELECT symbol,
         count(*) FILTER (WHERE status = 'OPEN') AS open_positions,
         count(*) FILTER (WHERE status = 'CLOSED') AS closed_positions,
         coalesce(sum(realized_pnl_gross), 0) AS realized_pnl_gross,
         coalesce(sum(fees_paid), 0) AS fees_paid,
         coalesce(sum(unrealized_pnl) FILTER (WHERE status = 'OPEN'), 0) AS unrealized_pnl,
         count(*) FILTER (WHERE status = 'OPEN' AND unrealized_pnl IS NULL) AS unvalued_open_positions,
         max(marked_at) AS last_marked_at
       FROM positions WHERE account_id = ?
       GROUP BY GROUPING SETS ((symbol), ()) ORDER BY symbol NULLS FIRST`,
      [accountId],
    );
  }

  /** Sets the note of a position the user can see; false when RLS hides it (or it does not exist). */
  async updateNote(scope: UserScope, positionId: string, note: string | null, at: Date): Promise<boolean> {
    const rows = await scope.execute<{ position_id: string }[]>(
      'UPDATE positions SET note = ?, note_updated_at = ? WHERE position_id = ? RETURNING position_id',
      [note, at, positionId],
    );
    return rows.length === 1;
  }
}
