/**
 * Decides a `position.relink-requested` command. Pure. The request is executed all or nothing:
 * - the position must exist, be of the request's account, owner and instrument, and still be open;
 * - every execution must be either already linked to that position (nothing to do) or unlinked and
 *   known to the position monitor (a fill the accounting refused earlier, kept in `unapplied_fills`);
 * - an execution linked to another position refuses the whole request.
 * ALREADY_LINKED when every execution is linked to the position already (a re-sent request).
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
}

/** Where each requested execution stands: linked to which positions, and whether its fill is known. */
export interface ExecutionStanding {
  readonly executionId: string;
  readonly linkedTo: readonly string[];
  readonly known: boolean;
}

export type RelinkDecision =
  | { readonly kind: 'LINK'; readonly executionIds: readonly string[] }
  | { readonly kind: 'ALREADY_LINKED' }
  | { readonly kind: 'REFUSED'; readonly code: RelinkRefusalCode; readonly detail: string };

export function decideRelink(request: RelinkRequest, target: RelinkTarget | null, standings: readonly ExecutionStanding[]): RelinkDecision {
  if (target === null) return refused('REFUSED_UNKNOWN_POSITION', `position ${request.positionId} does not exist`);
  if (target.accountId !== request.accountId || target.symbol !== request.symbol) {
    return refused('REFUSED_POSITION_MISMATCH', `position ${request.positionId} is ${target.accountId}/${target.symbol}, not ${request.accountId}/${request.symbol}`);
  }
  if (target.ownerId !== request.ownerId) return refused('REFUSED_OWNER_MISMATCH', `position ${request.positionId} belongs to another owner`);
  const elsewhere = standings.find((s) => s.linkedTo.some((id) => id !== request.positionId));
  if (elsewhere !== undefined) return refused('REFUSED_LINKED_ELSEWHERE', `execution ${elsewhere.executionId} is linked to ${elsewhere.linkedTo.join(', ')}`);
  const toLink = standings.filter((s) => s.linkedTo.length === 0);
  if (toLink.length === 0) return { kind: 'ALREADY_LINKED' };
  const unknown = toLink.find((s) => !s.known);
  if (unknown !== undefined) return refused('REFUSED_FILL_UNKNOWN', `execution ${unknown.executionId} was never received by the position monitor`);
  if (!target.open) return refused('REFUSED_POSITION_NOT_OPEN', `position ${request.positionId} is closed`);
  return { kind: 'LINK', executionIds: toLink.map((s) => s.executionId) };
}

function refused(code: RelinkRefusalCode, detail: string): RelinkDecision {
  return { kind: 'REFUSED', code, detail };
}
