/**
 * The order lifecycle as an explicit state machine. Pure.
 *
 * Invariants:
 * - `TRANSITIONS` is the only source of allowed moves; an event without a row is refused, never applied.
 * - `filledQuantity` never decreases: a fill whose cumulative quantity is not above it is ignored.
 * - A terminal status is never left. A fill on a terminal order (CANCELED, EXPIRED, REPLACED, FILLED) is
 *   still applied, because the broker executed it, keeps the status and is reported as `lateFill`.
 * - NEW and ACCEPTED mean nothing is filled: reached with fills already applied (an order resuming after
 *   DONE_FOR_DAY), they read PARTIALLY_FILLED.
 * - `previousStatus` is set on entering PENDING_CANCEL or PENDING_REPLACE and restored by a refused
 *   cancel or replace; every other move clears it.
 * - An overfill (cumulative above the order quantity) is broker truth: applied and flagged.
 */
import { readAlpacaStatus, readAlpacaUpdate, type BrokerUpdateReading } from '@tlp/broker';
import { isTerminalOrderStatus, OrderStatus, TERMINAL_ORDER_STATUSES } from '@tlp/contracts';
import type { Decimal } from 'decimal.js';
import type { BrokerUpdateRefusal, OrderTransitionRefusal } from './errors';

export interface OrderState {
  readonly status: OrderStatus;
  readonly quantity: Decimal;
  readonly filledQuantity: Decimal;
  /** The status to go back to when a pending cancel or replace is refused by the broker. */
  readonly previousStatus: OrderStatus | null;
}

/** Event kinds, past tense. `*_REQUESTED` and `SUBMITTED` are our own requests; the rest are broker reports. */
export const ORDER_EVENT_KINDS = [
  'SUBMITTED',
  'ACCEPTED',
  'ACKNOWLEDGED',
  'FILLED_PARTIALLY',
  'FILLED',
  'CANCEL_REQUESTED',
  'CANCEL_PENDING',
  'CANCELED',
  'CANCEL_REJECTED',
  'REPLACE_REQUESTED',
  'REPLACE_PENDING',
  'REPLACED',
  'REPLACE_REJECTED',
  'EXPIRED',
  'REJECTED',
  'DONE_FOR_DAY',
] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];
export type FillEventKind = 'FILLED_PARTIALLY' | 'FILLED';

export type OrderEvent =
  | { readonly kind: Exclude<OrderEventKind, FillEventKind> }
  /** `cumulativeQuantity`: the order's total filled quantity after this execution, as the broker reports it. */
  | { readonly kind: FillEventKind; readonly cumulativeQuantity: Decimal };

export type OrderEventIgnoredReason = 'STATUS_UNCHANGED' | 'FILL_ALREADY_APPLIED';

export type OrderEventOutcome =
  | {
      readonly kind: 'APPLIED';
      readonly state: OrderState;
      readonly lateFill: boolean;
      readonly overfill: boolean;
    }
  | { readonly kind: 'IGNORED'; readonly reason: OrderEventIgnoredReason }
  | {
      readonly kind: 'REFUSED';
      readonly code: OrderTransitionRefusal;
      readonly from: OrderStatus;
      readonly event: OrderEventKind;
    };

export type TransitionTarget = OrderStatus | 'RESTORE_PREVIOUS';

export { isTerminalOrderStatus, TERMINAL_ORDER_STATUSES };

export type TransitionTable = Readonly<
  Record<OrderStatus, Readonly<Partial<Record<OrderEventKind, TransitionTarget>>>>
>;

