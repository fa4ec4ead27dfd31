import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY, jobMetrics, setMarketOpen, type JobMetrics } from '@tlp/service-runtime';
import { Counter, Gauge, type Registry } from 'prom-client';

const CATCH_UP_JOB = 'order_monitor_catch_up';

/** Order-monitor figures: fills by outcome, overfills, refused transitions, late fills, polls and the broker stream's state. */
@Injectable()
export class OrderMonitorMetrics {
  private readonly fills: Counter<'outcome' | 'source'>;
  private readonly overfills: Counter;
  private readonly refused: Counter<'from' | 'event'>;
  private readonly lateFills: Counter<'status'>;
  private readonly unreadable: Counter<'code'>;
  private readonly polls: Counter<'outcome'>;
  private readonly streamConnected: Gauge;
  private readonly jobs: JobMetrics;

  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {
    this.fills = new Counter({
      name: 'tlp_fills_processed_total',
      help: 'Broker fill reports processed, by outcome (APPLIED, ALREADY_APPLIED, PARKED, CONFLICTING_DUPLICATE, REFUSED) and source.',
      labelNames: ['outcome', 'source'],
      registers: [registry],
    });
    this.overfills = new Counter({ name: 'tlp_order_overfills_total', help: 'Fills that took an order beyond its quantity.', registers: [registry] });
    this.refused = new Counter({
      name: 'tlp_order_transitions_refused_total',
      help: 'Broker reports the order state machine refused (no row for the order status and event); never applied.',
      labelNames: ['from', 'event'],
      registers: [registry],
    });
    this.lateFills = new Counter({
      name: 'tlp_order_late_fills_total',
      help: 'Fills applied to an order already in a terminal status (e.g. after its cancel), by that status.',
      labelNames: ['status'],
      registers: [registry],
    });
    this.unreadable = new Counter({
      name: 'tlp_broker_updates_unreadable_total',
      help: 'Broker updates or statuses that could not be read as an order event, by refusal code.',
      labelNames: ['code'],
      registers: [registry],
    });
    this.polls = new Counter({
      name: 'tlp_order_polls_total',
      help: 'Reconciliation passes over open orders from the broker REST API, by outcome (OK, FAILED).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.streamConnected = new Gauge({ name: 'tlp_broker_stream_connected', help: '1 while the broker trade-updates stream is authorised and listening.', registers: [registry] });
    this.jobs = jobMetrics(registry);
    this.jobs.declare(CATCH_UP_JOB);
  }

  /** One catch-up pass from REST as the periodic job `order_monitor_catch_up` (last success, runs, duration). */
  trackCatchUp<T>(work: () => Promise<T>): Promise<T> {
    return this.jobs.track(CATCH_UP_JOB, work);
  }

  /** `tlp_market_open` from the broker's clock; gates the "no events" alerts. */
  setMarketOpen(open: boolean): void {
    setMarketOpen(this.registry, open);
  }

  fillProcessed(outcome: string, source: string): void {
    this.fills.inc({ outcome, source });
  }

  overfill(): void {
    this.overfills.inc();
  }

  transitionRefused(from: string, event: string): void {
    this.refused.inc({ from, event });
  }

  lateFill(status: string): void {
    this.lateFills.inc({ status });
  }

  updateUnreadable(code: string): void {
    this.unreadable.inc({ code });
  }

  pollCompleted(ok: boolean): void {
    this.polls.inc({ outcome: ok ? 'OK' : 'FAILED' });
  }

  setStreamConnected(connected: boolean): void {
    this.streamConnected.set(connected ? 1 : 0);
  }
}
