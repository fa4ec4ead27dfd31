import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { AccountId, InstrumentSymbol, OwnerId, Uuid } from '../primitives';

export const TradeAlertedV1 = defineContract(
  'trade.alerted',
  1,
  z.object({
    /** The trade concerned (UUID). */
    tradeId: Uuid,
    /** Account of the trade. */
    accountId: AccountId,
    /** User owning the account. */
    ownerId: OwnerId,
    /** Instrument symbol of the trade. */
    symbol: InstrumentSymbol,
    /** What went wrong, SCREAMING_SNAKE, e.g. BOTH_EXITS_FILLED (the position may now be the other way round). */
    alertCode: z.enum(['BOTH_EXITS_FILLED', 'EXIT_REJECTED', 'SIBLING_CANCEL_UNCONFIRMED', 'UNPROTECTED_POSITION']),
    /** CRITICAL pages someone; WARNING goes to the desk's channel. */
    severity: z.enum(['CRITICAL', 'WARNING']),
    /** Human-readable detail naming the orders and quantities. At most 1,000 characters. */
    message: z.string().max(1000),
    /** Internal order ids involved. */
    orderIds: z.array(Uuid),
  }),
  'Something about a trade needs a person: for alert routing, not for state.',
);
export type TradeAlertedV1 = EventOf<typeof TradeAlertedV1>;
