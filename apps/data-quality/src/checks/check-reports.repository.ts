import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** How many findings a report lists at most; the counts always cover all of them. */
export const REPORT_LIMIT = 200;

/** Read side of runs and findings for the HTTP API. */
@Injectable()
export class CheckReportsRepository {
  constructor(private readonly orm: MikroORM) {}

  async run(runId: string): Promise<Record<string, unknown> | null> {
    const conn = this.orm.em.fork().getConnection();
    const [run] = await conn.execute<Record<string, unknown>[]>(
      `SELECT run_id AS "runId", trigger, full_check AS "fullCheck", daily_date::text AS "dailyDate", started_at AS "startedAt",
         finished_at AS "finishedAt", duration_ms AS "durationMs", checks, figures, opened, resolved, open_findings AS "openFindings"
       FROM dq_check_runs WHERE run_id = ?`,
      [runId],
    );
    if (!run) return null;
    const findings = await conn.execute<Record<string, unknown>[]>(
      `SELECT f.finding_id AS "findingId", f.finding_type AS "findingType", f.severity, r.transition, f.entity_key AS "entityKey",
         f.account_id AS "accountId", f.symbol, f.order_id AS "orderId", f.position_id AS "positionId",
         f.execution_id AS "executionId", f.trade_id AS "tradeId", f.detail, f.first_seen_at AS "firstSeenAt",
         f.last_seen_at AS "lastSeenAt", f.resolved_at AS "resolvedAt"
       FROM dq_run_findings r JOIN dq_findings f ON f.finding_id = r.finding_id
       WHERE r.run_id = ?
       ORDER BY array_position(ARRAY['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'], f.severity), f.first_seen_at LIMIT ?`,
      [runId, REPORT_LIMIT],
    );
    const fixes = await conn.execute<Record<string, unknown>[]>(
      `SELECT request_id AS "requestId", finding_id AS "findingId", rule, action, order_id AS "orderId", position_id AS "positionId",
         reason, requested_at AS "requestedAt" FROM dq_autofix_audit WHERE run_id = ? ORDER BY requested_at LIMIT ?`,
      [runId, REPORT_LIMIT],
    );
    return { ...run, findings, autofixes: fixes };
  }

  /** Open CRITICAL and HIGH findings: counts by type, the oldest first, and the last completed run. */
  async highPrioritySummary(): Promise<Record<string, unknown>> {
    const conn = this.orm.em.fork().getConnection();
    const counts = await conn.execute<{ findingType: string; severity: string; open: number }[]>(
      `SELECT finding_type AS "findingType", severity, count(*)::int AS open FROM dq_findings
       WHERE resolved_at IS NULL AND severity IN ('CRITICAL', 'HIGH') GROUP BY finding_type, severity ORDER BY severity, finding_type`,
    );
    const findings = await conn.execute<Record<string, unknown>[]>(
      `SELECT finding_id AS "findingId", finding_type AS "findingType", severity, entity_key AS "entityKey", account_id AS "accountId",
         symbol, order_id AS "orderId", position_id AS "positionId", trade_id AS "tradeId", detail,
         first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
       FROM dq_findings WHERE resolved_at IS NULL AND severity IN ('CRITICAL', 'HIGH')
       ORDER BY array_position(ARRAY['CRITICAL', 'HIGH'], severity), first_seen_at LIMIT ?`,
      [REPORT_LIMIT],
    );
    const [lastRun] = await conn.execute<Record<string, unknown>[]>(
      `SELECT run_id AS "runId", trigger, full_check AS "fullCheck", finished_at AS "finishedAt", open_findings AS "openFindings"
       FROM dq_check_runs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1`,
    );
    const total = counts.reduce((n, c) => n + c.open, 0);
    return { openHighPriority: total, byType: counts, findings, lastRun: lastRun ?? null };
  }
}
