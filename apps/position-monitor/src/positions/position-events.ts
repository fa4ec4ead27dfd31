import { PositionUpdatedV1, type Envelope } from '@tlp/contracts';
import { buildEvent } from '@tlp/messaging';
import { deterministicId } from '@tlp/service-runtime';
import { calculateRealizedPnlNet, calculateUnrealizedPnl, type PositionState } from './position';
import { decimalString, type PositionExtras } from './position-mapping';
import { calculateMarketValue } from '../valuation/valuation';

export const PRODUCER = 'position-monitor';

export type PositionUpdateCause = PositionUpdatedV1['payload']['cause'];

/** Why and from what a position changed: the envelope's causation and the payload's contributing ids. */
export interface PositionUpdateOrigin {
  readonly cause: PositionUpdateCause;
  readonly orderIds: readonly string[];
  readonly executionIds: readonly string[];
  readonly correlationId: string;
  /** The event that caused the change, or null for the service's own timers (valuation, reconciliation). */
  readonly causationId: string | null;
}

/** `position.updated` with the full state; its id is derived from the position and its revision. */
export function positionUpdated(p: PositionState, extras: PositionExtras, origin: PositionUpdateOrigin, at: Date): Envelope {
  const unrealized = calculateUnrealizedPnl(p, p.markPrice);
  return buildEvent(
    PositionUpdatedV1,
    {
      positionId: p.positionId,
      accountId: p.accountId,
      ownerId: p.ownerId,
      instrument: { symbol: p.symbol, assetClass: p.assetClass, multiplier: decimalString(p.multiplier) },
      tradeId: p.tradeId,
      status: p.status,
      side: p.side,
      quantity: decimalString(p.quantity),
      averageEntryPrice: decimalString(p.averageEntryPrice),
      averageExitPrice: p.averageExitPrice === null ? null : decimalString(p.averageExitPrice),
      realizedPnlGross: decimalString(p.realizedPnlGross),
      feesPaid: decimalString(p.feesPaid),
      realizedPnlNet: decimalString(calculateRealizedPnlNet(p)),
      markPrice: p.markPrice === null ? null : decimalString(p.markPrice),
      unrealizedPnl: unrealized === null ? null : decimalString(unrealized),
      revision: p.revision,
      cause: origin.cause,
      orderIds: [...origin.orderIds],
      executionIds: [...origin.executionIds],
      openedAt: p.openedAt.toISOString(),
      closedAt: p.closedAt === null ? null : p.closedAt.toISOString(),
      mode: extras.mode,
      marketValue: p.markPrice === null ? null : decimalString(calculateMarketValue(p, p.markPrice)),
      exitReason: p.status === 'CLOSED' ? (extras.exitReason ?? 'FILLS') : null,
    },
    {
      eventId: deterministicId('position-monitor.position.updated', p.positionId, String(p.revision)),
      occurredAt: at,
      producer: PRODUCER,
      correlationId: origin.correlationId,
      causationId: origin.causationId,
    },
  );
}
