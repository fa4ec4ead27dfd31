import { PositionUpdatedV1, type Envelope, type OrderFilledV1 } from '@tlp/contracts';
import { buildEvent } from '@tlp/messaging';
import { deterministicId } from '@tlp/service-runtime';
import { calculateRealizedPnlNet, calculateUnrealizedPnl } from './position';
import { decimalString } from './position-mapping';
import type { PositionChange } from './position-accounting';

export const PRODUCER = 'position-monitor';

/** `position.updated` for one change caused by a fill; its id is derived from the position and its revision. */
export function positionUpdatedByFill(change: PositionChange, fill: OrderFilledV1, at: Date): Envelope {
  const p = change.position;
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
      cause: 'FILL',
      orderIds: [fill.payload.orderId],
      executionIds: [fill.payload.executionId],
      openedAt: p.openedAt.toISOString(),
      closedAt: p.closedAt === null ? null : p.closedAt.toISOString(),
    },
    {
      eventId: deterministicId('position-monitor.position.updated', p.positionId, String(p.revision)),
      occurredAt: at,
      producer: PRODUCER,
      correlationId: fill.correlationId,
      causationId: fill.eventId,
    },
  );
}
