import { Inject, Injectable } from '@nestjs/common';
import { ApiDatabase, type UserScope } from './api-database';
import type { AuditFillRow, AuditOrderRow, AuditPosition } from './audit-trail';
import { type PositionsQuery, SORT_FIELDS } from './positions-query';
import { isoOfUtcText } from './utc-text';

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
  readonly open_cost: string;
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
  /** Seed 002's lifecycle state, null for a position without a lifecycle row (netting fills without a trade). */
  readonly lifecycle_state: string | null;
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
  quantity, average_entry_price, open_cost, average_exit_price, entry_quantity, entry_notional, closed_quantity, exit_notional,
  realized_pnl_gross, fees_paid, mark_price, market_value, unrealized_pnl, marked_at, exit_reason,
  opened_at, closed_at, revision, updated_at, note,
  (SELECT l.state FROM position_lifecycles l WHERE l.position_id = positions.position_id) AS lifecycle_state`;

/** UTC wall time of a timestamptz as PostgreSQL's ISO text (`2026-03-02 14:30:00.123456`), the cheapest exact form to read. */
const UTC_TEXT = (column: string) => `(${column} AT TIME ZONE 'UTC')::text`;

const text = (value: string | null | undefined): string => {
  if (value === null || value === undefined) throw new Error('audit trail: unexpected NULL column');
  return value;
};

type Fields<N extends number, T extends string[] = []> = T['length'] extends N ? T : Fields<N, [...T, string]>;

/** The `count` fields of a `|`-joined column (each NOT NULL, so `concat_ws` skips none). */
function joined<N extends number>(value: string | null | undefined, count: N): Fields<N> {
  const fields = text(value).split('|');
  if (fields.length !== count) throw new Error(`audit trail: ${fields.length} fields where ${count} were expected`);
  return fields as Fields<N>;
}

/**
 * Every read and write of the HTTP API. Each call runs in its own transaction switched to the
 * NOLOGIN API role with `app.user_id` set to the caller: PostgreSQL's row-level security, not these
 * queries, decides which rows exist (none of the queries below filters by owner).
 */
@Injectable()
export class PositionsApiRepository {
  constructor(@Inject(ApiDatabase) private readonly database: ApiDatabase) {}

  asUser<T>(userId: string, work: (scope: UserScope) => Promise<T>): Promise<T> {
    return this.database.asUser(userId, work);
  }

  async listAsUser(userId: string, query: PositionsQuery): Promise<PositionRow[]> {
    const where: string[] = [];
    const params: (string | number | Date)[] = [];
    /** `clause` holds one `$` per value; they are numbered here, in order. */
    const add = (clause: string, ...values: (string | number | Date)[]) => {
      let next = params.length;
      where.push(clause.replace(/\$/g, () => `$${(next += 1)}`));
      params.push(...values);
    };
    if (query.accountId !== undefined) add('account_id = $', query.accountId);
    if (query.symbol !== undefined) add('symbol = $', query.symbol);
    if (query.status !== undefined) add('status = $', query.status);
    if (query.side !== undefined) add('side = $', query.side);
    if (query.openedFrom !== undefined) add('opened_at >= $', query.openedFrom);
    if (query.openedTo !== undefined) add('opened_at < $', query.openedTo);
    const { column, cast } = SORT_FIELDS[query.sort.field];
    const direction = query.sort.direction === 'asc' ? 'ASC' : 'DESC';
    if (query.cursor) {
      add(`(${column}, position_id) ${direction === 'ASC' ? '>' : '<'} ($::${cast}, $::uuid)`, query.cursor.value, query.cursor.positionId);
    }
    const sql = `SELECT ${COLUMNS} FROM positions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${column} ${direction}, position_id ${direction} LIMIT $${params.length + 1}`;
    return this.database.queryAsUser<PositionRow>(userId, sql, [...params, query.limit + 1]);
  }

  async getAsUser(userId: string, positionId: string): Promise<PositionRow | undefined> {
    const [row] = await this.database.queryAsUser<PositionRow>(userId, `SELECT ${COLUMNS} FROM positions WHERE position_id = $1`, [positionId]);
    return row;
  }

  async get(scope: UserScope, positionId: string): Promise<PositionRow | undefined> {
    const [row] = await scope.query<PositionRow>(`SELECT ${COLUMNS} FROM positions WHERE position_id = $1`, [positionId]);
    return row;
  }

  /**
   * The position, its order links and its fills: three statements in one round trip, on one
   * snapshot, rows as PostgreSQL's text. Building the trail's JSON in PostgreSQL cost more than the
   * rows themselves (`json_build_object` and `to_char` per row). Nine text columns for each of a
   * thousand rows were then most of the driver's work and of the garbage collector's, so every
   * column but `execution_id` (free text) comes `|`-joined: uuids, CHECK-constrained words,
   * numerics and timestamps never contain one.
   */
  async auditTrailAsUser(userId: string, positionId: string): Promise<{ position: AuditPosition; orders: AuditOrderRow[]; fills: AuditFillRow[] } | undefined> {
    const [positions, orders, fills] = await this.database.readTextAsUser(
      userId,
      [
        `SELECT concat_ws('|', position_id, side, quantity, fees_paid) FROM positions WHERE position_id = $1`,
        `SELECT concat_ws('|', order_id, purpose, ${UTC_TEXT('linked_at')}) FROM position_orders WHERE position_id = $1 ORDER BY linked_at, order_id`,
        `SELECT execution_id, concat_ws('|', order_id, side, quantity, price, fee, transition, source, ${UTC_TEXT('filled_at')})
         FROM position_fills WHERE position_id = $1 ORDER BY filled_at, execution_id`,
      ],
      [positionId],
    );
    const position = positions?.[0];
    if (position === undefined) return undefined;
    const [id, side, quantity, feesPaid] = joined(position[0], 4);
    return {
      position: { positionId: id, side: side as AuditPosition['side'], quantity, feesPaid },
      orders: (orders ?? []).map((row) => {
        const [orderId, purpose, linkedAt] = joined(row[0], 3);
        return { orderId, purpose, linkedAt: isoOfUtcText(linkedAt) };
      }),
      fills: (fills ?? []).map((row) => {
        const [orderId, fillSide, fillQuantity, price, fee, transition, source, filledAt] = joined(row[1], 8);
        return { executionId: text(row[0]), orderId, side: fillSide as AuditFillRow['side'], quantity: fillQuantity, price, fee, transition, source, filledAt: isoOfUtcText(filledAt) };
      }),
    };
  }

  /** P&L per symbol of one account, plus the account's total (the row whose `symbol` is null). */
  async pnlAsUser(userId: string, accountId: string): Promise<PnlRow[]> {
    return this.database.queryAsUser<PnlRow>(
      userId,
      `SELECT symbol,
         count(*) FILTER (WHERE status = 'OPEN') AS open_positions,
         count(*) FILTER (WHERE status = 'CLOSED') AS closed_positions,
         coalesce(sum(realized_pnl_gross), 0) AS realized_pnl_gross,
         coalesce(sum(fees_paid), 0) AS fees_paid,
         coalesce(sum(unrealized_pnl) FILTER (WHERE status = 'OPEN'), 0) AS unrealized_pnl,
         count(*) FILTER (WHERE status = 'OPEN' AND unrealized_pnl IS NULL) AS unvalued_open_positions,
         max(marked_at) AS last_marked_at
       FROM positions WHERE account_id = $1
       GROUP BY GROUPING SETS ((symbol), ()) ORDER BY symbol NULLS FIRST`,
      [accountId],
    );
  }

  /** Sets the note of a position the user can see; false when RLS hides it (or it does not exist). */
  async updateNote(scope: UserScope, positionId: string, note: string | null, at: Date): Promise<boolean> {
    const rows = await scope.query<{ position_id: string }>(
      'UPDATE positions SET note = $1, note_updated_at = $2 WHERE position_id = $3 RETURNING position_id',
      [note, at, positionId],
    );
    return rows.length === 1;
  }
}
