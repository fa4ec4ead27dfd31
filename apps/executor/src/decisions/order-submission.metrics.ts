import { Counter, type Registry } from 'prom-client';

const byRegistry = new WeakMap<Registry, Counter<'outcome'>>();

/**
 * `tlp_order_submissions_total{outcome}`: submissions to the broker by its answer (ACCEPTED, REJECTED,
 * DUPLICATE_CLIENT_ORDER_ID, UNKNOWN, NOT_SENT) or HELD while the broker gate is closed. Every
 * outcome starts at 0 so `rate()` and the pipeline-stalled alert see the series from the start.
 */
export function orderSubmissionCounter(registry: Registry): Counter<'outcome'> {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const counter = new Counter({
    name: 'tlp_order_submissions_total',
    help: 'Order submissions to the broker, by outcome (ACCEPTED, REJECTED, DUPLICATE_CLIENT_ORDER_ID, UNKNOWN, NOT_SENT, HELD).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['ACCEPTED', 'REJECTED', 'DUPLICATE_CLIENT_ORDER_ID', 'UNKNOWN', 'NOT_SENT', 'HELD']) counter.inc({ outcome }, 0);
  byRegistry.set(registry, counter);
  return counter;
}
