/**
 * Seed 002's position lifecycle as a transition table and the one function that applies an event to
 * it. Pure. The `position_lifecycles.state` CHECK holds the same seven states.
 *
 * How order and fill events map to lifecycle events (the services derive them):
 * - `order.submitted` of an ENTRY order -> ENTRY_SUBMITTED (CREATED -> SUBMITTING).
 * - the first fill that opens the position (any order) -> POSITION_OPENED (-> OPEN).
 * - `order.submitted` or `order.accepted` of a STOP_LOSS or TAKE_PROFIT order (exits placed; the
 *   order monitor announces the exits it places by `order.accepted`) -> EXITS_PLACED (-> MONITORING).
 * - the position monitor values the position for the first time (it is watched from then on) ->
 *   MONITORING_STARTED (OPEN -> MONITORING). The order monitor does not announce on Kafka the exits it
 *   places itself, so this is what moves most positions to MONITORING today.
 * - `order.submitted` / `order.accepted` of an EXIT order, or a fill that reduces without closing ->
 *   EXIT_STARTED (-> CLOSING).
 * - a fill (or reconciliation) that takes the quantity to zero -> POSITION_CLOSED (-> CLOSED).
 * - `order.rejected`, or `order.canceled` / `order.expired` with nothing filled, of the entry order
 *   while nothing is filled -> ENTRY_FAILED (-> FAILED).
 * - an exit order ending unfilled while CLOSING -> EXIT_ABANDONED (CLOSING -> MONITORING): the
 *   position is still held and still watched; seed 002's "closing -> failed" would mark a held
 *   position dead, which reconciliation and valuation must not skip.
 *
 * Events may arrive late and out of order across topics (a fill before its order.submitted): an
 * event whose target state the lifecycle has already passed is STALE and changes nothing. Anything
 * after CLOSED or FAILED is STALE too: those states are terminal.
 */

export const LIFECYCLE_STATES = ['CREATED', 'SUBMITTING', 'OPEN', 'MONITORING', 'CLOSING', 'CLOSED', 'FAILED'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export type LifecycleEvent =
  | 'ENTRY_SUBMITTED'
  | 'POSITION_OPENED'
  | 'EXITS_PLACED'
  | 'MONITORING_STARTED'
  | 'EXIT_STARTED'
  | 'EXIT_ABANDONED'
  | 'POSITION_CLOSED'
  | 'ENTRY_FAILED';

export type LifecycleRefusalCode = 'TERMINAL_STATE' | 'STALE_EVENT' | 'ENTRY_ALREADY_FILLED' | 'NOT_OPEN_YET';

export type LifecycleOutcome =
  | { readonly kind: 'MOVED'; readonly from: LifecycleState; readonly to: LifecycleState }
  | { readonly kind: 'REFUSED'; readonly code: LifecycleRefusalCode; readonly detail: string };

/** Every allowed transition: from -> event -> to. Anything else is refused. */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleState, Partial<Record<LifecycleEvent, LifecycleState>>>> = {
  CREATED: { ENTRY_SUBMITTED: 'SUBMITTING', POSITION_OPENED: 'OPEN', ENTRY_FAILED: 'FAILED' },
  SUBMITTING: { POSITION_OPENED: 'OPEN', ENTRY_FAILED: 'FAILED' },
  OPEN: { EXITS_PLACED: 'MONITORING', MONITORING_STARTED: 'MONITORING', EXIT_STARTED: 'CLOSING', POSITION_CLOSED: 'CLOSED' },
  MONITORING: { EXIT_STARTED: 'CLOSING', POSITION_CLOSED: 'CLOSED' },
  CLOSING: { EXIT_ABANDONED: 'MONITORING', POSITION_CLOSED: 'CLOSED' },
  CLOSED: {},
  FAILED: {},
};

/** Rank along the happy path; an event targeting a rank at or below the current one is stale. */
const RANK: Readonly<Record<LifecycleState, number>> = {
  CREATED: 0,
  SUBMITTING: 1,
  OPEN: 2,
  MONITORING: 3,
  CLOSING: 4,
  CLOSED: 5,
  FAILED: 5,
};

const TARGET: Readonly<Record<LifecycleEvent, LifecycleState>> = {
  ENTRY_SUBMITTED: 'SUBMITTING',
  POSITION_OPENED: 'OPEN',
  EXITS_PLACED: 'MONITORING',
  MONITORING_STARTED: 'MONITORING',
  EXIT_STARTED: 'CLOSING',
  EXIT_ABANDONED: 'MONITORING',
  POSITION_CLOSED: 'CLOSED',
  ENTRY_FAILED: 'FAILED',
};

/** The state after `event`, or why the lifecycle refuses it (nothing changes then). */
export function applyLifecycleEvent(current: LifecycleState, event: LifecycleEvent): LifecycleOutcome {
  const to = LIFECYCLE_TRANSITIONS[current][event];
  if (to !== undefined) return { kind: 'MOVED', from: current, to };
  return { kind: 'REFUSED', ...checkRefusal(current, event) };
}

function checkRefusal(current: LifecycleState, event: LifecycleEvent): { code: LifecycleRefusalCode; detail: string } {
  if (current === 'CLOSED' || current === 'FAILED') {
    return { code: 'TERMINAL_STATE', detail: `${event} after the lifecycle ended ${current}` };
  }
  if (event === 'ENTRY_FAILED') {
    return { code: 'ENTRY_ALREADY_FILLED', detail: `entry ended after the position reached ${current}` };
  }
  if (RANK[TARGET[event]] <= RANK[current] && event !== 'EXIT_ABANDONED') {
    return { code: 'STALE_EVENT', detail: `${event} arrived in ${current}, past ${TARGET[event]}` };
  }
  if (event === 'EXIT_ABANDONED') return { code: 'STALE_EVENT', detail: `no exit in progress in ${current}` };
  return { code: 'NOT_OPEN_YET', detail: `${event} before the position opened (${current})` };
}

/** True once the lifecycle has ended; it never changes again. */
export function isTerminal(state: LifecycleState): boolean {
  return state === 'CLOSED' || state === 'FAILED';
}
