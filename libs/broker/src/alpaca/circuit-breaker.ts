/**
 * Circuit breaker in front of the broker; pure, time passed in. Invariants: CLOSED turns OPEN after
 * `failureThreshold` consecutive broker failures (5xx, timeouts, network errors) within
 * `failureWindowMs`, a definite answer resets the count; OPEN admits nothing until `coolDownMs` has
 * passed, then HALF_OPEN admits exactly one probe, whose success closes and whose failure reopens.
 * Outcomes of requests admitted before the circuit opened move neither an OPEN circuit nor its probe.
 */
import type { CircuitState } from '../broker-health';

export interface CircuitBreakerPolicy {
  failureThreshold: number;
  failureWindowMs: number;
  coolDownMs: number;
}

export interface Circuit {
  state: CircuitState;
  /** Consecutive failures since the last success, counted from `firstFailureAtMs`. */
  failures: number;
  firstFailureAtMs: number;
  openedAtMs: number;
  probeInFlight: boolean;
}

export type CircuitEvent = 'FAILURE_THRESHOLD_REACHED' | 'COOL_DOWN_ELAPSED' | 'PROBE_SUCCEEDED' | 'PROBE_FAILED';

export const CIRCUIT_TRANSITIONS: Readonly<Record<CircuitState, Partial<Record<CircuitEvent, CircuitState>>>> = {
  CLOSED: { FAILURE_THRESHOLD_REACHED: 'OPEN' },
  OPEN: { COOL_DOWN_ELAPSED: 'HALF_OPEN' },
  HALF_OPEN: { PROBE_SUCCEEDED: 'CLOSED', PROBE_FAILED: 'OPEN' },
};

export function applyCircuitEvent(state: CircuitState, event: CircuitEvent): { state: CircuitState } | { refused: string } {
  const next = CIRCUIT_TRANSITIONS[state][event];
  return next ? { state: next } : { refused: `${event} is not allowed while ${state}` };
}

function moved(circuit: Circuit, event: CircuitEvent, nowMs: number): Circuit {
  const result = applyCircuitEvent(circuit.state, event);
  if ('refused' in result) throw new Error(`circuit breaker: ${result.refused}`);
  const state = result.state;
  if (state === 'OPEN') return { ...circuit, state, openedAtMs: nowMs, probeInFlight: false };
  if (state === 'CLOSED') return { ...circuit, state, failures: 0, probeInFlight: false };
  return { ...circuit, state };
}

export const CLOSED_CIRCUIT: Circuit = { state: 'CLOSED', failures: 0, firstFailureAtMs: 0, openedAtMs: 0, probeInFlight: false };

/** The state a caller would meet now: an OPEN circuit past its cool-down is HALF_OPEN. */
export function currentCircuitState(circuit: Circuit, policy: CircuitBreakerPolicy, nowMs: number): CircuitState {
  if (circuit.state === 'OPEN' && nowMs - circuit.openedAtMs >= policy.coolDownMs) return 'HALF_OPEN';
  return circuit.state;
}

export type Admission =
  | { circuit: Circuit; admitted: true; probe: boolean }
  | { circuit: Circuit; admitted: false; retryInMs: number };

/** Whether a request may go now; admitting the HALF_OPEN probe marks it in flight. */
export function admitRequest(circuit: Circuit, policy: CircuitBreakerPolicy, nowMs: number): Admission {
  let current = circuit;
  if (current.state === 'OPEN') {
    const retryInMs = current.openedAtMs + policy.coolDownMs - nowMs;
    if (retryInMs > 0) return { circuit: current, admitted: false, retryInMs };
    current = moved(current, 'COOL_DOWN_ELAPSED', nowMs);
  }
  if (current.state === 'HALF_OPEN') {
    if (current.probeInFlight) return { circuit: current, admitted: false, retryInMs: 0 };
    return { circuit: { ...current, probeInFlight: true }, admitted: true, probe: true };
  }
  return { circuit: current, admitted: true, probe: false };
}

/** How an admitted request ended: `failure` for 5xx, timeouts and network errors; `probe` from its admission. */
export interface CircuitOutcome {
  failure: boolean;
  probe: boolean;
}

export function recordCircuitOutcome(circuit: Circuit, policy: CircuitBreakerPolicy, outcome: CircuitOutcome, nowMs: number): Circuit {
  const { failure } = outcome;
  if (circuit.state === 'HALF_OPEN') {
    return outcome.probe ? moved(circuit, failure ? 'PROBE_FAILED' : 'PROBE_SUCCEEDED', nowMs) : circuit;
  }
  if (circuit.state === 'OPEN') return circuit;
  if (!failure) return circuit.failures === 0 ? circuit : { ...circuit, failures: 0 };
  const fresh = circuit.failures === 0 || nowMs - circuit.firstFailureAtMs > policy.failureWindowMs;
  const counted = fresh ? { ...circuit, failures: 1, firstFailureAtMs: nowMs } : { ...circuit, failures: circuit.failures + 1 };
  return counted.failures >= policy.failureThreshold ? moved(counted, 'FAILURE_THRESHOLD_REACHED', nowMs) : counted;
}

/** Holds one circuit over an injected clock and reports every state change. */
export class CircuitBreaker {
  private circuit: Circuit = CLOSED_CIRCUIT;
  private reported: CircuitState = 'CLOSED';

  constructor(
    private readonly policy: CircuitBreakerPolicy,
    private readonly nowMs: () => number,
    private readonly onStateChange: (state: CircuitState) => void = () => undefined,
  ) {
    onStateChange('CLOSED');
  }

  state(): CircuitState {
    return currentCircuitState(this.circuit, this.policy, this.nowMs());
  }

  /** Null when the call must fail fast; else whether it is the HALF_OPEN probe. */
  admit(): { probe: boolean } | null {
    const admission = admitRequest(this.circuit, this.policy, this.nowMs());
    this.update(admission.circuit);
    return admission.admitted ? { probe: admission.probe } : null;
  }

  record(outcome: CircuitOutcome): void {
    this.update(recordCircuitOutcome(this.circuit, this.policy, outcome, this.nowMs()));
  }

  private update(circuit: Circuit): void {
    this.circuit = circuit;
    if (circuit.state !== this.reported) {
      this.reported = circuit.state;
      this.onStateChange(circuit.state);
    }
  }
}
