import { applyLifecycleEvent, isTerminal, LIFECYCLE_STATES, LIFECYCLE_TRANSITIONS, type LifecycleEvent, type LifecycleState } from './position-lifecycle';

const run = (events: LifecycleEvent[], from: LifecycleState = 'CREATED'): LifecycleState =>
  events.reduce<LifecycleState>((state, event) => {
    const outcome = applyLifecycleEvent(state, event);
    return outcome.kind === 'MOVED' ? outcome.to : state;
  }, from);

describe('position lifecycle (seed 002)', () => {
  it('follows the happy path created -> submitting -> open -> monitoring -> closing -> closed', () => {
    const path: LifecycleState[] = [];
    let state: LifecycleState = 'CREATED';
    for (const event of ['ENTRY_SUBMITTED', 'POSITION_OPENED', 'EXITS_PLACED', 'EXIT_STARTED', 'POSITION_CLOSED'] as const) {
      const outcome = applyLifecycleEvent(state, event);
      if (outcome.kind !== 'MOVED') throw new Error(outcome.detail);
      state = outcome.to;
      path.push(state);
    }
    expect(path).toEqual(['SUBMITTING', 'OPEN', 'MONITORING', 'CLOSING', 'CLOSED']);
  });

  it('starts monitoring an open position on its first valuation, and only then', () => {
    expect(applyLifecycleEvent('OPEN', 'MONITORING_STARTED')).toEqual({ kind: 'MOVED', from: 'OPEN', to: 'MONITORING' });
    expect(applyLifecycleEvent('MONITORING', 'MONITORING_STARTED')).toMatchObject({ kind: 'REFUSED', code: 'STALE_EVENT' });
    expect(applyLifecycleEvent('CLOSING', 'MONITORING_STARTED')).toMatchObject({ kind: 'REFUSED', code: 'STALE_EVENT' });
  });

  it('fails an entry that ends without a fill', () => {
    expect(run(['ENTRY_SUBMITTED', 'ENTRY_FAILED'])).toBe('FAILED');
  });

  it('refuses a failed entry once the position is open', () => {
    expect(applyLifecycleEvent('OPEN', 'ENTRY_FAILED')).toMatchObject({ kind: 'REFUSED', code: 'ENTRY_ALREADY_FILLED' });
  });

  it('treats a late order.submitted after the first fill as stale', () => {
    expect(applyLifecycleEvent('OPEN', 'ENTRY_SUBMITTED')).toMatchObject({ kind: 'REFUSED', code: 'STALE_EVENT' });
    expect(applyLifecycleEvent('CLOSING', 'EXITS_PLACED')).toMatchObject({ kind: 'REFUSED', code: 'STALE_EVENT' });
  });

  it('refuses exits before the position opened', () => {
    expect(applyLifecycleEvent('SUBMITTING', 'EXITS_PLACED')).toMatchObject({ kind: 'REFUSED', code: 'NOT_OPEN_YET' });
  });

  it('returns to monitoring when an exit ends unfilled, and refuses that outside closing', () => {
    expect(run(['ENTRY_SUBMITTED', 'POSITION_OPENED', 'EXIT_STARTED', 'EXIT_ABANDONED'])).toBe('MONITORING');
    expect(applyLifecycleEvent('OPEN', 'EXIT_ABANDONED')).toMatchObject({ kind: 'REFUSED', code: 'STALE_EVENT' });
  });

  it('never leaves closed or failed', () => {
    for (const terminal of ['CLOSED', 'FAILED'] as const) {
      expect(isTerminal(terminal)).toBe(true);
      for (const event of ['ENTRY_SUBMITTED', 'POSITION_OPENED', 'EXITS_PLACED', 'MONITORING_STARTED', 'EXIT_STARTED', 'EXIT_ABANDONED', 'POSITION_CLOSED', 'ENTRY_FAILED'] as const) {
        expect(applyLifecycleEvent(terminal, event)).toMatchObject({ kind: 'REFUSED', code: 'TERMINAL_STATE' });
      }
    }
  });

  it('only moves along the table, to declared states', () => {
    for (const from of LIFECYCLE_STATES) {
      for (const to of Object.values(LIFECYCLE_TRANSITIONS[from])) expect(LIFECYCLE_STATES).toContain(to);
    }
    expect(run(['POSITION_CLOSED'])).toBe('CREATED');
  });
});
