import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { AutoFixRule } from '../data-quality/finding-types';
import { OrderPurpose } from '../orders/order-ref';
import { AccountId, Instrument, NonNegativeDecimalString, OrderSide, OwnerId, PositiveDecimalString, UtcTimestamp, Uuid } from '../primitives';

/**
 * One execution of the order as data-quality projected it from `order.filled`: what position-monitor
 * needs to apply a fill it never received (the event was lost or never consumed) through its usual
 * accounting. The order's account, owner, instrument and id are the request's own.
 */
export const RelinkFill = z.object({
  /** The broker's id of this execution, one of the request's `executionIds`. */
  executionId: z.string().min(1).max(128),
  /** Trade the order belongs to (UUID), as on `order.filled`. */
  tradeId: Uuid,
  /** Role of the order within its trade, as on `order.filled`. */
  purpose: OrderPurpose,
  /** BUY or SELL: the order's side. */
  side: OrderSide,
  /** Quantity executed in this fill (`order.filled` `lastQuantity`), instrument units, greater than zero. */
  quantity: PositiveDecimalString,
  /** Price of this fill per unit (`order.filled` `lastPrice`), quote currency. */
  price: PositiveDecimalString,
  /** Volume-weighted average price of the order's fills up to this one (`order.filled` `averagePrice`), per unit. */
  averagePrice: PositiveDecimalString,
  /** Fee charged for this fill in the quote currency; "0" when none. */
  fee: NonNegativeDecimalString,
  /** When the execution happened at the venue, ISO-8601 UTC. */
  filledAt: UtcTimestamp,
});
export type RelinkFill = z.infer<typeof RelinkFill>;

/**
 * A command, not a fact: data-quality asks position-monitor to link a filled order it has not linked
 * to the one position that can hold it. Position-monitor decides: it applies the link (and publishes
 * `position.updated` with cause RELINK) or refuses when its own state disagrees. Re-sending the same
 * request is harmless: `requestId` is deterministic and the link is idempotent.
 *
 * `fills` (added in place, optional): the order's fills as data-quality saw them, so position-monitor
 * can apply a fill it never received. Without it only a fill position-monitor holds (one its
 * accounting refused earlier) can be linked; a consumer that does not know the field ignores it.
 */
export const PositionRelinkRequestedV1 = defineContract(
  'position.relink-requested',
  1,
  z.object({
    /** Id of this request: uuid v5 of the finding and the target position, the same on every re-send. */
    requestId: Uuid,
    /** Account holding the position. */
    accountId: AccountId,
    /** User owning the account; must match the position's owner. */
    ownerId: OwnerId,
    /** Instrument of the order and of the position. */
    instrument: Instrument,
    /** The filled order left unlinked (UUID). */
    orderId: Uuid,
    /** Broker execution ids of the order's fills to link, as data-quality has seen them on `order.filled`. */
    executionIds: z.array(z.string().min(1).max(128)).min(1),
    /**
     * The order's fills named in `executionIds`, as data-quality projected them from `order.filled`,
     * in execution order. Position-monitor applies a carried fill it never received to `positionId`;
     * one it holds already is taken from its own records. Absent when data-quality lacks a fill's
     * figures (fills projected before it kept them) or from an older producer.
     */
    fills: z.array(RelinkFill).min(1).optional(),
    /** The position to link the order and its fills to (UUID): the single candidate open at fill time. */
    positionId: Uuid,
    /** The auto-fix rule that produced the request. */
    rule: AutoFixRule,
    /** Why, for the audit trail: the figures the rule saw. At most 1,000 characters. */
    reason: z.string().min(1).max(1000),
    /** The data-quality finding this repairs (UUID). */
    findingId: Uuid,
    /** When data-quality requested the relink, ISO-8601 UTC. */
    requestedAt: UtcTimestamp,
  }),
  'Command from data-quality: link an unlinked filled order to the one candidate position. Position-monitor executes or refuses.',
);
export type PositionRelinkRequestedV1 = EventOf<typeof PositionRelinkRequestedV1>;
