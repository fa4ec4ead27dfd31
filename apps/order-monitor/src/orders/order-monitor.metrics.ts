import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@tlp/service-runtime';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Order-monitor figures: fills by outcome, overfills, and the broker stream's state. */
@Injectable()
export class OrderMonitorMetrics {
  private readonly fills: Counter<'outcome' | 'source'>;
  private readonly overfills: Counter;
  private readonly streamConnected: Gauge;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.fills = new Counter({
      name: 'tlp_fills_processed_total',
      help: 'Broker fill reports processed, by outcome (APPLIED, ALREADY_APPLIED, PARKED, CONFLICTING_DUPLICATE) and source.',
      labelNames: ['outcome', 'source'],
      registers: [registry],
    });
    this.overfills = new Counter({ name: 'tlp_order_overfills_total', help: 'Fills that took an order beyond its quantity.', registers: [registry] });
    this.streamConnected = new Gauge({ name: 'tlp_broker_stream_connected', help: '1 while the broker trade-updates stream is authorised and listening.', registers: [registry] });
  }

  fillProcessed(outcome: string, source: string): void {
    this.fills.inc({ outcome, source });
  }

  overfill(): void {
    this.overfills.inc();
  }

  setStreamConnected(connected: boolean): void {
    this.streamConnected.set(connected ? 1 : 0);
  }
}
