import type { CheckName } from './finding-catalog';

/**
 * One set-based statement per check: each inserts its findings into the run's temporary
 * `dq_run_candidates` table (see findings.repository.ts). Parameters: the severity, then the cutoff
 * instant the check needs (evidence newer than it is still settling). Checks read only
 * data-quality's own projections, never another service's database.
 */
export interface CheckQuery {
  readonly sql: string;
  readonly params: (run: CheckParams) => unknown[];
}

/** What a run passes to its statements. */
export interface CheckParams {
  readonly severity: string;
  /** Instants before which each kind of evidence counts (run time minus the configured grace). */
  readonly cutoffs: { readonly unlinked: Date; readonly unprotected: Date; readonly staleMark: Date; readonly stuckSubmitted: Date };
}

const INSERT = `INSERT INTO dq_run_candidates
  (finding_type, severity, entity_key, account_id, symbol, order_id, position_id, execution_id, trade_id, detail)`;

const SIGNED_FILLS = `sum(CASE WHEN f.side = 'BUY' THEN f.filled_quantity ELSE -f.filled_quantity END)`;
const SIGNED_POSITION = `CASE WHEN p.status <> 'OPEN' THEN 0 WHEN p.side = 'SHORT' THEN -p.quantity ELSE p.quantity END`;

