import type { Counter, Registry } from 'prom-client';
import { Counter as PromCounter } from 'prom-client';

/** `tlp_trade_events_refused_total{status,event}`: changes the trade journal refused (e.g. an exit fill after the trade CLOSED); never applied to the trade. */
export function tradeEventsRefusedCounter(registry: Registry): Counter<'status' | 'event'> {
  const existing = registry.getSingleMetric('tlp_trade_events_refused_total');
  if (existing) return existing as Counter<'status' | 'event'>;
  return new PromCounter({
    name: 'tlp_trade_events_refused_total',
    help: 'Changes the trade journal refused, by trade status and event (e.g. CLOSED, EXIT_FILLED: a fill after the trade closed); the order still records the fill, the trade does not.',
    labelNames: ['status', 'event'],
    registers: [registry],
  });
}
