/**
 * The trade journal: one trade from its entry order to its close, as the order monitor sees it. Pure.
 *
 * Invariants: quantities and prices are decimals; entry and exit prices are the volume-weighted
 * averages of every entry and every exit fill (of both exits when both filled); realized P&L is
 * computed from those averages, so it always counts every exit fill.
 */
import type { Decimal } from 'decimal.js';

export const TRADE_STATUSES = ['ORDERED', 'POSITION', 'CLOSING', 'CLOSED', 'CANCELLED'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

export const EXIT_PURPOSES = ['STOP_LOSS', 'TAKE_PROFIT'] as const;
export type ExitPurpose = (typeof EXIT_PURPOSES)[number];

export const EXIT_REASONS = ['STOPPED_OUT', 'PROFIT_TAKEN', 'CANCELLED'] as const;
export type TradeExitReason = (typeof EXIT_REASONS)[number];

export type TradeDirection = 'LONG' | 'SHORT';
export type TradeStyle = 'SWING' | 'DAY';
export type AssetClass = 'EQUITY' | 'OPTION' | 'CRYPTO';

/**
 * An exit leg of the trade. NONE: not planned (yet); OPEN: an exit order is planned or working;
 * FILLED: its order filled completely; ENDED: its order was canceled, expired or rejected.
 */
export type ExitLegState = 'NONE' | 'OPEN' | 'FILLED' | 'ENDED';

export interface ExitLeg {
  /** The leg's current exit order (its latest version, after any resize); null while none is planned. */
  readonly orderId: string | null;
  readonly state: ExitLegState;
  /** Filled by every version of this leg's order, instrument units. */
  readonly filledQuantity: Decimal;
}

export interface Trade {
  readonly tradeId: string;
  readonly decisionId: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly symbol: string;
  readonly assetClass: AssetClass;
  /** Units of the underlying per instrument unit (100 for a standard option contract). */
  readonly multiplier: Decimal;
  readonly direction: TradeDirection;
  readonly tradeStyle: TradeStyle;
  readonly status: TradeStatus;
  readonly plannedEntryPrice: Decimal | null;
  readonly plannedStopLoss: Decimal | null;
  readonly plannedTakeProfit: Decimal | null;
  readonly entryOrderId: string;
  /** True once the entry order reached a terminal status (filled, canceled, expired, rejected). */
  readonly entryEnded: boolean;
  readonly entryQuantity: Decimal;
  /** VWAP of the entry fills; null before the first. */
  readonly entryPrice: Decimal | null;
  readonly exitQuantity: Decimal;
  /** VWAP of the exit fills; null before the first. */
  readonly exitPrice: Decimal | null;
  /** Fees of every entry and exit fill, quote currency. */
  readonly fees: Decimal;
  readonly realizedPnlGross: Decimal;
  readonly realizedPnlNet: Decimal;
  /** Set by the first exit that fills. */
  readonly exitReason: TradeExitReason | null;
  readonly bothExitsFilled: boolean;
  readonly stopLoss: ExitLeg;
  readonly takeProfit: ExitLeg;
  readonly orderedAt: Date;
  readonly closedAt: Date | null;
}

export function legOf(trade: Trade, purpose: ExitPurpose): ExitLeg {
  return purpose === 'STOP_LOSS' ? trade.stopLoss : trade.takeProfit;
}

export function siblingOf(purpose: ExitPurpose): ExitPurpose {
  return purpose === 'STOP_LOSS' ? 'TAKE_PROFIT' : 'STOP_LOSS';
}

/** The side that closes the position: SELL for a LONG trade, BUY for a SHORT one. */
export function exitSideOf(direction: TradeDirection): 'BUY' | 'SELL' {
  return direction === 'LONG' ? 'SELL' : 'BUY';
}

export function directionOf(entrySide: 'BUY' | 'SELL'): TradeDirection {
  return entrySide === 'BUY' ? 'LONG' : 'SHORT';
}
