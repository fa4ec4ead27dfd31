import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { circuitStateValue, requestOutcomeOf, type BrokerMetricsSink } from './broker-metrics';

/** Seconds; from a local paper broker to a broker answering at the edge of the request timeout. */
const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const byRegistry = new WeakMap<Registry, BrokerMetricsSink>();

/**
 * Prometheus series of the broker adapter, registered once per registry (later calls return the
 * same sink): `tlp_broker_requests_total{route,method,outcome}`,
 * `tlp_broker_request_duration_seconds{route,method}`, `tlp_broker_errors_total{route,kind}`,
 * `tlp_broker_rate_limit_wait_seconds_total`, `tlp_broker_rate_limited_total` and
 * `tlp_broker_circuit_state` (0 closed, 1 half-open, 2 open).
 */
export function createBrokerPromMetrics(registry: Registry): BrokerMetricsSink {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const requests = new Counter({
    name: 'tlp_broker_requests_total',
    help: 'HTTP attempts to the broker, by templated route, method and outcome.',
    labelNames: ['route', 'method', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'tlp_broker_request_duration_seconds',
    help: 'Duration of one HTTP attempt to the broker, in seconds.',
    labelNames: ['route', 'method'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: 'tlp_broker_errors_total',
    help: 'Broker attempts that did not succeed, by templated route and kind.',
    labelNames: ['route', 'kind'] as const,
    registers,
  });
  const waited = new Counter({
    name: 'tlp_broker_rate_limit_wait_seconds_total',
    help: 'Seconds requests were held back to stay within the broker rate limit.',
    registers,
  });
  const limited = new Counter({ name: 'tlp_broker_rate_limited_total', help: 'Responses with HTTP 429 from the broker.', registers });
  const circuit = new Gauge({
    name: 'tlp_broker_circuit_state',
    help: 'Circuit breaker in front of the broker trading API: 0 closed, 1 half-open, 2 open.',
    registers,
  });
  const sink: BrokerMetricsSink = {
    request(route, method, status, seconds) {
      const outcome = requestOutcomeOf(status);
      requests.inc({ route, method, outcome });
      duration.observe({ route, method }, seconds);
      if (outcome !== 'ok') errors.inc({ route, kind: outcome });
      if (outcome === 'rate_limited') limited.inc();
    },
    rateLimitWait(seconds) {
      if (seconds > 0) waited.inc(seconds);
    },
    breakerState(state) {
      circuit.set(circuitStateValue(state));
    },
  };
  byRegistry.set(registry, sink);
  return sink;
}
