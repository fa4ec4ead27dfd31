import { checkSubmissionGate } from './submission-gate';

describe('checkSubmissionGate', () => {
  it('opens only when the broker is healthy and the order stream is listening', () => {
    expect(checkSubmissionGate(true, true)).toEqual({ open: true });
    expect(checkSubmissionGate(false, true)).toEqual({ open: false, reason: 'BROKER_CIRCUIT_OPEN' });
    expect(checkSubmissionGate(true, false)).toEqual({ open: false, reason: 'ORDER_STREAM_DOWN' });
    expect(checkSubmissionGate(false, false)).toEqual({ open: false, reason: 'BROKER_CIRCUIT_OPEN' });
  });
});
