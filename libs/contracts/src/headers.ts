/**
 * Kafka record headers. A published event repeats its envelope's routing fields in headers, so that
 * routers and dead-letter tooling need not parse the value; the value stays the source of truth. A
 * dead-lettered record keeps the original key, value and headers and adds the `x-dlq-*` headers.
 */

export interface HeaderDeclaration {
  /** Header name on the Kafka record. */
  readonly name: string;
  /** What the header carries, for the AsyncAPI document and the README. */
  readonly description: string;
  /** Whether every record carries it. */
  readonly required: boolean;
}

/** Headers of every published event; each value is the UTF-8 string of the envelope field it names. */
export const EVENT_HEADERS = {
  eventId: { name: 'x-event-id', description: 'The envelope `eventId`.', required: true },
  type: { name: 'x-event-type', description: 'The envelope `type`, e.g. `order.filled`.', required: true },
  version: {
    name: 'x-event-version',
    description: 'The envelope `version`, in decimal, e.g. `1`.',
    required: true,
  },
  correlationId: { name: 'x-correlation-id', description: 'The envelope `correlationId`.', required: true },
  causationId: {
    name: 'x-causation-id',
    description: 'The envelope `causationId`; absent when it is null.',
    required: false,
  },
} as const satisfies Record<string, HeaderDeclaration>;

/** Headers a consumer adds when it moves a record it cannot process to `<topic>.dlq`. */
export const DEAD_LETTER_HEADERS = {
  reason: {
    name: 'x-dlq-reason',
    description:
      'Why the record was dead-lettered: `CODE: detail`, e.g. `CONTRACT_VIOLATION: payload.quantity: must be greater than zero`. At most 2,000 characters.',
    required: true,
  },
  sourceTopic: { name: 'x-dlq-source-topic', description: 'Topic the record was read from.', required: true },
  sourcePartition: {
    name: 'x-dlq-source-partition',
    description: 'Partition the record was read from, in decimal.',
    required: true,
  },
  sourceOffset: {
    name: 'x-dlq-source-offset',
    description: 'Offset of the record in its source partition, in decimal.',
    required: true,
  },
  consumer: {
    name: 'x-dlq-consumer',
    description: 'Consumer group id of the consumer that gave up on the record.',
    required: true,
  },
  failedAt: {
    name: 'x-dlq-failed-at',
    description: 'When the record was dead-lettered, ISO-8601 UTC.',
    required: false,
  },
} as const satisfies Record<string, HeaderDeclaration>;
