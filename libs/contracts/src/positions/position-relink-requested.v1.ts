import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { AutoFixRule } from '../data-quality/finding-types';
import { AccountId, Instrument, OwnerId, UtcTimestamp, Uuid } from '../primitives';

/**
 * A command, not a fact: data-quality asks position-monitor to link a filled order it has not linked
 * to the one position that can hold it. Position-monitor decides: it applies the link (and publishes
 * `position.updated` with cause RELINK) or refuses when its own state disagrees. Re-sending the same
 * request is harmless: `requestId` is deterministic and the link is idempotent.
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
