import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionToLink } from './relink';

export interface RelinkAuditRow {
  readonly eventId: string;
  readonly requestId: string;
  readonly findingId: string;
  readonly rule: string;
  readonly reason: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly symbol: string;
  readonly orderId: string;
  readonly positionId: string;
  readonly executionIds: readonly string[];
  readonly outcome: string;
  readonly detail: string | null;
  readonly applied: readonly ExecutionToLink[];
  readonly requestedAt: Date;
  readonly processedAt: Date;
}

/** One audit row per executed command event, in the transaction of its outcome (see migration 0006). */
export async function auditRelink(em: EntityManager, row: RelinkAuditRow): Promise<void> {
  await em.execute(
    `INSERT INTO position_relinks (event_id, request_id, finding_id, rule, reason, account_id, owner_id, symbol, order_id, position_id,
       execution_ids, outcome, detail, applied, requested_at, processed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?::jsonb, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
    [
      row.eventId, row.requestId, row.findingId, row.rule, row.reason, row.accountId, row.ownerId, row.symbol, row.orderId, row.positionId,
      `{${row.executionIds.map((id) => `"${id.replace(/["\\]/g, '\\$&')}"`).join(',')}}`, row.outcome, row.detail?.slice(0, 1000) ?? null,
      JSON.stringify(row.applied), row.requestedAt, row.processedAt,
    ],
  );
}
