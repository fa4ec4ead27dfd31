import { z } from 'zod';
import { defineContract, type EventOf } from '../envelope';
import { AccountId, InstrumentSymbol, UtcTimestamp, Uuid } from '../primitives';
import { FindingSeverity, FindingType } from './finding-types';

export const DqFindingV1 = defineContract(
  'dq.finding',
  1,
  z.object({
    /** The check run that last saw (or resolved) the finding (UUID). */
    runId: Uuid,
    /** Stable id of the finding across runs: name-based uuid (v3) of its type and entity key, so every run names it alike. */
    findingId: Uuid,
    /** Which invariant is broken. */
    findingType: FindingType,
    /** CRITICAL and HIGH are high priority; MEDIUM and LOW are for review. */
    severity: FindingSeverity,
    /** OPEN while a run still sees it; RESOLVED once a later run no longer does. */
    status: z.enum(['OPEN', 'RESOLVED']),
    /** What the finding is about, e.g. `order:<orderId>` or `position:<positionId>`; with `findingType` it identifies the finding. */
    entityKey: z.string().min(1).max(256),
    /** Account concerned, or null for a platform-wide finding such as the link rate. */
    accountId: AccountId.nullable(),
    /** Instrument symbol concerned, or null. */
    symbol: InstrumentSymbol.nullable(),
    /** Internal order id concerned (UUID), or null. */
    orderId: Uuid.nullable(),
    /** Position id concerned (UUID), or null. */
    positionId: Uuid.nullable(),
    /** Broker execution id concerned (duplicates), or null. */
    executionId: z.string().min(1).max(128).nullable(),
    /** Trade id concerned (UUID), or null. */
    tradeId: Uuid.nullable(),
    /** Human-readable detail: figures that broke the invariant. At most 1,000 characters. */
    detail: z.string().max(1000),
    /** When a run first saw the finding, ISO-8601 UTC. */
    firstSeenAt: UtcTimestamp,
    /** When a run last saw the finding, ISO-8601 UTC. */
    lastSeenAt: UtcTimestamp,
    /** When a run first no longer saw it, ISO-8601 UTC; null while open. */
    resolvedAt: UtcTimestamp.nullable(),
  }),
  'A data-quality finding opened, seen again with a new severity, or resolved. For other teams\' alerting and review.',
);
export type DqFindingV1 = EventOf<typeof DqFindingV1>;
