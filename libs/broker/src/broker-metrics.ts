/**
 * What the broker adapters report about their HTTP traffic. Invariant: `route` is a template from a
 * fixed list (`/v2/orders/:id`, never a raw id), so every label set stays bounded.
 */
import type { CircuitState } from './broker-health';

/** An HTTP status, or how the exchange failed without one. */
export type BrokerRequestStatus = number | 'network' | 'timeout';

export interface BrokerMetricsSink {
  /** One HTTP attempt (retries count separately), with its templated route and duration. */
  request(route: string, method: string, status: BrokerRequestStatus, seconds: number): void;
  /** Time a request was held back by the rate limit before being sent. */
  rateLimitWait(seconds: number): void;
  /** Called on every change of the circuit breaker's state, and once with the initial state. */
  breakerState(state: CircuitState): void;
}

export const NO_BROKER_METRICS: BrokerMetricsSink = {
  request: () => undefined,
  rateLimitWait: () => undefined,
  breakerState: () => undefined,
};

export type BrokerRequestOutcome = 'ok' | 'client_error' | 'rate_limited' | 'server_error' | 'network' | 'timeout';

/** The bounded `outcome` label of one attempt. */
export function requestOutcomeOf(status: BrokerRequestStatus): BrokerRequestOutcome {
  if (status === 'network' || status === 'timeout') return status;
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

/** Gauge value of a circuit state: 0 closed, 1 half-open, 2 open. */
export function circuitStateValue(state: CircuitState): number {
  return state === 'CLOSED' ? 0 : state === 'HALF_OPEN' ? 1 : 2;
}