// A row whose target is the current status is allowed and changes nothing (a repeat, or a report the
// order has already moved past, such as `new` after a fill or `order_cancel_rejected` after the fill).
// prettier-ignore
export const TRANSITIONS: TransitionTable = {
  PENDING_SUBMIT: {
    SUBMITTED: 'SUBMITTED', ACCEPTED: 'ACCEPTED', ACKNOWLEDGED: 'NEW',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', REJECTED: 'REJECTED',
  },
  SUBMITTED: {
    SUBMITTED: 'SUBMITTED', ACCEPTED: 'ACCEPTED', ACKNOWLEDGED: 'NEW',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL', CANCEL_PENDING: 'PENDING_CANCEL', CANCEL_REJECTED: 'SUBMITTED',
    CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', REJECTED: 'REJECTED', DONE_FOR_DAY: 'DONE_FOR_DAY',
  },
  ACCEPTED: {
    SUBMITTED: 'ACCEPTED', ACCEPTED: 'ACCEPTED', ACKNOWLEDGED: 'NEW',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL', CANCEL_PENDING: 'PENDING_CANCEL', CANCEL_REJECTED: 'ACCEPTED',
    REPLACE_REQUESTED: 'PENDING_REPLACE', REPLACE_PENDING: 'PENDING_REPLACE', REPLACE_REJECTED: 'ACCEPTED',
    REPLACED: 'REPLACED', CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', REJECTED: 'REJECTED', DONE_FOR_DAY: 'DONE_FOR_DAY',
  },
  NEW: {
    SUBMITTED: 'NEW', ACCEPTED: 'NEW', ACKNOWLEDGED: 'NEW',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL', CANCEL_PENDING: 'PENDING_CANCEL', CANCEL_REJECTED: 'NEW',
    REPLACE_REQUESTED: 'PENDING_REPLACE', REPLACE_PENDING: 'PENDING_REPLACE', REPLACE_REJECTED: 'NEW',
    REPLACED: 'REPLACED', CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', REJECTED: 'REJECTED', DONE_FOR_DAY: 'DONE_FOR_DAY',
  },
  PARTIALLY_FILLED: {
    SUBMITTED: 'PARTIALLY_FILLED', ACCEPTED: 'PARTIALLY_FILLED', ACKNOWLEDGED: 'PARTIALLY_FILLED',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL', CANCEL_PENDING: 'PENDING_CANCEL', CANCEL_REJECTED: 'PARTIALLY_FILLED',
    REPLACE_REQUESTED: 'PENDING_REPLACE', REPLACE_PENDING: 'PENDING_REPLACE', REPLACE_REJECTED: 'PARTIALLY_FILLED',
    REPLACED: 'REPLACED', CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', DONE_FOR_DAY: 'DONE_FOR_DAY',
  },
  // A fill may land while the cancel or replace is pending: the fill wins.
  PENDING_CANCEL: {
    SUBMITTED: 'PENDING_CANCEL', ACCEPTED: 'PENDING_CANCEL', ACKNOWLEDGED: 'PENDING_CANCEL',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL', CANCEL_PENDING: 'PENDING_CANCEL', CANCEL_REJECTED: 'RESTORE_PREVIOUS',
    CANCELED: 'CANCELED', EXPIRED: 'EXPIRED',
  },
  // Alpaca rejects a cancel while a replace is pending, so no cancel rows here.
  PENDING_REPLACE: {
    SUBMITTED: 'PENDING_REPLACE', ACCEPTED: 'PENDING_REPLACE', ACKNOWLEDGED: 'PENDING_REPLACE',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    REPLACE_REQUESTED: 'PENDING_REPLACE', REPLACE_PENDING: 'PENDING_REPLACE', REPLACE_REJECTED: 'RESTORE_PREVIOUS',
    REPLACED: 'REPLACED', CANCELED: 'CANCELED', EXPIRED: 'EXPIRED',
  },
  DONE_FOR_DAY: {
    ACCEPTED: 'ACCEPTED', ACKNOWLEDGED: 'NEW',
    FILLED_PARTIALLY: 'PARTIALLY_FILLED', FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL', CANCEL_PENDING: 'PENDING_CANCEL', CANCEL_REJECTED: 'DONE_FOR_DAY',
    CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', DONE_FOR_DAY: 'DONE_FOR_DAY',
  },
  FILLED: { FILLED_PARTIALLY: 'FILLED', FILLED: 'FILLED', CANCEL_REJECTED: 'FILLED', REPLACE_REJECTED: 'FILLED' },
  CANCELED: { FILLED_PARTIALLY: 'CANCELED', FILLED: 'CANCELED', CANCELED: 'CANCELED' },
  EXPIRED: { FILLED_PARTIALLY: 'EXPIRED', FILLED: 'EXPIRED', EXPIRED: 'EXPIRED' },
  REJECTED: { REJECTED: 'REJECTED' },
  // Fills may still land on the replaced order's id.
  REPLACED: { FILLED_PARTIALLY: 'REPLACED', FILLED: 'REPLACED', REPLACED: 'REPLACED' },
};

const PENDING: ReadonlySet<OrderStatus> = new Set(['PENDING_CANCEL', 'PENDING_REPLACE']);

