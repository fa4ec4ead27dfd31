import { Registry, collectDefaultMetrics } from 'prom-client';

/** Nest injection token of the service's prom-client `Registry`: `@Inject(METRICS_REGISTRY) registry: Registry`. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export interface MetricsOptions {
  /** Value of the `service` label on every series. */
  readonly service: string;
  /** Process and Node.js runtime metrics (CPU, memory, event loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean;
}

/** A registry of its own (never the global one, so tests and apps do not collide). */
export function createMetricsRegistry(options: MetricsOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
