import type { Instrument, PayloadOf, PositionRelinkRequestedV1, RelinkFill } from '@tlp/contracts';

/**
 * Rule SINGLE_CANDIDATE_POSITION: an unlinked filled order is relinked only when exactly one
 * position of the same account, owner and instrument was open at its first fill. Zero candidates
 * or several leave it to a person; the check query counts them, this file decides and words it.
 */
export interface RelinkCandidate {
  readonly findingId: string;
  readonly orderId: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly instrument: Instrument;
  readonly side: string;
  readonly filledQuantity: string;
  readonly firstFilledAt: Date;
  readonly executionIds: readonly string[];
  readonly positionId: string;
  /** Positions that qualified; the rule applies only when this is 1. */
  readonly candidateCount: number;
  /** The order's fills as projected from `order.filled`, carried so position-monitor can apply one it never received; null when incomplete. */
  readonly fills: readonly RelinkFill[] | null;
}

export const RELINK_RULE = 'SINGLE_CANDIDATE_POSITION' as const;

export function checkRelinkable(candidate: RelinkCandidate): 'NOT_SINGLE_CANDIDATE' | 'NO_EXECUTIONS' | null {
  if (candidate.candidateCount !== 1) return 'NOT_SINGLE_CANDIDATE';
  if (candidate.executionIds.length === 0) return 'NO_EXECUTIONS';
  return null;
}

export function relinkReason(c: RelinkCandidate): string {
  return (
    `order ${c.orderId} (${c.side} ${c.filledQuantity} ${c.instrument.symbol}, first fill ${c.firstFilledAt.toISOString()}) is linked to no position; ` +
    `position ${c.positionId} is the only position of ${c.accountId}/${c.ownerId} in ${c.instrument.symbol} open at that time`
  ).slice(0, 1000);
}

export function relinkCommand(
  c: RelinkCandidate,
  requestId: string,
  requestedAt: Date,
): PayloadOf<typeof PositionRelinkRequestedV1> {
  return {
    requestId,
    accountId: c.accountId,
    ownerId: c.ownerId,
    instrument: c.instrument,
    orderId: c.orderId,
    executionIds: [...c.executionIds],
    ...(c.fills === null ? {} : { fills: c.fills.map((f) => ({ ...f })) }),
    positionId: c.positionId,
    rule: RELINK_RULE,
    reason: relinkReason(c),
    findingId: c.findingId,
    requestedAt: requestedAt.toISOString(),
  };
}
