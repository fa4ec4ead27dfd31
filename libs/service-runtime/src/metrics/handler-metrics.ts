import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds; spans a fast in-memory handler to one stuck on a slow transaction. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Per-handler message metrics. Labels stay bounded: `handler` is a handler's fixed name (never a
 * topic partition or message id) and `outcome` one of the caller's few named outcomes, e.g.
 * `processed | duplicate | dead_lettered | retried`.
 */
export interface HandlerMetrics {
  /** `tlp_handler_messages_total{handler,outcome}`. */
  readonly messages: Counter<'handler' | 'outcome'>;
  /** `tlp_handler_duration_seconds{handler}`. */
  readonly duration: Histogram<'handler'>;
  /** Counts one message and observes how long it took. */
  record(handler: string, outcome: string, seconds: number): void;
  /** Starts timing one message; call the result with its outcome when done. */
  startTimer(handler: string): (outcome: string) => void;
}

const byRegistry = new WeakMap<Registry, HandlerMetrics>();

/** The handler metrics of `registry`, created on first use; every later call returns the same ones. */
export function handlerMetrics(registry: Registry): HandlerMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const messages = new Counter({
    name: 'tlp_handler_messages_total',
    help: 'Messages handled, by handler and outcome.',
    labelNames: ['handler', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tlp_handler_duration_seconds',
    help: 'Time to handle one message, in seconds, by handler.',
    labelNames: ['handler'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const metrics: HandlerMetrics = {
    messages,
    duration,
    record(handler, outcome, seconds) {
      messages.inc({ handler, outcome });
      duration.observe({ handler }, seconds);
    },
    startTimer(handler) {
      const end = duration.startTimer({ handler });
      return (outcome) => {
        end();
        messages.inc({ handler, outcome });
      };
    },
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
