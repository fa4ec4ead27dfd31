import { describe, expect, it } from '@jest/globals';
import type { CircuitState } from '../broker-health';
import {
  admitRequest,
  applyCircuitEvent,
  CircuitBreaker,
  CLOSED_CIRCUIT,
  currentCircuitState,
  recordCircuitOutcome,
  type Circuit,
} from './circuit-breaker';

const policy = { failureThreshold: 3, failureWindowMs: 10_000, coolDownMs: 5_000 };
const FAIL = { failure: true, probe: false };
const OK = { failure: false, probe: false };

function failTimes(circuit: Circuit, times: number, atMs: (i: number) => number): Circuit {
  let current = circuit;
  for (let i = 0; i < times; i += 1) current = recordCircuitOutcome(current, policy, FAIL, atMs(i));
  return current;
}

describe('circuit breaker transitions', () => {
  it('allows only the transitions of its table', () => {
    expect(applyCircuitEvent('CLOSED', 'FAILURE_THRESHOLD_REACHED')).toEqual({ state: 'OPEN' });
    expect(applyCircuitEvent('OPEN', 'COOL_DOWN_ELAPSED')).toEqual({ state: 'HALF_OPEN' });
    expect(applyCircuitEvent('HALF_OPEN', 'PROBE_SUCCEEDED')).toEqual({ state: 'CLOSED' });
    expect(applyCircuitEvent('HALF_OPEN', 'PROBE_FAILED')).toEqual({ state: 'OPEN' });
    expect(applyCircuitEvent('CLOSED', 'PROBE_SUCCEEDED')).toEqual({ refused: 'PROBE_SUCCEEDED is not allowed while CLOSED' });
    expect(applyCircuitEvent('OPEN', 'PROBE_FAILED')).toHaveProperty('refused');
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures within the window', () => {
    const twice = failTimes(CLOSED_CIRCUIT, 2, (i) => i * 100);
    expect(twice.state).toBe('CLOSED');
    const open = recordCircuitOutcome(twice, policy, FAIL, 300);
    expect(open).toMatchObject({ state: 'OPEN', openedAtMs: 300 });
  });

  it('starts counting again after a success or once the window has passed', () => {
    const interrupted = recordCircuitOutcome(failTimes(CLOSED_CIRCUIT, 2, () => 0), policy, OK, 1);
    expect(failTimes(interrupted, 2, () => 2).state).toBe('CLOSED');
    const slow = failTimes(CLOSED_CIRCUIT, 3, (i) => i * 6_000);
    expect(slow).toMatchObject({ state: 'CLOSED', failures: 1, firstFailureAtMs: 12_000 });
  });

  it('fails fast while open, then admits exactly one probe after the cool-down', () => {
    const open = failTimes(CLOSED_CIRCUIT, 3, () => 1_000);
    expect(admitRequest(open, policy, 2_000)).toEqual({ circuit: open, admitted: false, retryInMs: 4_000 });
    expect(currentCircuitState(open, policy, 5_999)).toBe('OPEN');
    expect(currentCircuitState(open, policy, 6_000)).toBe('HALF_OPEN');
    const probe = admitRequest(open, policy, 6_000);
    expect(probe).toMatchObject({ admitted: true, probe: true, circuit: { state: 'HALF_OPEN', probeInFlight: true } });
    expect(admitRequest(probe.circuit, policy, 6_001)).toMatchObject({ admitted: false });
  });

  it('closes on a successful probe and reopens on a failed one', () => {
    const probing = admitRequest(failTimes(CLOSED_CIRCUIT, 3, () => 0), policy, 5_000).circuit;
    expect(recordCircuitOutcome(probing, policy, { failure: false, probe: true }, 5_100)).toMatchObject({ state: 'CLOSED', failures: 0 });
    expect(recordCircuitOutcome(probing, policy, { failure: true, probe: true }, 5_100)).toMatchObject({ state: 'OPEN', openedAtMs: 5_100 });
  });

  it('ignores late outcomes of requests admitted before it opened', () => {
    const open = failTimes(CLOSED_CIRCUIT, 3, () => 0);
    expect(recordCircuitOutcome(open, policy, OK, 10)).toBe(open);
    const probing = admitRequest(open, policy, 5_000).circuit;
    expect(recordCircuitOutcome(probing, policy, OK, 5_001)).toBe(probing);
  });

  it('reports each state change over an injected clock', () => {
    let now = 0;
    const states: CircuitState[] = [];
    const breaker = new CircuitBreaker(policy, () => now, (s) => states.push(s));
    for (let i = 0; i < 3; i += 1) {
      expect(breaker.admit()).toEqual({ probe: false });
      breaker.record(FAIL);
    }
    expect(breaker.admit()).toBeNull();
    now = 5_000;
    expect(breaker.state()).toBe('HALF_OPEN');
    const probe = breaker.admit();
    expect(probe).toEqual({ probe: true });
    expect(breaker.admit()).toBeNull();
    breaker.record({ failure: false, probe: true });
    expect(breaker.state()).toBe('CLOSED');
    expect(states).toEqual(['CLOSED', 'OPEN', 'HALF_OPEN', 'CLOSED']);
  });
});
