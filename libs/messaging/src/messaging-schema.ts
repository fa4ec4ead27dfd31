/**
 * Tables the messaging library owns inside each service's database. Every service's first migration
 * runs `messagingSchemaSql()`; later changes to these tables ship as new statements here and a new
 * migration in each service (expand, then contract).
 *
 * Invariants: an inbox row exists for (consumer, event id) iff the handler's transaction committed;
 * an outbox row is published at least once, in `id` order per key, and marked `published_at` after
 * the broker acknowledged it.
 */
export function messagingSchemaSql(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS messaging_inbox (
       consumer text NOT NULL,
       event_id uuid NOT NULL,
       topic text NOT NULL,
       kafka_partition integer NOT NULL,
       kafka_offset bigint NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer, event_id))`,
    `CREATE TABLE IF NOT EXISTS messaging_outbox (
       id bigserial PRIMARY KEY,
       event_id uuid NOT NULL UNIQUE,
       topic text NOT NULL,
       message_key text NOT NULL,
       event_type text NOT NULL,
       event_version integer NOT NULL,
       payload text NOT NULL,
       headers jsonb NOT NULL DEFAULT '{}'::jsonb,
       tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz)`,
    `CREATE INDEX IF NOT EXISTS messaging_outbox_unpublished_idx ON messaging_outbox (id) WHERE published_at IS NULL`,
    `CREATE INDEX IF NOT EXISTS messaging_outbox_published_at_idx ON messaging_outbox (published_at) WHERE published_at IS NOT NULL`,
  ];
}
