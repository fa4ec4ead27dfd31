import type { FindingSeverity, FindingType } from '@tlp/contracts';
import type { SqlExecutor } from '@tlp/messaging';
import type { FindingCandidate } from './broker-drift';

/** A finding that opened or resolved in a run: what `dq.finding` publishes. */
export interface FindingTransition {
  readonly findingId: string;
  readonly findingType: FindingType;
  readonly severity: FindingSeverity;
  readonly transition: 'OPENED' | 'RESOLVED';
  readonly entityKey: string;
  readonly accountId: string | null;
  readonly symbol: string | null;
  readonly orderId: string | null;
  readonly positionId: string | null;
  readonly executionId: string | null;
  readonly tradeId: string | null;
  readonly detail: string;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  readonly resolvedAt: Date | null;
}

const CANDIDATE_COLUMNS = `finding_type text, severity text, entity_key text, account_id text, symbol text,
  order_id uuid, position_id uuid, execution_id text, trade_id uuid, detail text`;

/** The run's scratch table; dropped at commit. */
export async function createCandidatesTable(sql: SqlExecutor): Promise<void> {
  await sql.query(`CREATE TEMPORARY TABLE dq_run_candidates (${CANDIDATE_COLUMNS}) ON COMMIT DROP`);
}

/** Findings computed in the service (link rate, broker) join the set-based ones. */
export async function insertCandidates(sql: SqlExecutor, candidates: readonly FindingCandidate[]): Promise<void> {
  if (candidates.length === 0) return;
  await sql.query(`INSERT INTO dq_run_candidates SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(${CANDIDATE_COLUMNS})`, [JSON.stringify(candidates)]);
}

/**
 * Folds the run's candidates into `dq_findings`: new or reopened ones are OPENED, open ones SEEN
 * (last seen moves), and open findings of the checked types the run no longer sees are RESOLVED.
 * Every transition is recorded in `dq_run_findings`. Returns the counts.
 */
export async function recordFindings(
  sql: SqlExecutor,
  runId: string,
  now: Date,
  checkedTypes: readonly FindingType[],
): Promise<{ opened: number; resolved: number; open: number }> {
  await sql.query(`CREATE TEMPORARY TABLE dq_run_seen ON COMMIT DROP AS
    SELECT DISTINCT ON (finding_type, entity_key) dq_finding_id(finding_type, entity_key) AS finding_id, *
    FROM dq_run_candidates ORDER BY finding_type, entity_key`);
  await sql.query(`ALTER TABLE dq_run_seen ADD PRIMARY KEY (finding_id)`);
  await sql.query(
    `INSERT INTO dq_run_findings (run_id, finding_id, transition)
     SELECT ?, s.finding_id, CASE WHEN f.finding_id IS NOT NULL AND f.resolved_at IS NULL THEN 'SEEN' ELSE 'OPENED' END
     FROM dq_run_seen s LEFT JOIN dq_findings f ON f.finding_id = s.finding_id`,
    [runId],
  );
  await sql.query(
    `INSERT INTO dq_findings (finding_id, finding_type, severity, entity_key, account_id, symbol, order_id, position_id,
       execution_id, trade_id, detail, first_seen_at, last_seen_at, resolved_at, first_run_id, last_run_id)
     SELECT finding_id, finding_type, severity, entity_key, account_id, symbol, order_id, position_id,
       execution_id, trade_id, detail, ?, ?, NULL, ?, ? FROM dq_run_seen
     ON CONFLICT (finding_id) DO UPDATE SET severity = EXCLUDED.severity, detail = EXCLUDED.detail,
       account_id = EXCLUDED.account_id, symbol = EXCLUDED.symbol, order_id = EXCLUDED.order_id,
       position_id = EXCLUDED.position_id, execution_id = EXCLUDED.execution_id, trade_id = EXCLUDED.trade_id,
       last_seen_at = EXCLUDED.last_seen_at, last_run_id = EXCLUDED.last_run_id,
       first_seen_at = CASE WHEN dq_findings.resolved_at IS NULL THEN dq_findings.first_seen_at ELSE EXCLUDED.first_seen_at END,
       first_run_id = CASE WHEN dq_findings.resolved_at IS NULL THEN dq_findings.first_run_id ELSE EXCLUDED.first_run_id END,
       resolved_at = NULL`,
    [now, now, runId, runId],
  );
  await sql.query(
    `WITH resolved AS (
       UPDATE dq_findings f SET resolved_at = ?, last_run_id = ?
       WHERE f.resolved_at IS NULL AND f.finding_type = ANY (?::text[])
         AND NOT EXISTS (SELECT 1 FROM dq_run_seen s WHERE s.finding_id = f.finding_id)
       RETURNING f.finding_id)
     INSERT INTO dq_run_findings (run_id, finding_id, transition) SELECT ?, finding_id, 'RESOLVED' FROM resolved`,
    [now, runId, `{${checkedTypes.join(',')}}`, runId],
  );
  const [counts] = await sql.query<{ opened: number; resolved: number; open: number }>(
    `SELECT count(*) FILTER (WHERE transition = 'OPENED')::int AS opened,
            count(*) FILTER (WHERE transition = 'RESOLVED')::int AS resolved,
            count(*) FILTER (WHERE transition <> 'RESOLVED')::int AS open
     FROM dq_run_findings WHERE run_id = ?`,
    [runId],
  );
  return counts ?? { opened: 0, resolved: 0, open: 0 };
}

interface TransitionRow {
  finding_id: string;
  finding_type: FindingType;
  severity: FindingSeverity;
  transition: 'OPENED' | 'RESOLVED';
  entity_key: string;
  account_id: string | null;
  symbol: string | null;
  order_id: string | null;
  position_id: string | null;
  execution_id: string | null;
  trade_id: string | null;
  detail: string;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

/** The run's OPENED and RESOLVED findings, to publish; SEEN ones changed nothing another team needs. */
export async function transitionsOf(sql: SqlExecutor, runId: string): Promise<FindingTransition[]> {
  const rows = await sql.query<TransitionRow>(
    `SELECT f.finding_id, f.finding_type, f.severity, r.transition, f.entity_key, f.account_id, f.symbol, f.order_id,
       f.position_id, f.execution_id, f.trade_id, f.detail, f.first_seen_at, f.last_seen_at, f.resolved_at
     FROM dq_run_findings r JOIN dq_findings f ON f.finding_id = r.finding_id
     WHERE r.run_id = ? AND r.transition <> 'SEEN' ORDER BY f.finding_type, f.entity_key`,
    [runId],
  );
  return rows.map((r) => ({
    findingId: r.finding_id,
    findingType: r.finding_type,
    severity: r.severity,
    transition: r.transition,
    entityKey: r.entity_key,
    accountId: r.account_id,
    symbol: r.symbol,
    orderId: r.order_id,
    positionId: r.position_id,
    executionId: r.execution_id,
    tradeId: r.trade_id,
    detail: r.detail,
    firstSeenAt: new Date(r.first_seen_at),
    lastSeenAt: new Date(r.last_seen_at),
    resolvedAt: r.resolved_at && new Date(r.resolved_at),
  }));
}
