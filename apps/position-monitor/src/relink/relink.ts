/**
 * Decides a `position.relink-requested` command. Pure. The request is executed all or nothing:
 * - the position must exist, be of the request's account, owner and instrument, and still be open;
 * - every execution must be either already linked to that position (nothing to do) or unlinked with
 *   a fill to apply: the one the position monitor holds (refused by the accounting earlier, kept in
 *   `unapplied_fills`), else the one the request carries (a fill it never received);
 * - an execution linked to another position refuses the whole request (a fill is applied once);
 * - a hedging position holds one trade's fills only: a fill of another trade refuses the request.
 * ALREADY_LINKED when every execution is linked to the position already (a re-sent request). Fills the
 * request carries for executions it does not name are ignored.
 */
export type RelinkRefusalCode =
  | 'REFUSED_UNKNOWN_POSITION'
  | 'REFUSED_POSITION_MISMATCH'
  | 'REFUSED_OWNER_MISMATCH'
  | 'REFUSED_POSITION_NOT_OPEN'
  | 'REFUSED_LINKED_ELSEWHERE'
  | 'REFUSED_FILL_UNKNOWN'
  | 'REFUSED_BY_ACCOUNTING';

export interface RelinkRequest {
  readonly accountId: string;
  readonly ownerId: string;
  readonly symbol: string;
  readonly positionId: string;
  readonly executionIds: readonly string[];
}

export interface RelinkTarget {
  readonly accountId: string;
  readonly ownerId: string;
  readonly symbol: string;
  readonly open: boolean;
  /** The trade a HEDGING position holds; null for a NETTING position (any trade of the instrument). */
  readonly hedgingTradeId: string | null;
}

/**
 * Where each requested execution stands: linked to which positions, whether the position monitor
 * holds its fill (`unapplied_fills`), whether the request carries it.
 */
export interface ExecutionStanding {
  readonly executionId: string;
  readonly linkedTo: readonly string[];
  readonly held: boolean;
  readonly carried: boolean;
  /** Trade of the fill to apply (held or carried); null when there is none. */
  readonly tradeId: string | null;
}

/** Where the fill applied for an execution comes from: the monitor's own record first, else the request. */
export type RelinkFillSource = 'HELD' | 'CARRIED';

export interface ExecutionToLink {
  readonly executionId: string;
  readonly from: RelinkFillSource;
}

export type RelinkDecision =
  | { readonly kind: 'LINK'; readonly executions: readonly ExecutionToLink[] }
  | { readonly kind: 'ALREADY_LINKED' }
  | { readonly kind: 'REFUSED'; readonly code: RelinkRefusalCode; readonly detail: string };

export function decideRelink(request: RelinkRequest, target: RelinkTarget | null, standings: readonly ExecutionStanding[]): RelinkDecision {
  if (target === null) return refused('REFUSED_UNKNOWN_POSITION', `position ${request.positionId} does not exist`);
  if (target.accountId !== request.accountId || target.symbol !== request.symbol) {
    return refused('REFUSED_POSITION_MISMATCH', `position ${request.positionId} is ${target.accountId}/${target.symbol}, not ${request.accountId}/${request.symbol}`);
  }
  if (target.ownerId !== request.ownerId) return refused('REFUSED_OWNER_MISMATCH', `position ${request.positionId} belongs to another owner`);
  const elsewhere = standings.find((s) => s.linkedTo.some((id) => id !== request.positionId));
  if (elsewhere !== undefined) return refused('REFUSED_LINKED_ELSEWHERE', `execution ${elsewhere.executionId} is applied to ${elsewhere.linkedTo.join(', ')} already`);
  const toLink = standings.filter((s) => s.linkedTo.length === 0);
  if (toLink.length === 0) return { kind: 'ALREADY_LINKED' };
  const unknown = toLink.find((s) => !s.held && !s.carried);
  if (unknown !== undefined) return refused('REFUSED_FILL_UNKNOWN', `execution ${unknown.executionId} was never received by the position monitor and the request carries no fill for it`);
  if (!target.open) return refused('REFUSED_POSITION_NOT_OPEN', `position ${request.positionId} is closed`);
  const otherTrade = toLink.find((s) => target.hedgingTradeId !== null && s.tradeId !== target.hedgingTradeId);
  if (otherTrade !== undefined) {
    return refused('REFUSED_POSITION_MISMATCH', `position ${request.positionId} holds trade ${String(target.hedgingTradeId)} only; execution ${otherTrade.executionId} is of trade ${String(otherTrade.tradeId)}`);
  }
  return { kind: 'LINK', executions: toLink.map((s) => ({ executionId: s.executionId, from: s.held ? 'HELD' : 'CARRIED' })) };
}

function refused(code: RelinkRefusalCode, detail: string): RelinkDecision {
  return { kind: 'REFUSED', code, detail };
}