/** Applies one event to an order: the new state, or why the event is ignored or refused. */
export function applyOrderEvent(state: OrderState, event: OrderEvent): OrderEventOutcome {
  const from = state.status;
  if (event.kind === 'FILLED' || event.kind === 'FILLED_PARTIALLY') return applyFill(state, event);
  const target = TRANSITIONS[from][event.kind];
  if (target === undefined) return { kind: 'REFUSED', code: 'ILLEGAL_TRANSITION', from, event: event.kind };
  if (target === from) return { kind: 'IGNORED', reason: 'STATUS_UNCHANGED' };
  const status =
    target === 'RESTORE_PREVIOUS' ? restoredStatus(state) : settled(target, state.filledQuantity);
  const previousStatus = PENDING.has(status) ? from : null;
  return { kind: 'APPLIED', state: { ...state, status, previousStatus }, lateFill: false, overfill: false };
}

function applyFill(
  state: OrderState,
  event: { readonly kind: FillEventKind; readonly cumulativeQuantity: Decimal },
): OrderEventOutcome {
  const from = state.status;
  const cumulative = event.cumulativeQuantity;
  if (!cumulative.isFinite() || cumulative.isNegative()) {
    return { kind: 'REFUSED', code: 'INVALID_QUANTITY', from, event: event.kind };
  }
  // A "partial" fill that completes the order is a fill: reports of one execution can disagree.
  const kind = event.kind === 'FILLED_PARTIALLY' && cumulative.gte(state.quantity) ? 'FILLED' : event.kind;
  const target = TRANSITIONS[from][kind];
  if (target === undefined || target === 'RESTORE_PREVIOUS') {
    return { kind: 'REFUSED', code: 'ILLEGAL_TRANSITION', from, event: event.kind };
  }
  if (cumulative.lte(state.filledQuantity)) return { kind: 'IGNORED', reason: 'FILL_ALREADY_APPLIED' };
  const lateFill = isTerminalOrderStatus(from);
  const status = lateFill ? from : settled(target, cumulative);
  return {
    kind: 'APPLIED',
    state: {
      ...state,
      status,
      filledQuantity: cumulative,
      previousStatus: status === from ? state.previousStatus : null,
    },
    lateFill,
    overfill: cumulative.gt(state.quantity),
  };
}

function settled(status: OrderStatus, filledQuantity: Decimal): OrderStatus {
  return (status === 'NEW' || status === 'ACCEPTED') && filledQuantity.gt(0) ? 'PARTIALLY_FILLED' : status;
}

function restoredStatus(state: OrderState): OrderStatus {
  // A state loaded without its previous status (older rows) falls back to what the fills say.
  return settled(state.previousStatus ?? 'NEW', state.filledQuantity);
}

/** The CHECK constraint a migration puts on an order status column: the same states as the enum. */
export const ORDER_STATUSES_SQL_CHECK = `CHECK (status IN (${OrderStatus.options.map((s) => `'${s}'`).join(', ')}))`;

/** What the fill events of an Alpaca update need from its `order`: `filled_qty` and `qty` (null for notional). */
export interface AlpacaOrderQuantities {
  readonly filledQuantity: Decimal;
  readonly quantity: Decimal | null;
}

export type AlpacaUpdateReading =
  | { readonly kind: 'EVENT'; readonly event: OrderEvent }
  | { readonly kind: 'REFUSED'; readonly code: BrokerUpdateRefusal; readonly word: string };

/** The broker library reads Alpaca's words (one vocabulary, `@tlp/broker`); a fill event gets the cumulative quantity here. */
function eventOfReading(reading: BrokerUpdateReading, cumulativeQuantity: Decimal): AlpacaUpdateReading {
  if (reading.kind === 'REFUSED') return reading;
  const kind = reading.event;
  if (kind === 'FILLED' || kind === 'FILLED_PARTIALLY') return { kind: 'EVENT', event: { kind, cumulativeQuantity } };
  return { kind: 'EVENT', event: { kind } };
}

/** Reads an Alpaca `trade_updates` event word (with its order's status and quantities) as an order event. */
export function eventOfAlpacaUpdate(event: string, status: string, order: AlpacaOrderQuantities): AlpacaUpdateReading {
  return eventOfReading(readAlpacaUpdate(event, status, order.filledQuantity, order.quantity), order.filledQuantity);
}

/** Reads an Alpaca order status (from a poll, or a status-only update) as the event that leads to it. */
export function eventOfAlpacaStatus(status: string, order: AlpacaOrderQuantities): AlpacaUpdateReading {
  return eventOfReading(readAlpacaStatus(status, order.filledQuantity, order.quantity), order.filledQuantity);
}
