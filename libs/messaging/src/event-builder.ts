import { describeIssues, type Contract, type Envelope, type PayloadOf } from '@tlp/contracts';

export interface EventMeta {
  /** Unique id; derive it (`deterministicId` from @tlp/service-runtime) when the event is caused by another, so replays are idempotent. */
  readonly eventId: string;
  readonly occurredAt: Date;
  readonly producer: string;
  readonly correlationId: string;
  readonly causationId: string | null;
}

/** Thrown when a service builds an event its own contract refuses: a bug, so it fails fast. */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
}

/** Builds an envelope for `contract` and validates it, so nothing invalid ever reaches the outbox. */
export function buildEvent<C extends Contract>(contract: C, payload: PayloadOf<C>, meta: EventMeta): Envelope {
  const candidate = {
    eventId: meta.eventId,
    type: contract.type,
    version: contract.version,
    occurredAt: meta.occurredAt.toISOString(),
    producer: meta.producer,
    correlationId: meta.correlationId,
    causationId: meta.causationId,
    payload,
  };
  const parsed = contract.schema.safeParse(candidate);
  if (!parsed.success) {
    throw new ContractViolationError(`${contract.type} v${contract.version}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}
