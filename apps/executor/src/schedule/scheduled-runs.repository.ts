import type { SqlExecutor } from '@tlp/messaging';

/** One daily run as recorded in `scheduled_runs`. */
export interface ScheduledRun {
  /** `YYYY-MM-DD`, the New York trading date. */
  readonly runDate: string;
  readonly startedAt: Date;
  /** Null while the run is under way, or after a crash until a later check finishes it. */
  readonly finishedAt: Date | null;
  /** Orders the run screened and sent for submission. */
  readonly ordersSubmitted: number;
}

interface RunRow {
  run_date: string;
  started_at: Date;
  finished_at: Date | null;
  orders_submitted: number;
}

/**
 * Claims the run of a date: the primary key lets exactly one insert succeed across replicas, and
 * only the replica that inserted runs it.
 */
export async function claimRun(sql: SqlExecutor, runDate: string, now: Date): Promise<'CLAIMED' | 'ALREADY_CLAIMED'> {
  const rows = await sql.query('INSERT INTO scheduled_runs (run_date, started_at) VALUES (?, ?) ON CONFLICT (run_date) DO NOTHING RETURNING run_date', [runDate, now]);
  return rows.length === 1 ? 'CLAIMED' : 'ALREADY_CLAIMED';
}

export async function findRun(sql: SqlExecutor, runDate: string): Promise<ScheduledRun | null> {
  const [row] = await sql.query<RunRow>('SELECT run_date::text, started_at, finished_at, orders_submitted FROM scheduled_runs WHERE run_date = ?', [runDate]);
  return row ? { runDate: row.run_date, startedAt: new Date(row.started_at), finishedAt: row.finished_at && new Date(row.finished_at), ordersSubmitted: row.orders_submitted } : null;
}

/** Counted in the transaction that moves the order to PENDING, so a resumed run keeps an exact count. */
export async function countSubmitted(sql: SqlExecutor, runDate: string): Promise<void> {
  await sql.query('UPDATE scheduled_runs SET orders_submitted = orders_submitted + 1 WHERE run_date = ?', [runDate]);
}

export async function finishRun(sql: SqlExecutor, runDate: string, now: Date): Promise<void> {
  await sql.query('UPDATE scheduled_runs SET finished_at = ? WHERE run_date = ? AND finished_at IS NULL', [now, runDate]);
}
