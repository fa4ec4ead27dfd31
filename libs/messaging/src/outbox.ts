import { ALL_TOPICS, EVENT_HEADERS, type Envelope, type TopicDeclaration } from '@tlp/contracts';
import type { SqlExecutor } from './sql-executor';

/** Thrown when an event is appended for a topic the contracts do not declare, or a type it does not carry. */
export class UndeclaredTopicError extends Error {
  override readonly name = 'UndeclaredTopicError';
}

/**
 * Appends events to the outbox inside the caller's transaction. The relay publishes them after
 * commit, keyed by the topic's declared partition key. Appending an event id twice is a no-op, so a
 * handler re-run after a crash cannot publish twice.
 */
export async function appendToOutbox(sql: SqlExecutor, events: readonly Envelope[]): Promise<void> {
  for (const event of events) {
    const topic = topicFor(event);
    await sql.query(
      `INSERT INTO messaging_outbox (event_id, topic, message_key, event_type, event_version, payload, headers)
       VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (event_id) DO NOTHING`,
      [
        event.eventId,
        topic.name,
        topic.key.of(event),
        event.type,
        event.version,
        JSON.stringify(event),
        JSON.stringify(headersOf(event)),
      ],
    );
  }
  if (events.length > 0) await sql.query(`SELECT pg_notify('messaging_outbox', '')`);
}

function topicFor(event: Envelope): TopicDeclaration {
  const topic = ALL_TOPICS.find((t) => t.contracts.some((c) => c.type === event.type && c.version === event.version));
  if (!topic) {
    throw new UndeclaredTopicError(`no topic declared for ${event.type} v${event.version}`);
  }
  return topic;
}

/** Kafka headers of a published event: enough to route and trace without parsing the value. */
export function headersOf(event: Envelope): Record<string, string> {
  return {
    [EVENT_HEADERS.eventId.name]: event.eventId,
    [EVENT_HEADERS.type.name]: event.type,
    [EVENT_HEADERS.version.name]: String(event.version),
    [EVENT_HEADERS.correlationId.name]: event.correlationId,
    ...(event.causationId ? { [EVENT_HEADERS.causationId.name]: event.causationId } : {}),
  };
}
