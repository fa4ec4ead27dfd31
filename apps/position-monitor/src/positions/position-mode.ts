/**
 * Position modes per account. Pure.
 * - NETTING: at most one open lifecycle per (account, instrument); every trade in it shares it.
 * - HEDGING: one lifecycle per trade id (seed 002's signal-linked positions); two trades in the same
 *   instrument hold two positions, each folded from its own trade's fills only.
 */
export type PositionMode = 'NETTING' | 'HEDGING';

export interface PositionModeSettings {
  readonly defaultMode: PositionMode;
  /** Accounts in HEDGING when the default is NETTING. */
  readonly hedgingAccounts: readonly string[];
  /** Accounts in NETTING when the default is HEDGING. */
  readonly nettingAccounts: readonly string[];
}

export function positionModeOf(accountId: string, settings: PositionModeSettings): PositionMode {
  if (settings.defaultMode === 'NETTING') return settings.hedgingAccounts.includes(accountId) ? 'HEDGING' : 'NETTING';
  return settings.nettingAccounts.includes(accountId) ? 'NETTING' : 'HEDGING';
}

/** Which open lifecycle a fill belongs to: by instrument in netting mode, by trade in hedging mode. */
export type PositionKey =
  | { readonly mode: 'NETTING'; readonly accountId: string; readonly symbol: string }
  | { readonly mode: 'HEDGING'; readonly accountId: string; readonly symbol: string; readonly tradeId: string };

export function positionKeyOf(mode: PositionMode, accountId: string, symbol: string, tradeId: string): PositionKey {
  return mode === 'NETTING' ? { mode, accountId, symbol } : { mode, accountId, symbol, tradeId };
}
