import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import {
  AccountId,
  DecimalString,
  Instrument,
  NonNegativeDecimalString,
  OwnerId,
  PositiveDecimalString,
  UtcTimestamp,
  Uuid,
} from '../primitives';

/** Why a trade ended. */
export const ExitReason = z.enum(['STOPPED_OUT', 'PROFIT_TAKEN', 'MANUAL_EXIT', 'CANCELLED']);

export const TradeClosedV1 = defineContract(
  'trade.closed',
  1,
  z.object({
    /** The trade (UUID): its entry, exits and every leg share it. */
    tradeId: Uuid,
    /** The decision that opened the trade (UUID). */
    decisionId: Uuid,
    /** Account the trade was in. */
    accountId: AccountId,
    /** User owning the account (row-level security key). */
    ownerId: OwnerId,
    /** Instrument traded. */
    instrument: Instrument,
    /** LONG for a BUY entry, SHORT for a SELL entry. */
    direction: z.enum(['LONG', 'SHORT']),
    /** SWING (stop-loss and take-profit) or DAY (stop-loss only). */
    tradeStyle: z.enum(['SWING', 'DAY']),
    /** How the trade ended; CANCELLED when the entry never filled. */
    exitReason: ExitReason,
    /** Entry price the decision planned per unit (its limit or stop price), or null for a market entry. */
    plannedEntryPrice: PositiveDecimalString.nullable(),
    /** Volume-weighted entry price actually paid per unit, or null when nothing was filled. */
    actualEntryPrice: PositiveDecimalString.nullable(),
    /** Quantity bought (LONG) or sold (SHORT) to open, instrument units. */
    entryQuantity: NonNegativeDecimalString,
    /** Planned stop-loss trigger per unit, or null. */
    plannedStopLoss: PositiveDecimalString.nullable(),
    /** Planned take-profit limit per unit, or null. */
    plannedTakeProfit: PositiveDecimalString.nullable(),
    /** Volume-weighted exit price per unit over every exit fill, or null when nothing was exited. */
    actualExitPrice: PositiveDecimalString.nullable(),
    /** Quantity closed by exit fills, instrument units (may exceed the entry when both exits filled). */
    exitQuantity: NonNegativeDecimalString,
    /** (exit - entry) x quantity x multiplier, sign-flipped for SHORT, quote currency; fees not included. */
    realizedPnlGross: DecimalString,
    /** Fees of every entry and exit fill, quote currency. */
    fees: NonNegativeDecimalString,
    /** Gross minus fees, quote currency. */
    realizedPnlNet: DecimalString,
    /** Internal order ids of the entry and every exit order of the trade. */
    orderIds: z.array(Uuid),
    /** When the entry was ordered, ISO-8601 UTC. */
    orderedAt: UtcTimestamp,
    /** When the trade closed, ISO-8601 UTC. */
    closedAt: UtcTimestamp,
  }),
  'A trade ended: closed by an exit or outside the platform, or cancelled before its entry filled. The trade journal row.',
);
export type TradeClosedV1 = EventOf<typeof TradeClosedV1>;
export type ExitReason = z.infer<typeof ExitReason>;