export const CHECK_QUERIES: Readonly<Record<Exclude<CheckName, 'BROKER_POSITIONS' | 'LINK_RATE_LOW'>, CheckQuery>> = {
  UNLINKED_FILLED_ORDER: {
    params: (r) => [r.severity, r.cutoffs.unlinked],
    sql: `${INSERT}
      SELECT 'UNLINKED_FILLED_ORDER', ?, 'order:' || f.order_id, f.account_id, f.symbol, f.order_id, NULL, NULL, o.trade_id,
        format('%s %s %s filled (first fill %s) and linked to no position', f.side, f.filled_quantity, f.symbol, f.first_filled_at)
      FROM dq_filled_orders f LEFT JOIN dq_orders o ON o.order_id = f.order_id
      WHERE NOT f.linked AND f.first_filled_at < ?`,
  },
  // Walks the distinct positions of the links by index (a skip scan: one probe per position, not
  // one row per order), then names the links of the few positions that do not exist.
  ORPHANED_POSITION_REFERENCE: {
    params: (r) => [r.severity, r.cutoffs.unlinked],
    sql: `${INSERT}
      WITH RECURSIVE linked_positions AS (
        (SELECT position_id FROM dq_order_links ORDER BY position_id LIMIT 1)
        UNION ALL
        SELECT (SELECT l.position_id FROM dq_order_links l WHERE l.position_id > lp.position_id ORDER BY l.position_id LIMIT 1)
        FROM linked_positions lp WHERE lp.position_id IS NOT NULL)
      SELECT 'ORPHANED_POSITION_REFERENCE', ?, 'link:' || l.order_id || ':' || l.position_id, o.account_id, o.symbol,
        l.order_id, l.position_id, NULL, o.trade_id,
        format('order %s is linked to position %s, which no position.updated describes', l.order_id, l.position_id)
      FROM linked_positions lp
      JOIN dq_order_links l ON l.position_id = lp.position_id
      LEFT JOIN dq_orders o ON o.order_id = l.order_id
      WHERE lp.position_id IS NOT NULL AND l.first_seen_at < ?
        AND NOT EXISTS (SELECT 1 FROM dq_positions p WHERE p.position_id = lp.position_id)`,
  },
  // Netted per account and instrument: a flip splits one fill across two positions, so the signed
  // sum of the linked fills equals the sum of the open positions, not each position on its own.
  // Linked fills = all fills minus the unlinked ones the previous check found (it runs first), so
  // the million fills are read once without a second join to the links; a pair with a fill or a
  // position change newer than the grace is skipped, which covers unlinked fills still settling.
  QUANTITY_MISMATCH: {
    params: (r) => [r.severity, r.cutoffs.unlinked],
    sql: `${INSERT}
      SELECT 'QUANTITY_MISMATCH', ?, 'account:' || account_id || ':' || symbol, account_id, symbol, NULL, pos.position_id, NULL, NULL,
        format('open positions net %s, linked fills net %s', COALESCE(pos.net, 0), COALESCE(fills.net, 0) - COALESCE(unlinked.net, 0))
      FROM (SELECT p.account_id, p.symbol, sum(${SIGNED_POSITION}) AS net, max(p.updated_at) AS last_at,
              (array_agg(p.position_id ORDER BY (p.status = 'OPEN') DESC, p.updated_at DESC))[1] AS position_id
            FROM dq_positions p GROUP BY p.account_id, p.symbol) pos
      FULL JOIN (SELECT f.account_id, f.symbol, max(f.last_filled_at) AS last_at, ${SIGNED_FILLS} AS net
            FROM dq_filled_orders f GROUP BY f.account_id, f.symbol) fills USING (account_id, symbol)
      LEFT JOIN (SELECT f.account_id, f.symbol, ${SIGNED_FILLS} AS net
            FROM dq_run_candidates c JOIN dq_filled_orders f ON f.order_id = c.order_id
            WHERE c.finding_type = 'UNLINKED_FILLED_ORDER' GROUP BY f.account_id, f.symbol) unlinked USING (account_id, symbol)
      WHERE COALESCE(pos.net, 0) <> COALESCE(fills.net, 0) - COALESCE(unlinked.net, 0)
        AND GREATEST(pos.last_at, fills.last_at) < ?`,
  },
  POSITION_WITHOUT_ORDERS: {
    params: (r) => [r.severity, r.cutoffs.unlinked],
    sql: `${INSERT}
      SELECT 'POSITION_WITHOUT_ORDERS', ?, 'position:' || p.position_id, p.account_id, p.symbol, NULL, p.position_id, NULL, p.trade_id,
        format('%s position of %s %s is linked to no order', p.status, p.quantity, p.symbol)
      FROM dq_positions p
      WHERE p.updated_at < ? AND NOT EXISTS (SELECT 1 FROM dq_order_links l WHERE l.position_id = p.position_id)`,
  },
  UNPROTECTED_POSITION: {
    params: (r) => [r.severity, r.cutoffs.unprotected],
    sql: `${INSERT}
      SELECT 'UNPROTECTED_POSITION', ?, 'position:' || p.position_id, p.account_id, p.symbol, NULL, p.position_id, NULL, p.trade_id,
        format('open %s position of %s %s since %s without an active stop-loss', p.side, p.quantity, p.symbol, p.opened_at)
      FROM dq_positions p
      WHERE p.status = 'OPEN' AND p.quantity > 0 AND COALESCE(p.opened_at, p.updated_at) < ?
        AND NOT EXISTS (SELECT 1 FROM dq_orders o
          WHERE o.account_id = p.account_id AND o.symbol = p.symbol AND o.purpose = 'STOP_LOSS'
            AND o.status IN ('SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED')
            AND o.side = CASE WHEN p.side = 'SHORT' THEN 'BUY' ELSE 'SELL' END
            AND (p.trade_id IS NULL OR o.trade_id = p.trade_id))`,
  },
  // Open until the account holds no position in the instrument opened before the alert.
  BOTH_EXITS_FILLED: {
    params: (r) => [r.severity],
    sql: `${INSERT}
      SELECT DISTINCT ON (a.trade_id) 'BOTH_EXITS_FILLED', ?, 'trade:' || a.trade_id, a.account_id, a.symbol, NULL, NULL, NULL, a.trade_id,
        format('both exits of trade %s filled (alert at %s); an open position remains', a.trade_id, a.occurred_at)
      FROM dq_trade_alerts a
      WHERE a.alert_code = 'BOTH_EXITS_FILLED'
        AND EXISTS (SELECT 1 FROM dq_positions p WHERE p.account_id = a.account_id AND p.symbol = a.symbol
          AND p.status = 'OPEN' AND COALESCE(p.opened_at, p.updated_at) <= a.occurred_at)
      ORDER BY a.trade_id, a.occurred_at`,
  },
  STALE_MARK: {
    params: (r) => [r.severity, r.cutoffs.staleMark],
    sql: `${INSERT}
      SELECT 'STALE_MARK', ?, 'position:' || p.position_id, p.account_id, p.symbol, NULL, p.position_id, NULL, p.trade_id,
        format('open position last marked %s at %s', COALESCE(p.mark_price::text, 'never'), COALESCE(p.marked_at::text, 'never'))
      FROM dq_positions p
      WHERE p.status = 'OPEN' AND COALESCE(p.marked_at, p.opened_at, p.updated_at) < ?`,
  },
  ORDER_STUCK_SUBMITTED: {
    params: (r) => [r.severity, r.cutoffs.stuckSubmitted],
    sql: `${INSERT}
      SELECT 'ORDER_STUCK_SUBMITTED', ?, 'order:' || o.order_id, o.account_id, o.symbol, o.order_id, NULL, NULL, o.trade_id,
        format('%s %s %s %s submitted at %s and not accepted, filled or ended since', o.purpose, o.side, o.quantity, o.symbol, o.submitted_at)
      FROM dq_orders o WHERE o.status = 'SUBMITTED' AND o.submitted_at < ?`,
  },
  // Detected while projecting (projection.service.ts), so the check reads only the duplicates.
  DUPLICATE_EXECUTION_ID: {
    params: (r) => [r.severity],
    sql: `${INSERT}
      SELECT 'DUPLICATE_EXECUTION_ID', ?, d.entity_key, COALESCE(o.account_id, p.account_id), COALESCE(o.symbol, p.symbol),
        d.order_id, d.position_id, d.execution_id, COALESCE(o.trade_id, p.trade_id),
        CASE WHEN d.position_id IS NULL THEN format('execution %s reported as %s different fills', d.execution_id, d.occurrences)
          ELSE format('execution %s applied to position %s in %s revisions', d.execution_id, d.position_id, d.occurrences) END
      FROM dq_duplicate_executions d
      LEFT JOIN dq_orders o ON o.order_id = d.order_id
      LEFT JOIN dq_positions p ON p.position_id = d.position_id`,
  },
};

/** Safety net before a run, in its own transaction: a link whose flag was missed is repaired (reads only unlinked rows). */
export const REPAIR_LINKED_SQL = `UPDATE dq_filled_orders f SET linked = true
  WHERE NOT f.linked AND EXISTS (SELECT 1 FROM dq_order_links l WHERE l.order_id = f.order_id)`;

/** Seed 001's first two figures: filled orders and those unlinked past the grace, in one pass. */
export const FIGURES_SQL = `SELECT count(*)::int AS filled,
    (SELECT count(*)::int FROM dq_run_candidates WHERE finding_type = 'UNLINKED_FILLED_ORDER') AS unlinked
  FROM dq_filled_orders`;

/** Net signed quantity of the open positions per symbol, all accounts together (the broker account's view). */
export const PLATFORM_NET_BY_SYMBOL_SQL = `SELECT p.symbol, sum(${SIGNED_POSITION})::text AS net
  FROM dq_positions p WHERE p.status = 'OPEN' GROUP BY p.symbol`;
