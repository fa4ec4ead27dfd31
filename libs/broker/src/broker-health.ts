/** CLOSED: calls go through. OPEN: calls fail fast, nothing is sent. HALF_OPEN: one probe may go. */
export type CircuitState = 'CLOSED' | 'HALF_OPEN' | 'OPEN';

/**
 * Optional companion of `BrokerPort` (the Alpaca adapter implements it): the state of the circuit
 * breaker in front of the broker's trading API, for readiness checks and for gating submissions.
 */
export interface BrokerHealth {
  /** False while the circuit is OPEN: a call now would fail fast without reaching the broker. */
  isHealthy(): boolean;
  /** OPEN turns HALF_OPEN once the cool-down has passed (the next call is the probe). */
  circuitState(): CircuitState;
}

export function isBrokerHealth(broker: unknown): broker is BrokerHealth {
  return (
    typeof broker === 'object' &&
    broker !== null &&
    typeof (broker as Partial<BrokerHealth>).isHealthy === 'function' &&
    typeof (broker as Partial<BrokerHealth>).circuitState === 'function'
  );
}
