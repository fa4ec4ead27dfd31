import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY, jobMetrics, type JobMetrics } from '@tlp/service-runtime';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Position-monitor figures: lifecycle refusals, valuation skips, reconciliation findings, relinks. */
@Injectable()
export class PositionMonitorMetrics {
  private readonly lifecycleRefused: Counter<'event' | 'code'>;
  private readonly valuations: Counter<'outcome'>;
  private readonly valuationSkipped: Counter<'reason'>;
  private readonly reconciliations: Counter<'outcome'>;
  private readonly findings: Counter<'kind'>;
  private readonly unknownAtPlatform: Gauge;
  private readonly relinks: Counter<'outcome'>;
  private readonly jobs: JobMetrics;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.lifecycleRefused = new Counter({
      name: 'tlp_position_lifecycle_refused_total',
      help: 'Lifecycle events the position state machine refused (stale, terminal, entry already filled), by event and code.',
      labelNames: ['event', 'code'],
      registers,
    });
    this.valuations = new Counter({ name: 'tlp_position_valuations_total', help: 'Valuation passes, by outcome (DONE, BROKER_FAILED, SKIPPED_CLOSED_MARKET).', labelNames: ['outcome'], registers });
    this.valuationSkipped = new Counter({
      name: 'tlp_position_valuation_skipped_total',
      help: 'Open positions a valuation pass could not value, by reason (NO_QUOTE).',
      labelNames: ['reason'],
      registers,
    });
    this.reconciliations = new Counter({
      name: 'tlp_position_reconciliations_total',
      help: 'Reconciliation runs with the broker, by outcome (RECONCILED, UNKNOWN when the broker query failed).',
      labelNames: ['outcome'],
      registers,
    });
    this.findings = new Counter({
      name: 'tlp_position_reconciliation_findings_total',
      help: 'Reconciliation findings, by kind (MANUAL_EXIT, QUANTITY_ADJUSTED, UNKNOWN_AT_PLATFORM, AMBIGUOUS_DIFFERENCE).',
      labelNames: ['kind'],
      registers,
    });
    this.unknownAtPlatform = new Gauge({
      name: 'tlp_position_unknown_at_platform',
      help: 'Symbols the broker holds that the platform has no open position in, at the last successful reconciliation.',
      registers,
    });
    this.relinks = new Counter({
      name: 'tlp_position_relinks_total',
      help: 'position.relink-requested commands, by outcome (LINKED, ALREADY_LINKED, REFUSED_*).',
      labelNames: ['outcome'],
      registers,
    });
    this.jobs = jobMetrics(registry);
    this.jobs.declare('position_reconciliation');
    this.jobs.declare('position_valuation');
  }

  /** One reconciliation run as the periodic job `position_reconciliation`; an UNKNOWN result is a failure. */
  trackReconciliation<T extends { readonly kind: string }>(work: () => Promise<T>): Promise<T> {
    return this.jobs.track('position_reconciliation', work, (run) => run.kind !== 'UNKNOWN');
  }

  /** One valuation pass as the periodic job `position_valuation`; null (no quotes) is a failure. */
  trackValuation<T>(work: () => Promise<T | null>): Promise<T | null> {
    return this.jobs.track('position_valuation', work, (summary) => summary !== null);
  }

  lifecycleRefusedEvent(event: string, code: string): void {
    this.lifecycleRefused.inc({ event, code });
  }

  valuationPass(outcome: 'DONE' | 'BROKER_FAILED' | 'SKIPPED_CLOSED_MARKET'): void {
    this.valuations.inc({ outcome });
  }

  valuationSkippedPositions(count: number): void {
    if (count > 0) this.valuationSkipped.inc({ reason: 'NO_QUOTE' }, count);
  }

  reconciliationRun(outcome: 'RECONCILED' | 'UNKNOWN'): void {
    this.reconciliations.inc({ outcome });
  }

  reconciliationFinding(kind: string): void {
    this.findings.inc({ kind });
  }

  unknownAtPlatformSymbols(count: number): void {
    this.unknownAtPlatform.set(count);
  }

  relink(outcome: string): void {
    this.relinks.inc({ outcome });
  }
}
