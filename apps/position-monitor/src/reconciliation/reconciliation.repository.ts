import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { deterministicId } from '@tlp/service-runtime';
import type { Decimal } from 'decimal.js';
import { decimalString } from '../positions/position-mapping';

export type FindingKind = 'BROKER_QUERY_FAILED' | 'UNKNOWN_AT_PLATFORM' | 'QUANTITY_ADJUSTED' | 'MANUAL_EXIT' | 'AMBIGUOUS_DIFFERENCE';

export interface Finding {
  readonly runId: string;
  readonly accountId: string;
  readonly symbol: string | null;
  readonly kind: FindingKind;
  readonly brokerQuantity: Decimal | null;
  readonly platformQuantity: Decimal | null;
  readonly positionId: string | null;
  readonly detail: string;
  readonly at: Date;
}

/** `reconciliation_findings`: what each run found, one row per finding (id from the run, symbol and kind). */
@Injectable()
export class ReconciliationRepository {
  constructor(private readonly orm: MikroORM) {}

  async store(finding: Finding): Promise<void> {
    const findingId = deterministicId('position-monitor.reconciliation-finding', finding.runId, finding.symbol ?? '', finding.kind, finding.positionId ?? '');
    await this.orm.em.fork().execute(
      `INSERT INTO reconciliation_findings (finding_id, run_id, account_id, symbol, kind, broker_quantity, platform_quantity, position_id, detail, found_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        findingId,
        finding.runId,
        finding.accountId,
        finding.symbol,
        finding.kind,
        finding.brokerQuantity === null ? null : decimalString(finding.brokerQuantity),
        finding.platformQuantity === null ? null : decimalString(finding.platformQuantity),
        finding.positionId,
        finding.detail.slice(0, 1000),
        finding.at,
      ],
    );
  }
}
