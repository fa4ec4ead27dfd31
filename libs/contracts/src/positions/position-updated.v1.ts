import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import {
  AccountId,
  DecimalString,
  Instrument,
  NonNegativeDecimalString,
  OwnerId,
  UtcTimestamp,
  Uuid,
} from '../primitives';

/**
 * P&L convention (part of this contract):
 * - `realizedPnlGross` = sum over closing quantity of (exit price - average entry price) x quantity x
 *   multiplier, sign-flipped for shorts; fees are not in it.
 * - `feesPaid` = fees of every fill of this lifecycle, opening and closing.
 * - `realizedPnlNet` = `realizedPnlGross` - `feesPaid`.
 * - `unrealizedPnl` = (mark - average entry) x quantity x multiplier, sign-flipped for shorts; null without a mark.
 */
export const PositionUpdatedV1 = defineContract(
  'position.updated',
  1,
  z.object({
    /** The position lifecycle's id (UUID). A flip to the other side starts a new position id. */
    positionId: Uuid,
    /** Account holding the position. */
    accountId: AccountId,
    /** User owning the account (row-level security key). */
    ownerId: OwnerId,
    /** Instrument held. */
    instrument: Instrument,
    /** Trade this position belongs to in hedging mode; null in netting mode when several trades share it. */
    tradeId: Uuid.nullable(),
    /** Lifecycle status after this change. */
    status: z.enum(['OPEN', 'CLOSED']),
    /** LONG or SHORT while open; FLAT once closed. */
    side: z.enum(['LONG', 'SHORT', 'FLAT']),
    /** Absolute quantity held, instrument units. */
    quantity: NonNegativeDecimalString,
    /** Quantity-weighted average entry price per unit, quote currency. */
    averageEntryPrice: NonNegativeDecimalString,
    /** Quantity-weighted average exit price per unit of the closed part, or null if nothing was closed. */
    averageExitPrice: NonNegativeDecimalString.nullable(),
    /** Realized P&L before fees, quote currency (see the convention above). */
    realizedPnlGross: DecimalString,
    /** Fees paid on every fill of this lifecycle, quote currency. */
    feesPaid: NonNegativeDecimalString,
    /** Realized P&L after fees: gross minus fees, quote currency. */
    realizedPnlNet: DecimalString,
    /** Last mark price per unit used for valuation, or null if never marked. */
    markPrice: NonNegativeDecimalString.nullable(),
    /** Unrealized P&L at `markPrice`, quote currency, or null without a mark. */
    unrealizedPnl: DecimalString.nullable(),
    /** Monotonic revision of the position, starting at 1; consumers keep the highest they have seen. */
    revision: z.number().int().positive(),
    /** What changed it. */
    cause: z.enum(['FILL', 'MARK', 'RECONCILIATION', 'RELINK']),
    /** Internal order ids that contributed to this change (the fill's order for FILL). */
    orderIds: z.array(Uuid),
    /** Broker execution ids of the fills applied in this change. */
    executionIds: z.array(z.string().min(1).max(128)),
    /** When the lifecycle opened, ISO-8601 UTC. */
    openedAt: UtcTimestamp,
    /** When it closed, ISO-8601 UTC, or null while open. */
    closedAt: UtcTimestamp.nullable(),
    /** Position mode of the account: NETTING (one position per account and instrument) or HEDGING (one per trade). Added in place (additive). */
    mode: z.enum(['NETTING', 'HEDGING']).optional(),
    /** Signed value at `markPrice`: mark x quantity x multiplier, negative for SHORT, quote currency; null without a mark. Added in place (additive). */
    marketValue: DecimalString.nullable().optional(),
    /** Why it closed: FILLS (its own fills took it to zero) or MANUAL_EXIT (gone at the broker, closed by reconciliation); null while open. Added in place (additive). */
    exitReason: z.enum(['FILLS', 'MANUAL_EXIT']).nullable().optional(),
  }),
  'A position changed: opened, scaled, reduced, closed, flipped or revalued. Carries the full state.',
);
export type PositionUpdatedV1 = EventOf<typeof PositionUpdatedV1>;
