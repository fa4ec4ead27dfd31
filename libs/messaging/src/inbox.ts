import type { SqlExecutor } from './sql-executor';

export type InboxClaim = 'CLAIMED' | 'ALREADY_PROCESSED';

export interface InboxEntry {
  readonly consumer: string;
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Claims an event for a consumer inside the caller's transaction. `CLAIMED` means this transaction
 * is the first to process it; if the transaction rolls back, so does the claim. `ALREADY_PROCESSED`
 * means an earlier transaction committed it: the caller must change nothing.
 */
export async function claimInbox(sql: SqlExecutor, entry: InboxEntry): Promise<InboxClaim> {
  const rows = await sql.query(
    `INSERT INTO messaging_inbox (consumer, event_id, topic, kafka_partition, kafka_offset)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
    [entry.consumer, entry.eventId, entry.topic, entry.partition, entry.offset],
  );
  return rows.length === 1 ? 'CLAIMED' : 'ALREADY_PROCESSED';
}
