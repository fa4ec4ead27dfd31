/**
 * The envelope every Kafka message carries. The value of a record is the JSON of an envelope; the
 * record key is the topic's partition key (see topics.ts); the headers repeat `type`, `version` and
 * `eventId` so that routers and dead-letter tooling need not parse the value.
 */
import { z } from 'zod';
import { UtcTimestamp, Uuid } from './primitives';

/** Fields common to every event, whatever its payload. */
export const EnvelopeHeader = z.object({
  /** Unique id of this event (UUID). Consumers de-duplicate on it: the same id is applied at most once. */
  eventId: Uuid,
  /** Event type, e.g. `order.filled`. Together with `version` it selects the payload schema. */
  type: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/),
  /** Major version of the payload schema. Additive changes keep the version; breaking ones add a new one. */
  version: z.number().int().positive(),
  /** When the fact happened, ISO-8601 UTC (not when it was published). */
  occurredAt: UtcTimestamp,
  /** Name of the service that produced the event, e.g. `executor`. */
  producer: z.string().min(1).max(64),
  /** Id shared by every event caused, directly or not, by one decision; for tracing a flow end to end. */
  correlationId: Uuid,
  /** `eventId` of the event that directly caused this one, or null for an origin event. */
  causationId: Uuid.nullable(),
});
export type EnvelopeHeader = z.infer<typeof EnvelopeHeader>;

/** A versioned message contract: its type, version and the schema of the whole envelope. */
export interface Contract<T extends string = string, V extends number = number, P extends z.ZodType = z.ZodType> {
  readonly type: T;
  readonly version: V;
  readonly payload: P;
  readonly schema: z.ZodType<Envelope<T, V, z.infer<P>>>;
}

export type Envelope<T extends string = string, V extends number = number, P = unknown> = Omit<
  EnvelopeHeader,
  'type' | 'version'
> & {
  /** Event type, e.g. `order.filled`. Together with `version` it selects the payload schema. */
  type: T;
  /** Major version of the payload schema. Additive changes keep the version; breaking ones add a new one. */
  version: V;
  /** The fact itself; its schema is the one `type` and `version` select. */
  payload: P;
};

export type EventOf<C extends Contract> = z.infer<C['schema']>;
export type PayloadOf<C extends Contract> = z.infer<C['payload']>;

/** Declares one message contract: an envelope whose `type`/`version` are literals and whose payload is `payload`. */
export function defineContract<T extends string, V extends number, P extends z.ZodType>(
  type: T,
  version: V,
  payload: P,
  description: string,
): Contract<T, V, P> {
  const schema = EnvelopeHeader.extend({
    type: z.literal(type),
    version: z.literal(version),
    payload,
  })
    .strict()
    .meta({ title: `${type} v${version}`, description });
  return { type, version, payload, schema: schema as unknown as Contract<T, V, P>['schema'] };
}
