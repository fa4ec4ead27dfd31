import { toDecimalString } from '@tlp/contracts';
import { Decimal } from 'decimal.js';
import { calculateUnrealizedPnl, type PositionState } from './position';
import type { PositionMode } from './position-mode';
import type { PositionRecord } from './position-record.entity';
import { calculateMarketValue } from '../valuation/valuation';

export type ExitReason = 'FILLS' | 'MANUAL_EXIT';

/** What a stored position holds beyond `PositionState`: its mode, why it closed, when it was last marked. */
export interface PositionExtras {
  readonly mode: PositionMode;
  /** Null while open; FILLS unless reconciliation closed it. */
  readonly exitReason: ExitReason | null;
  readonly markedAt: Date | null;
}

export function extrasOf(record: PositionRecord): PositionExtras {
  return { mode: record.mode, exitReason: record.exitReason, markedAt: record.markedAt };
}

/** Decimal to its exact plain-notation string (never an exponent), for NUMERIC columns and the wire. */
export const decimalString = (value: Decimal): string => toDecimalString(value);

const dec = (v: string) => new Decimal(v);

/** The stored row as domain state. Applied execution ids are checked in the database, so the set starts empty. */
export function stateOf(record: PositionRecord): PositionState {
  return {
    positionId: record.positionId,
    accountId: record.accountId,
    ownerId: record.ownerId,
    symbol: record.symbol,
    assetClass: record.assetClass,
    multiplier: dec(record.multiplier),
    tradeId: record.tradeId,
    status: record.status,
    side: record.side,
    quantity: dec(record.quantity),
    averageEntryPrice: dec(record.averageEntryPrice),
    openCost: dec(record.openCost),
    entryQuantity: dec(record.entryQuantity),
    entryNotional: dec(record.entryNotional),
    closedQuantity: dec(record.closedQuantity),
    exitNotional: dec(record.exitNotional),
    averageExitPrice: record.averageExitPrice === null ? null : dec(record.averageExitPrice),
    realizedPnlGross: dec(record.realizedPnlGross),
    feesPaid: dec(record.feesPaid),
    markPrice: record.markPrice === null ? null : dec(record.markPrice),
    openedAt: record.openedAt,
    closedAt: record.closedAt,
    revision: record.revision,
    appliedExecutionIds: new Set(),
  };
}

/** The row for `state`; market value and unrealized P&L are recomputed from the mark, so they never go stale. */
export function recordFieldsOf(state: PositionState, updatedAt: Date, extras: PositionExtras): PositionRecord {
  const unrealized = calculateUnrealizedPnl(state, state.markPrice);
  return {
    positionId: state.positionId,
    accountId: state.accountId,
    ownerId: state.ownerId,
    symbol: state.symbol,
    assetClass: state.assetClass,
    multiplier: decimalString(state.multiplier),
    tradeId: state.tradeId,
    status: state.status,
    side: state.side,
    quantity: decimalString(state.quantity),
    averageEntryPrice: decimalString(state.averageEntryPrice),
    openCost: decimalString(state.openCost),
    entryQuantity: decimalString(state.entryQuantity),
    entryNotional: decimalString(state.entryNotional),
    closedQuantity: decimalString(state.closedQuantity),
    exitNotional: decimalString(state.exitNotional),
    averageExitPrice: state.averageExitPrice === null ? null : decimalString(state.averageExitPrice),
    realizedPnlGross: decimalString(state.realizedPnlGross),
    feesPaid: decimalString(state.feesPaid),
    markPrice: state.markPrice === null ? null : decimalString(state.markPrice),
    openedAt: state.openedAt,
    closedAt: state.closedAt,
    revision: state.revision,
    updatedAt,
    mode: extras.mode,
    marketValue: state.markPrice === null ? null : decimalString(calculateMarketValue(state, state.markPrice)),
    unrealizedPnl: unrealized === null ? null : decimalString(unrealized),
    markedAt: state.markPrice === null ? null : extras.markedAt,
    exitReason: state.status === 'CLOSED' ? (extras.exitReason ?? 'FILLS') : null,
  };
}
