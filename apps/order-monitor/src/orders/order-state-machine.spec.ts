import { OrderStatus } from '@tlp/contracts';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import {
  applyOrderEvent,
  eventOfAlpacaStatus,
  eventOfAlpacaUpdate,
  isTerminalOrderStatus,
  ORDER_EVENT_KINDS,
  ORDER_STATUSES_SQL_CHECK,
  TRANSITIONS,
  type AlpacaUpdateReading,
  type OrderEvent,
  type OrderEventKind,
  type OrderEventOutcome,
  type OrderState,
} from './order-state-machine';

const d = (v: number | string) => new Decimal(v);
const QUANTITY = d(10);
const STATUSES = OrderStatus.options;

const order = (
  status: OrderStatus,
  filled: number | string = 0,
  previousStatus: OrderStatus | null = null,
): OrderState => ({
  status,
  quantity: QUANTITY,
  filledQuantity: d(filled),
  previousStatus,
});
const event = (kind: Exclude<OrderEventKind, 'FILLED' | 'FILLED_PARTIALLY'>): OrderEvent => ({ kind });
const partial = (cumulative: number | string): OrderEvent => ({
  kind: 'FILLED_PARTIALLY',
  cumulativeQuantity: d(cumulative),
});
const filled = (cumulative: number | string): OrderEvent => ({
  kind: 'FILLED',
  cumulativeQuantity: d(cumulative),
});

/** Folds events into an order; each must be applied or ignored, never refused. */
function given(events: readonly OrderEvent[], start: OrderState = order('PENDING_SUBMIT')): OrderState {
  return events.reduce((state, e) => {
    const outcome = applyOrderEvent(state, e);
    if (outcome.kind === 'REFUSED') throw new Error(`given: ${e.kind} refused in ${state.status}`);
    return outcome.kind === 'APPLIED' ? outcome.state : state;
  }, start);
}

