import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { FindingType, type FindingSeverity } from '@tlp/contracts';
import { jobMetrics, METRICS_REGISTRY, type JobMetrics } from '@tlp/service-runtime';
import { Counter, Gauge, type Registry } from 'prom-client';
import { SEVERITY } from './finding-catalog';
import { RELINK_RULE } from './relink-rule';

type OpenCounts = Map<FindingType, number>;
export type CheckJob = 'data_quality_checks' | 'data_quality_daily_reconciliation';

/**
 * The findings as Prometheus sees them. Open-finding gauges are read from `dq_findings` when
 * scraped (one query for all), so every replica reports the same figures whichever ran the check.
 * Run duration and last success are the shared periodic-job metrics (`tlp_job_*{job=...}`).
 */
@Injectable()
export class CheckMetrics {
  private readonly jobs: JobMetrics;
  private readonly relinks: Counter<'rule'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, private readonly orm: MikroORM) {
    this.jobs = jobMetrics(registry);
    this.jobs.declare('data_quality_checks');
    this.jobs.declare('data_quality_daily_reconciliation');
    this.relinks = new Counter({
      name: 'tlp_dq_autofix_requests_total',
      help: 'Relink commands requested by data-quality auto-fix, by rule.',
      labelNames: ['rule'] as const,
      registers: [registry],
    });
    this.relinks.inc({ rule: RELINK_RULE }, 0);
    let pending: Promise<OpenCounts> | null = null;
    const counts = (): Promise<OpenCounts> => {
      pending ??= this.openCounts().finally(() => setImmediate(() => (pending = null)));
      return pending;
    };
    new Gauge({
      name: 'tlp_dq_open_findings',
      help: 'Open data-quality findings, by finding type and severity.',
      labelNames: ['finding_type', 'severity'] as const,
      registers: [registry],
      async collect() {
        const open = await counts();
        for (const type of FindingType.options) this.set({ finding_type: type, severity: SEVERITY[type] }, open.get(type) ?? 0);
      },
    });
    new Gauge({
      name: 'tlp_dq_orphaned_position_references',
      help: 'Orders linked to a position data-quality has never seen described (open findings).',
      registers: [registry],
      async collect() {
        this.set((await counts()).get('ORPHANED_POSITION_REFERENCE') ?? 0);
      },
    });
    new Gauge({
      name: 'tlp_dq_quantity_mismatches',
      help: 'Account and instrument pairs whose open position quantity differs from the signed sum of linked fills (open findings).',
      registers: [registry],
      async collect() {
        this.set((await counts()).get('QUANTITY_MISMATCH') ?? 0);
      },
    });
  }

  /** A run that completed; a run skipped (busy, already done) is neither success nor failure. */
  succeeded(job: CheckJob, seconds: number): void {
    this.jobs.succeeded(job, seconds);
  }

  failed(job: CheckJob, seconds: number): void {
    this.jobs.failed(job, seconds);
  }

  relinksRequested(count: number): void {
    if (count > 0) this.relinks.inc({ rule: RELINK_RULE }, count);
  }

  private async openCounts(): Promise<OpenCounts> {
    const rows = await this.orm.em.fork().getConnection().execute<{ finding_type: FindingType; severity: FindingSeverity; n: number }[]>(
      `SELECT finding_type, severity, count(*)::int AS n FROM dq_findings WHERE resolved_at IS NULL GROUP BY finding_type, severity`,
    );
    const open: OpenCounts = new Map();
    for (const r of rows) open.set(r.finding_type, (open.get(r.finding_type) ?? 0) + r.n);
    return open;
  }
}
