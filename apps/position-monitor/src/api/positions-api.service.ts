import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import {
  type AssetClass,
  type PositionState,
  calculateEntryValue,
  calculateExitValue,
  calculateRealizedPnlNet,
  calculateRealizedPnlPercent,
} from '../positions/position';
import { type AuditTrail, buildAuditTrail } from './audit-trail';
import { type PnlRow, type PositionRow, PositionsApiRepository } from './positions-api.repository';
import { type PositionsQuery, SORT_FIELDS, encodeCursor } from './positions-query';

const dec = (value: string): string => new Decimal(value).toFixed();
const decOrNull = (value: string | null): string | null => (value === null ? null : dec(value));
const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** The accounting fields of a row, for the domain's derived figures (values x multiplier, percent). */
function accountingOf(row: PositionRow): PositionState {
  const d = (value: string) => new Decimal(value);
  return {
    positionId: row.position_id, accountId: row.account_id, ownerId: row.owner_id, symbol: row.symbol,
    assetClass: row.asset_class as AssetClass, multiplier: d(row.multiplier), tradeId: row.trade_id, status: row.status, side: row.side,
    quantity: d(row.quantity), averageEntryPrice: d(row.average_entry_price), openCost: d(row.open_cost),
    entryQuantity: d(row.entry_quantity), entryNotional: d(row.entry_notional), closedQuantity: d(row.closed_quantity),
    exitNotional: d(row.exit_notional), averageExitPrice: row.average_exit_price === null ? null : d(row.average_exit_price),
    realizedPnlGross: d(row.realized_pnl_gross), feesPaid: d(row.fees_paid), markPrice: row.mark_price === null ? null : d(row.mark_price),
    openedAt: new Date(row.opened_at), closedAt: row.closed_at === null ? null : new Date(row.closed_at), revision: row.revision,
    appliedExecutionIds: new Set(),
  };
}

/** A position lifecycle in the API: decimals as strings, times as ISO-8601 UTC; the P&L convention of `position.ts`. */
export function positionView(row: PositionRow) {
  const state = accountingOf(row);
  const percent = calculateRealizedPnlPercent(state);
  return {
    positionId: row.position_id,
    accountId: row.account_id,
    ownerId: row.owner_id,
    symbol: row.symbol,
    assetClass: row.asset_class,
    multiplier: dec(row.multiplier),
    mode: row.mode,
    tradeId: row.trade_id,
    status: row.status,
    lifecycleState: row.lifecycle_state,
    side: row.side,
    quantity: dec(row.quantity),
    averageEntryPrice: dec(row.average_entry_price),
    averageExitPrice: decOrNull(row.average_exit_price),
    entryQuantity: dec(row.entry_quantity),
    entryValue: calculateEntryValue(state).toFixed(),
    closedQuantity: dec(row.closed_quantity),
    exitValue: calculateExitValue(state).toFixed(),
    realizedPnlGross: dec(row.realized_pnl_gross),
    feesPaid: dec(row.fees_paid),
    realizedPnlNet: calculateRealizedPnlNet(state).toFixed(),
    realizedPnlPercent: percent === null ? null : percent.toFixed(),
    markPrice: decOrNull(row.mark_price),
    marketValue: decOrNull(row.market_value),
    unrealizedPnl: decOrNull(row.unrealized_pnl),
    markedAt: iso(row.marked_at),
    exitReason: row.exit_reason,
    openedAt: iso(row.opened_at),
    closedAt: iso(row.closed_at),
    revision: row.revision,
    updatedAt: iso(row.updated_at),
    note: row.note,
  };
}
export type PositionView = ReturnType<typeof positionView>;

function pnlView(row: PnlRow) {
  const gross = new Decimal(row.realized_pnl_gross);
  const fees = new Decimal(row.fees_paid);
  return {
    openPositions: Number(row.open_positions),
    closedPositions: Number(row.closed_positions),
    realizedPnlGross: gross.toFixed(),
    feesPaid: fees.toFixed(),
    realizedPnlNet: gross.minus(fees).toFixed(),
    unrealizedPnl: dec(row.unrealized_pnl),
    unvaluedOpenPositions: Number(row.unvalued_open_positions),
    lastMarkedAt: iso(row.last_marked_at),
  };
}

export interface PnlSummary {
  readonly accountId: string;
  readonly total: ReturnType<typeof pnlView>;
  readonly bySymbol: readonly (ReturnType<typeof pnlView> & { readonly symbol: string })[];
}

/** The position queries of one authenticated user; what they may see is decided by row-level security. */
@Injectable()
export class PositionsApiService {
  constructor(
    @Inject(PositionsApiRepository) private readonly repository: PositionsApiRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(userId: string, query: PositionsQuery): Promise<{ items: PositionView[]; nextCursor: string | null }> {
    const rows = await this.repository.listAsUser(userId, query);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const more = rows.length > query.limit && last !== undefined;
    return { items: page.map(positionView), nextCursor: more ? encodeCursor({ field: query.sort.field, value: cursorValue(last, query), positionId: last.position_id }) : null };
  }

  async get(userId: string, positionId: string): Promise<PositionView | undefined> {
    const row = await this.repository.getAsUser(userId, positionId);
    return row && positionView(row);
  }

  async auditTrail(userId: string, positionId: string): Promise<AuditTrail | undefined> {
    const rows = await this.repository.auditTrailAsUser(userId, positionId);
    return rows && buildAuditTrail(rows.position, rows.orders, rows.fills);
  }

  async pnl(userId: string, accountId: string): Promise<PnlSummary | undefined> {
    const rows = await this.repository.pnlAsUser(userId, accountId);
    const total = rows.find((r) => r.symbol === null);
    if (!total || Number(total.open_positions) + Number(total.closed_positions) === 0) return undefined;
    return {
      accountId,
      total: pnlView(total),
      bySymbol: rows.flatMap((r) => (r.symbol === null ? [] : [{ symbol: r.symbol, ...pnlView(r) }])),
    };
  }

  async setNote(userId: string, positionId: string, note: string | null): Promise<PositionView | undefined> {
    return this.repository.asUser(userId, async (scope) => {
      if (!(await this.repository.updateNote(scope, positionId, note, this.clock.now()))) return undefined;
      const row = await this.repository.get(scope, positionId);
      return row && positionView(row);
    });
  }
}

function cursorValue(row: PositionRow, query: PositionsQuery): string {
  const { column, cast } = SORT_FIELDS[query.sort.field];
  const value = row[column];
  return cast === 'timestamptz' ? new Date(value).toISOString() : String(value);
}
