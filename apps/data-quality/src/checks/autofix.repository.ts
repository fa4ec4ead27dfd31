import type { Instrument, RelinkFill } from '@tlp/contracts';
import type { SqlExecutor } from '@tlp/messaging';
import type { RelinkCandidate } from './relink-rule';

/** At most this many relinks per run: a flood of unlinked orders is an incident for a person, not a batch job. */
export const MAX_RELINKS_PER_RUN = 500;

interface CandidateRow {
  finding_id: string;
  order_id: string;
  account_id: string;
  owner_id: string;
  symbol: string;
  asset_class: Instrument['assetClass'];
  multiplier: string;
  side: string;
  filled_quantity: string;
  first_filled_at: Date;
  execution_ids: string[] | null;
  fills: FillRow[] | null;
  position_id: string | null;
  candidate_count: number;
  trade_id: string | null;
  purpose: RelinkFill['purpose'];
}

interface FillRow {
  execution_id: string;
  quantity: string;
  price: string | null;
  average_price: string | null;
  fee: string | null;
  filled_at: string | null;
}

/**
 * Open UNLINKED_FILLED_ORDER findings with the positions that could hold them: same account, owner
 * and instrument, open at the first fill. Excludes a (finding, position) pair already requested.
 */
export async function relinkCandidates(sql: SqlExecutor): Promise<RelinkCandidate[]> {
  const rows = await sql.query<CandidateRow>(
    `SELECT f.finding_id, f.order_id, o.account_id, o.owner_id, o.symbol, o.asset_class, o.multiplier::text, fo.side,
       fo.filled_quantity::text, fo.first_filled_at, c.position_id, c.candidate_count,
       (SELECT array_agg(x.execution_id ORDER BY x.cumulative_quantity) FROM dq_fills x WHERE x.order_id = f.order_id) AS execution_ids,
       (SELECT json_agg(json_build_object('execution_id', x.execution_id, 'quantity', x.last_quantity::text, 'price', x.last_price::text,
          'average_price', x.average_price::text, 'fee', x.fee::text, 'filled_at', to_char(x.filled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
          ORDER BY x.cumulative_quantity) FROM dq_fills x WHERE x.order_id = f.order_id) AS fills, o.trade_id::text, o.purpose
     FROM dq_findings f
     JOIN dq_orders o ON o.order_id = f.order_id
     JOIN dq_filled_orders fo ON fo.order_id = f.order_id
     CROSS JOIN LATERAL (
       SELECT min(p.position_id::text)::uuid AS position_id, count(*)::int AS candidate_count FROM dq_positions p
       WHERE p.account_id = o.account_id AND p.owner_id = o.owner_id AND p.symbol = o.symbol
         AND p.opened_at <= fo.first_filled_at AND (p.closed_at IS NULL OR p.closed_at >= fo.first_filled_at)) c
     WHERE f.finding_type = 'UNLINKED_FILLED_ORDER' AND f.resolved_at IS NULL AND c.candidate_count = 1
       AND NOT EXISTS (SELECT 1 FROM dq_autofix_audit a WHERE a.finding_id = f.finding_id AND a.position_id = c.position_id)
     ORDER BY fo.first_filled_at LIMIT ?`,
    [MAX_RELINKS_PER_RUN],
  );
  return rows.map((r) => ({
    findingId: r.finding_id,
    orderId: r.order_id,
    accountId: r.account_id,
    ownerId: r.owner_id,
    instrument: { symbol: r.symbol, assetClass: r.asset_class, multiplier: r.multiplier },
    side: r.side,
    filledQuantity: r.filled_quantity,
    firstFilledAt: new Date(r.first_filled_at),
    executionIds: r.execution_ids ?? [],
    positionId: r.position_id ?? '',
    candidateCount: r.candidate_count,
    fills: fillsOf(r),
  }));
}

/** The fills to carry, or null when any lacks its figures (projected before they were kept) or the order its trade. */
function fillsOf(r: CandidateRow): RelinkFill[] | null {
  const rows = r.fills ?? [];
  if (rows.length === 0 || r.trade_id === null) return null;
  const fills: RelinkFill[] = [];
  for (const x of rows) {
    if (x.price === null || x.average_price === null || x.fee === null || x.filled_at === null) return null;
    fills.push({
      executionId: x.execution_id, tradeId: r.trade_id, purpose: r.purpose, side: r.side as RelinkFill['side'],
      quantity: x.quantity, price: x.price, averagePrice: x.average_price, fee: x.fee, filledAt: x.filled_at,
    });
  }
  return fills;
}

export interface AutofixAudit {
  readonly requestId: string;
  readonly findingId: string;
  readonly runId: string;
  readonly rule: string;
  readonly orderId: string;
  readonly positionId: string;
  readonly accountId: string;
  readonly symbol: string;
  readonly reason: string;
  readonly requestedAt: Date;
  readonly eventId: string;
}

/** Records the fix; false when this (finding, position) was already requested (then nothing is sent). */
export async function auditFix(sql: SqlExecutor, a: AutofixAudit): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO dq_autofix_audit (request_id, finding_id, run_id, rule, action, order_id, position_id, account_id, symbol,
       reason, requested_at, event_id)
     VALUES (?, ?, ?, ?, 'RELINK_REQUESTED', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING request_id`,
    [a.requestId, a.findingId, a.runId, a.rule, a.orderId, a.positionId, a.accountId, a.symbol, a.reason, a.requestedAt, a.eventId],
  );
  return rows.length === 1;
}