function applied(outcome: OrderEventOutcome): Extract<OrderEventOutcome, { kind: 'APPLIED' }> {
  if (outcome.kind !== 'APPLIED') throw new Error(`expected APPLIED, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const summary = (s: OrderState) => ({
  status: s.status,
  filled: s.filledQuantity.toString(),
  previous: s.previousStatus,
});

describe('TRANSITIONS', () => {
  it('has a row for every OrderStatus', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATUSES].sort());
  });

  it('keeps terminal statuses terminal: their rows are fills or repeats only', () => {
    for (const status of STATUSES.filter(isTerminalOrderStatus)) {
      for (const target of Object.values(TRANSITIONS[status])) expect(target).toBe(status);
    }
  });

  it('restores the previous status only on a refused cancel or replace', () => {
    const restoring = STATUSES.flatMap((s) =>
      Object.entries(TRANSITIONS[s])
        .filter(([, target]) => target === 'RESTORE_PREVIOUS')
        .map(([kind]) => `${s}+${kind}`),
    );
    expect(restoring.sort()).toEqual(['PENDING_CANCEL+CANCEL_REJECTED', 'PENDING_REPLACE+REPLACE_REJECTED']);
  });

  it('reaches every status from PENDING_SUBMIT', () => {
    const seen = new Set<OrderStatus>(['PENDING_SUBMIT']);
    const queue: OrderStatus[] = ['PENDING_SUBMIT'];
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
      for (const target of Object.values(TRANSITIONS[s])) {
        if (target === 'RESTORE_PREVIOUS' || seen.has(target)) continue;
        seen.add(target);
        queue.push(target);
      }
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });
});

describe('applyOrderEvent, every (status, event) pair against the table', () => {
  // A consistent order in each status: PARTIALLY_FILLED has 4 of 10 filled, FILLED all 10, pending ones came from NEW.
  const sample = (status: OrderStatus): OrderState =>
    order(
      status,
      status === 'PARTIALLY_FILLED' ? 4 : status === 'FILLED' ? 10 : 0,
      status.startsWith('PENDING_') && status !== 'PENDING_SUBMIT' ? 'NEW' : null,
    );
  const sampleEvent = (kind: OrderEventKind, state: OrderState): OrderEvent =>
    kind === 'FILLED'
      ? filled(10)
      : kind === 'FILLED_PARTIALLY'
        ? partial(state.filledQuantity.plus(2).toNumber())
        : event(kind);
  const cases = STATUSES.flatMap((status) =>
    ORDER_EVENT_KINDS.map((kind) => [status, kind, TRANSITIONS[status][kind] ?? 'REFUSED'] as const),
  );

  it.each(cases)('given %s, when %s, then %s', (status, kind, target) => {
    const state = sample(status);
    const e = sampleEvent(kind, state);
    const outcome = applyOrderEvent(state, e);
    if (target === 'REFUSED') {
      expect(outcome).toEqual({ kind: 'REFUSED', code: 'ILLEGAL_TRANSITION', from: status, event: kind });
    } else if (e.kind === 'FILLED' || e.kind === 'FILLED_PARTIALLY') {
      if (e.cumulativeQuantity.lte(state.filledQuantity))
        return expect(outcome).toEqual({ kind: 'IGNORED', reason: 'FILL_ALREADY_APPLIED' });
      const result = applied(outcome);
      // A partial fill that completes the order is read as a fill.
      const expected = e.cumulativeQuantity.gte(QUANTITY) ? (TRANSITIONS[status].FILLED ?? 'none') : target;
      expect(result.state.status).toBe(expected);
      expect(result.state.filledQuantity.toString()).toBe(e.cumulativeQuantity.toString());
      expect(result.lateFill).toBe(isTerminalOrderStatus(status));
    } else if (target === status) {
      expect(outcome).toEqual({ kind: 'IGNORED', reason: 'STATUS_UNCHANGED' });
    } else {
      const result = applied(outcome);
      expect(result.state.status).toBe(target === 'RESTORE_PREVIOUS' ? state.previousStatus : target);
      expect(result.state.previousStatus).toBe(result.state.status.startsWith('PENDING_') ? status : null);
      expect(result.lateFill).toBe(false);
    }
  });
});

describe('applyOrderEvent, scenarios', () => {
  it('applies a fill that arrives before the acknowledgement, then ignores the late acknowledgement', () => {
    const submitted = given([event('SUBMITTED')]);
    const afterFill = applied(applyOrderEvent(submitted, partial(4))).state;
    expect(summary(afterFill)).toEqual({ status: 'PARTIALLY_FILLED', filled: '4', previous: null });
    expect(applyOrderEvent(afterFill, event('ACKNOWLEDGED'))).toEqual({
      kind: 'IGNORED',
      reason: 'STATUS_UNCHANGED',
    });
    expect(summary(applied(applyOrderEvent(given([event('ACCEPTED')]), filled(10))).state).status).toBe(
      'FILLED',
    );
  });

  it('cancels a partially filled order and keeps what was filled', () => {
    const state = given([
      event('SUBMITTED'),
      event('ACKNOWLEDGED'),
      partial(4),
      event('CANCEL_REQUESTED'),
      event('CANCEL_PENDING'),
    ]);
    const outcome = applied(applyOrderEvent(state, event('CANCELED')));
    expect(summary(outcome.state)).toEqual({ status: 'CANCELED', filled: '4', previous: null });
  });

  it('applies fills that race a cancel request, and ignores the cancel rejection that follows', () => {
    const pending = given([event('ACKNOWLEDGED'), event('CANCEL_REQUESTED'), event('CANCEL_PENDING')]);
    expect(summary(pending)).toEqual({ status: 'PENDING_CANCEL', filled: '0', previous: 'NEW' });
    const partly = applied(applyOrderEvent(pending, partial(3))).state;
    expect(summary(partly)).toEqual({ status: 'PARTIALLY_FILLED', filled: '3', previous: null });
    const done = applied(applyOrderEvent(partly, filled(10))).state;
    expect(summary(done)).toEqual({ status: 'FILLED', filled: '10', previous: null });
    expect(applyOrderEvent(done, event('CANCEL_REJECTED'))).toEqual({
      kind: 'IGNORED',
      reason: 'STATUS_UNCHANGED',
    });
    expect(applied(applyOrderEvent(pending, filled(10))).state.status).toBe('FILLED');
  });

  it('applies a fill reported after the cancel, keeping the order canceled and flagging it late', () => {
    const canceled = given([event('ACKNOWLEDGED'), partial(4), event('CANCEL_REQUESTED'), event('CANCELED')]);
    const outcome = applied(applyOrderEvent(canceled, partial(6)));
    expect(summary(outcome.state)).toEqual({ status: 'CANCELED', filled: '6', previous: null });
    expect(outcome.lateFill).toBe(true);
  });

  it('restores PARTIALLY_FILLED when the broker refuses the cancel', () => {
    const pending = given([event('ACKNOWLEDGED'), partial(4), event('CANCEL_REQUESTED')]);
    expect(pending.previousStatus).toBe('PARTIALLY_FILLED');
    const outcome = applied(applyOrderEvent(pending, event('CANCEL_REJECTED')));
    expect(summary(outcome.state)).toEqual({ status: 'PARTIALLY_FILLED', filled: '4', previous: null });
  });

  it('restores NEW when the broker refuses the replace', () => {
    const pending = given([event('ACKNOWLEDGED'), event('REPLACE_REQUESTED'), event('REPLACE_PENDING')]);
    const outcome = applied(applyOrderEvent(pending, event('REPLACE_REJECTED')));
    expect(summary(outcome.state)).toEqual({ status: 'NEW', filled: '0', previous: null });
  });

  it('restores from the fills when a pending order was stored without its previous status', () => {
    expect(applied(applyOrderEvent(order('PENDING_CANCEL', 2), event('CANCEL_REJECTED'))).state.status).toBe(
      'PARTIALLY_FILLED',
    );
    expect(applied(applyOrderEvent(order('PENDING_REPLACE'), event('REPLACE_REJECTED'))).state.status).toBe(
      'NEW',
    );
  });

  it('replaces an order, refuses a cancel while the replace is pending, and applies a fill on the old id', () => {
    const pending = given([event('ACKNOWLEDGED'), partial(2), event('REPLACE_REQUESTED')]);
    expect(applyOrderEvent(pending, event('CANCEL_REQUESTED'))).toMatchObject({
      kind: 'REFUSED',
      code: 'ILLEGAL_TRANSITION',
    });
    const replaced = applied(applyOrderEvent(pending, event('REPLACED'))).state;
    expect(summary(replaced)).toEqual({ status: 'REPLACED', filled: '2', previous: null });
    const late = applied(applyOrderEvent(replaced, partial(3)));
    expect([late.state.status, late.lateFill]).toEqual(['REPLACED', true]);
  });

  it('expires an order with a partial fill', () => {
    const state = given([event('ACCEPTED'), event('ACKNOWLEDGED'), partial(3)]);
    expect(summary(applied(applyOrderEvent(state, event('EXPIRED'))).state)).toEqual({
      status: 'EXPIRED',
      filled: '3',
      previous: null,
    });
  });

  it('resumes after DONE_FOR_DAY as NEW, or PARTIALLY_FILLED when something was filled', () => {
    expect(given([event('ACKNOWLEDGED'), event('DONE_FOR_DAY'), event('ACKNOWLEDGED')]).status).toBe('NEW');
    expect(
      given([event('ACKNOWLEDGED'), partial(4), event('DONE_FOR_DAY'), event('ACKNOWLEDGED')]).status,
    ).toBe('PARTIALLY_FILLED');
    expect(given([event('ACKNOWLEDGED'), partial(4), event('DONE_FOR_DAY'), partial(5)]).status).toBe(
      'PARTIALLY_FILLED',
    );
  });

  it('ignores duplicate and out-of-order events', () => {
    const state = given([event('ACKNOWLEDGED'), partial(6)]);
    expect(applyOrderEvent(state, event('ACKNOWLEDGED'))).toEqual({
      kind: 'IGNORED',
      reason: 'STATUS_UNCHANGED',
    });
    expect(applyOrderEvent(state, partial(6))).toEqual({ kind: 'IGNORED', reason: 'FILL_ALREADY_APPLIED' });
    expect(applyOrderEvent(state, partial(4))).toEqual({ kind: 'IGNORED', reason: 'FILL_ALREADY_APPLIED' });
    expect(applyOrderEvent(order('CANCELED', 2), event('CANCELED'))).toEqual({
      kind: 'IGNORED',
      reason: 'STATUS_UNCHANGED',
    });
    expect(applyOrderEvent(order('FILLED', 10), filled(10))).toEqual({
      kind: 'IGNORED',
      reason: 'FILL_ALREADY_APPLIED',
    });
  });

  it('refuses illegal transitions and leaves them to the caller to count', () => {
    expect(applyOrderEvent(order('FILLED', 10), event('ACKNOWLEDGED'))).toEqual({
      kind: 'REFUSED',
      code: 'ILLEGAL_TRANSITION',
      from: 'FILLED',
      event: 'ACKNOWLEDGED',
    });
    expect(applyOrderEvent(order('CANCELED'), event('REPLACE_REQUESTED'))).toEqual({
      kind: 'REFUSED',
      code: 'ILLEGAL_TRANSITION',
      from: 'CANCELED',
      event: 'REPLACE_REQUESTED',
    });
    expect(applyOrderEvent(order('REJECTED'), partial(1))).toEqual({
      kind: 'REFUSED',
      code: 'ILLEGAL_TRANSITION',
      from: 'REJECTED',
      event: 'FILLED_PARTIALLY',
    });
    expect(applyOrderEvent(order('CANCELED'), event('EXPIRED'))).toMatchObject({
      kind: 'REFUSED',
      code: 'ILLEGAL_TRANSITION',
    });
    expect(applyOrderEvent(order('PENDING_SUBMIT'), event('CANCEL_REQUESTED'))).toMatchObject({
      kind: 'REFUSED',
      code: 'ILLEGAL_TRANSITION',
    });
  });

  it('refuses a fill with a negative or non-finite cumulative quantity', () => {
    expect(applyOrderEvent(order('NEW'), partial(-1))).toMatchObject({
      kind: 'REFUSED',
      code: 'INVALID_QUANTITY',
    });
    expect(applyOrderEvent(order('NEW'), partial('NaN'))).toMatchObject({
      kind: 'REFUSED',
      code: 'INVALID_QUANTITY',
    });
    expect(applyOrderEvent(order('NEW'), filled('Infinity'))).toMatchObject({
      kind: 'REFUSED',
      code: 'INVALID_QUANTITY',
    });
  });

  it('applies an overfill and flags it', () => {
    const outcome = applied(applyOrderEvent(order('PARTIALLY_FILLED', 4), filled(11)));
    expect([outcome.state.status, outcome.state.filledQuantity.toString(), outcome.overfill]).toEqual([
      'FILLED',
      '11',
      true,
    ]);
    expect(applied(applyOrderEvent(order('NEW'), partial(10))).state.status).toBe('FILLED');
  });
});

describe('ORDER_STATUSES_SQL_CHECK', () => {
  it('lists exactly the OrderStatus values', () => {
    expect(ORDER_STATUSES_SQL_CHECK).toBe(
      "CHECK (status IN ('PENDING_SUBMIT', 'SUBMITTED', 'ACCEPTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED', 'PENDING_CANCEL', " +
        "'PENDING_REPLACE', 'CANCELED', 'EXPIRED', 'REJECTED', 'REPLACED', 'DONE_FOR_DAY'))",
    );
  });
});

const qty = (filledQty: number, quantity: number | null = 10) => ({
  filledQuantity: d(filledQty),
  quantity: quantity === null ? null : d(quantity),
});
/** An Alpaca reading in one line: `FILLED 10`, `CANCELED` or the refusal code. */
function read(reading: AlpacaUpdateReading): string {
  if (reading.kind === 'REFUSED') return reading.code;
  const e = reading.event;
  return 'cumulativeQuantity' in e ? `${e.kind} ${e.cumulativeQuantity.toString()}` : e.kind;
}

describe('eventOfAlpacaUpdate', () => {
  // Every event word of broker-apis.md section 7, with the order status it usually comes with.
  it.each([
    ['new', 'new', 0, 'ACKNOWLEDGED'],
    ['fill', 'filled', 10, 'FILLED 10'],
    ['partial_fill', 'partially_filled', 4, 'FILLED_PARTIALLY 4'],
    ['canceled', 'canceled', 4, 'CANCELED'],
    ['expired', 'expired', 0, 'EXPIRED'],
    ['done_for_day', 'done_for_day', 0, 'DONE_FOR_DAY'],
    ['replaced', 'replaced', 0, 'REPLACED'],
    ['accepted', 'accepted', 0, 'ACCEPTED'],
    ['rejected', 'rejected', 0, 'REJECTED'],
    ['pending_new', 'pending_new', 0, 'ACCEPTED'],
    ['stopped', 'stopped', 0, 'ACKNOWLEDGED'],
    ['stopped', 'stopped', 2, 'FILLED_PARTIALLY 2'],
    ['pending_cancel', 'pending_cancel', 0, 'CANCEL_PENDING'],
    ['pending_replace', 'pending_replace', 0, 'REPLACE_PENDING'],
    ['calculated', 'calculated', 10, 'FILLED 10'],
    ['calculated', 'calculated', 3, 'DONE_FOR_DAY'],
    ['suspended', 'suspended', 0, 'ACCEPTED'],
    ['order_replace_rejected', 'new', 0, 'REPLACE_REJECTED'],
    ['order_cancel_rejected', 'partially_filled', 4, 'CANCEL_REJECTED'],
    ['restated', 'new', 0, 'ACKNOWLEDGED'],
    ['restated', 'partially_filled', 4, 'FILLED_PARTIALLY 4'],
  ])('given event %s with status %s and %s filled, then %s', (word, status, filledQty, expected) => {
    expect(read(eventOfAlpacaUpdate(word, status, qty(filledQty)))).toBe(expected);
  });

  it('refuses an unknown event word, or an unknown status where the event defers to it', () => {
    expect(eventOfAlpacaUpdate('teleported', 'new', qty(0))).toEqual({
      kind: 'REFUSED',
      code: 'UNKNOWN_ALPACA_EVENT',
      word: 'teleported',
    });
    expect(read(eventOfAlpacaUpdate('constructor', 'new', qty(0)))).toBe('UNKNOWN_ALPACA_EVENT');
    expect(eventOfAlpacaUpdate('restated', 'teleported', qty(0))).toEqual({
      kind: 'REFUSED',
      code: 'UNKNOWN_ALPACA_STATUS',
      word: 'teleported',
    });
  });
});

describe('eventOfAlpacaStatus', () => {
  // Every status of broker-apis.md section 3, plus the SDK's held and pending_review.
  it.each([
    ['new', 0, 'ACKNOWLEDGED'],
    ['partially_filled', 4, 'FILLED_PARTIALLY 4'],
    ['filled', 10, 'FILLED 10'],
    ['done_for_day', 4, 'DONE_FOR_DAY'],
    ['canceled', 4, 'CANCELED'],
    ['expired', 0, 'EXPIRED'],
    ['replaced', 0, 'REPLACED'],
    ['pending_cancel', 0, 'CANCEL_PENDING'],
    ['pending_replace', 0, 'REPLACE_PENDING'],
    ['accepted', 0, 'ACCEPTED'],
    ['pending_new', 0, 'ACCEPTED'],
    ['accepted_for_bidding', 0, 'ACCEPTED'],
    ['stopped', 0, 'ACKNOWLEDGED'],
    ['rejected', 0, 'REJECTED'],
    ['suspended', 0, 'ACCEPTED'],
    ['calculated', 10, 'FILLED 10'],
    ['calculated', 0, 'DONE_FOR_DAY'],
    ['held', 0, 'ACCEPTED'],
    ['pending_review', 0, 'ACCEPTED'],
  ])('given status %s with %s filled, then %s', (status, filledQty, expected) => {
    expect(read(eventOfAlpacaStatus(status, qty(filledQty)))).toBe(expected);
  });

  it('reads calculated on a notional order (no quantity) as done for the day', () => {
    expect(read(eventOfAlpacaStatus('calculated', qty(3, null)))).toBe('DONE_FOR_DAY');
  });

  it('refuses event words that are not statuses, and unknown statuses', () => {
    for (const word of ['order_cancel_rejected', 'fill', 'toString', 'teleported']) {
      expect(eventOfAlpacaStatus(word, qty(0))).toEqual({
        kind: 'REFUSED',
        code: 'UNKNOWN_ALPACA_STATUS',
        word,
      });
    }
  });
});

describe('applyOrderEvent, properties', () => {
  const nonFill = ORDER_EVENT_KINDS.filter(
    (k): k is Exclude<OrderEventKind, 'FILLED' | 'FILLED_PARTIALLY'> =>
      k !== 'FILLED' && k !== 'FILLED_PARTIALLY',
  );
  const eventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
    fc.constantFrom(...nonFill).map((kind) => event(kind)),
    fc
      .tuple(fc.constantFrom('FILLED' as const, 'FILLED_PARTIALLY' as const), fc.integer({ min: 0, max: 24 }))
      .map(([kind, halves]) => ({ kind, cumulativeQuantity: d(halves).div(2) })),
  );
  const eventsArb = fc.array(eventArb, { maxLength: 40 });

  it('never decreases filledQuantity and never leaves a terminal status', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        let state = order('PENDING_SUBMIT');
        for (const e of events) {
          const outcome = applyOrderEvent(state, e);
          if (outcome.kind !== 'APPLIED') continue;
          const next = outcome.state;
          expect(next.filledQuantity.gte(state.filledQuantity)).toBe(true);
          // The late-fill rule: a fill on a terminal order changes the quantity, never the status.
          if (isTerminalOrderStatus(state.status))
            expect([next.status, outcome.lateFill]).toEqual([state.status, true]);
          else expect(outcome.lateFill).toBe(false);
          state = next;
        }
      }),
    );
  });

  it('keeps statuses consistent with the fills and previousStatus set exactly while pending', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        let state = order('PENDING_SUBMIT');
        for (const e of events) {
          const outcome = applyOrderEvent(state, e);
          if (outcome.kind === 'APPLIED') state = outcome.state;
          if (['PENDING_SUBMIT', 'SUBMITTED', 'ACCEPTED', 'NEW'].includes(state.status))
            expect(state.filledQuantity.isZero()).toBe(true);
          if (state.status === 'PARTIALLY_FILLED') expect(state.filledQuantity.gt(0)).toBe(true);
          expect(state.previousStatus !== null).toBe(
            state.status === 'PENDING_CANCEL' || state.status === 'PENDING_REPLACE',
          );
        }
      }),
    );
  });

  it('applies the same event twice in a row at most once', () => {
    fc.assert(
      fc.property(eventsArb, eventArb, (events, repeated) => {
        const before = events.reduce((s, e) => {
          const o = applyOrderEvent(s, e);
          return o.kind === 'APPLIED' ? o.state : s;
        }, order('PENDING_SUBMIT'));
        const first = applyOrderEvent(before, repeated);
        if (first.kind !== 'APPLIED') return;
        expect(applyOrderEvent(first.state, repeated).kind).not.toBe('APPLIED');
      }),
    );
  });
});
