import type { SqlExecutor } from '@tlp/messaging';
import type { CheckScope, RunTrigger } from './finding-catalog';

/**
 * One check run at a time across replicas: a transaction-scoped advisory lock, released at commit
 * or rollback (a crashed run leaves nothing to clean up).
 */
export async function tryLockRuns(sql: SqlExecutor): Promise<boolean> {
  const [row] = await sql.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('data-quality.check-run')) AS locked`);
  return row?.locked === true;
}

/**
 * A run reads every filled order once per check: with the server's default work_mem (4 MB) its hash
 * joins spill to disk. The setting lasts only for the run's transaction.
 */
export async function sizeMemoryForRun(sql: SqlExecutor): Promise<void> {
  await sql.query(`SET LOCAL work_mem = '64MB'`);
}

/** True when a daily run of this New York date has already committed (on any replica). */
export async function dailyRunExists(sql: SqlExecutor, nyDate: string): Promise<boolean> {
  const rows = await sql.query('SELECT 1 FROM dq_check_runs WHERE daily_date = ?::date', [nyDate]);
  return rows.length > 0;
}

export interface RunStart {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly scope: CheckScope;
  readonly dailyDate: string | null;
  readonly startedAt: Date;
  readonly checks: readonly string[];
}

export async function insertRun(sql: SqlExecutor, r: RunStart): Promise<void> {
  await sql.query(
    `INSERT INTO dq_check_runs (run_id, trigger, full_check, daily_date, started_at, checks) VALUES (?, ?, ?, ?::date, ?, ?::text[])`,
    [r.runId, r.trigger, r.scope === 'FULL', r.dailyDate, r.startedAt, `{${r.checks.join(',')}}`],
  );
}

export interface RunOutcome {
  readonly finishedAt: Date;
  readonly durationMs: number;
  readonly figures: Record<string, unknown>;
  readonly opened: number;
  readonly resolved: number;
  readonly open: number;
}

export async function finishRun(sql: SqlExecutor, runId: string, o: RunOutcome): Promise<void> {
  await sql.query(
    `UPDATE dq_check_runs SET finished_at = ?, duration_ms = ?, figures = ?::jsonb, opened = ?, resolved = ?, open_findings = ? WHERE run_id = ?`,
    [o.finishedAt, Math.round(o.durationMs), JSON.stringify(o.figures), o.opened, o.resolved, o.open, runId],
  );
}
