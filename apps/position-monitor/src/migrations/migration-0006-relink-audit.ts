import { Migration } from '@mikro-orm/migrations';

/**
 * `position_relinks`: the audit of every `position.relink-requested` executed, one row per command
 * event, written in the transaction that links (or refuses): what was asked (order, executions,
 * position), by which rule and why (data-quality's reason and finding), and the outcome with its
 * detail. `applied` lists each execution linked and where its fill came from (HELD: refused earlier
 * and kept in `unapplied_fills`; CARRIED: from the command, a fill never received).
 */
export class Migration0006RelinkAudit extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE position_relinks (
      event_id uuid PRIMARY KEY,
      request_id uuid NOT NULL,
      finding_id uuid NOT NULL,
      rule text NOT NULL,
      reason text NOT NULL,
      account_id text NOT NULL,
      owner_id text NOT NULL,
      symbol text NOT NULL,
      order_id uuid NOT NULL,
      position_id uuid NOT NULL,
      execution_ids text[] NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('LINKED', 'ALREADY_LINKED', 'REFUSED_UNKNOWN_POSITION', 'REFUSED_POSITION_MISMATCH',
        'REFUSED_OWNER_MISMATCH', 'REFUSED_POSITION_NOT_OPEN', 'REFUSED_LINKED_ELSEWHERE', 'REFUSED_FILL_UNKNOWN', 'REFUSED_BY_ACCOUNTING')),
      detail text,
      applied jsonb NOT NULL DEFAULT '[]',
      requested_at timestamptz NOT NULL,
      processed_at timestamptz NOT NULL)`);
    this.addSql(`CREATE INDEX position_relinks_order_idx ON position_relinks (order_id)`);
  }
}
