/**
 * An order inside the paper broker and its lifecycle. Invariants: status changes only along
 * ORDER_TRANSITIONS; terminal orders never change again; 0 <= filledQty <= qty; filledAvgPrice is
 * null exactly when nothing is filled; stopPrice is set exactly for stop and stop_limit orders, and
 * such an order executes only once triggered (triggeredAt set, never unset).
 */
import type { Decimal } from 'decimal.js';

declare const brand: unique symbol;
export type OrderId = string & { readonly [brand]: 'OrderId' };
export type ClientOrderId = string & { readonly [brand]: 'ClientOrderId' };
export type ExecutionId = string & { readonly [brand]: 'ExecutionId' };

export const asOrderId = (value: string): OrderId => value as OrderId;
export const asClientOrderId = (value: string): ClientOrderId => value as ClientOrderId;
export const asExecutionId = (value: string): ExecutionId => value as ExecutionId;

export type OrderStatus =
  | 'accepted'
  | 'new'
  | 'partially_filled'
  | 'filled'
  | 'pending_cancel'
  | 'pending_replace'
  | 'canceled'
  | 'expired'
  | 'rejected'
  | 'replaced';

export type Side = 'buy' | 'sell';
export type OrderClass = '' | 'oco';
export type OrderKind = 'market' | 'limit' | 'stop' | 'stop_limit';
export type TimeInForce = 'day' | 'gtc' | 'ioc' | 'fok';
export type AssetClass = 'us_equity' | 'us_option' | 'crypto';

export interface PaperOrder {
  id: OrderId;
  clientOrderId: ClientOrderId;
  symbol: string;
  assetClass: AssetClass;
  assetId: string;
  side: Side;
  type: OrderKind;
  timeInForce: TimeInForce;
  /** Units ordered; for a notional order the units its notional bought at acceptance. */
  qty: Decimal;
  /** Set for notional orders, whose `qty` is then null on the wire. */
  notional: Decimal | null;
  limitPrice: Decimal | null;
  /** Set for stop and stop_limit orders. */
  stopPrice: Decimal | null;
  /** When the stop price was crossed (epoch ns); null before, and for orders without a stop. */
  triggeredAt: bigint | null;
  extendedHours: boolean;
  status: OrderStatus;
  filledQty: Decimal;
  filledAvgPrice: Decimal | null;
  /** Sum of the fees of the executions so far. */
  commission: Decimal;
  replaces: OrderId | null;
  replacedBy: OrderId | null;
  /** `''` for a simple order, `oco` for either member of an OCO pair. */
  orderClass: OrderClass;
  /** The other member of an OCO pair (each names the other; a replacement takes over the link); null for a simple order. */
  ocoSiblingId: OrderId | null;
  /** True for an OCO's stop-loss leg, the member the broker created (listed in its parent's `legs`). */
  ocoLeg: boolean;
  /** Epoch nanoseconds. */
  createdAt: bigint;
  updatedAt: bigint;
  submittedAt: bigint;
  filledAt: bigint | null;
  canceledAt: bigint | null;
  expiredAt: bigint | null;
  failedAt: bigint | null;
  replacedAt: bigint | null;
  cancelRequestedAt: bigint | null;
}

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'expired', 'rejected', 'replaced']);

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  accepted: ['new', 'pending_cancel', 'pending_replace', 'rejected', 'canceled', 'expired'],
  new: ['partially_filled', 'filled', 'pending_cancel', 'pending_replace', 'canceled', 'expired', 'rejected'],
  partially_filled: ['partially_filled', 'filled', 'pending_cancel', 'pending_replace', 'canceled', 'expired'],
  // A fill may still land while a cancel or replace is pending: the fill wins.
  pending_cancel: ['canceled', 'partially_filled', 'filled'],
  pending_replace: ['replaced', 'partially_filled', 'filled', 'new'],
  filled: [],
  canceled: [],
  expired: [],
  rejected: [],
  replaced: [],
};

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL.has(status);
}

export function isOpen(status: OrderStatus): boolean {
  return !TERMINAL.has(status);
}

/** Statuses in which the matching engine may execute the order. */
export function isWorking(status: OrderStatus): boolean {
  return status === 'new' || status === 'partially_filled';
}

/** Why `from -> to` is not allowed, or null when it is. */
export function checkTransition(from: OrderStatus, to: OrderStatus): string | null {
  return ORDER_TRANSITIONS[from].includes(to) ? null : `order in status ${from} cannot become ${to}`;
}

/** The order after a status change stamped at `at`, or the reason it is refused. */
export function applyTransition(
  order: PaperOrder,
  to: OrderStatus,
  at: bigint,
): { ok: true; order: PaperOrder } | { ok: false; reason: string } {
  const reason = checkTransition(order.status, to);
  if (reason) return { ok: false, reason };
  const next: PaperOrder = { ...order, status: to, updatedAt: at };
  if (to === 'filled') next.filledAt = at;
  if (to === 'canceled') next.canceledAt = at;
  if (to === 'expired') next.expiredAt = at;
  if (to === 'rejected') next.failedAt = at;
  if (to === 'replaced') next.replacedAt = at;
  if (to === 'pending_cancel') next.cancelRequestedAt = at;
  return { ok: true, order: next };
}

/** True when the order may execute as far as its stop is concerned: no stop, or a triggered one. */
export function isTriggered(order: Pick<PaperOrder, 'stopPrice' | 'triggeredAt'>): boolean {
  return order.stopPrice === null || order.triggeredAt !== null;
}

export function remainingQty(order: PaperOrder): Decimal {
  return order.qty.minus(order.filledQty);
}
