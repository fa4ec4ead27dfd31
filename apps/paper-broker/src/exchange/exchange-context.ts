/** What the venue's services share: state, settings, time, ids, deferred work and the update sink. */
import type { Decimal } from 'decimal.js';
import type { MarketHours } from '../clock/market-clock';
import type { NanoTimestamps } from '../clock/timestamps';
import { applyTransition, type OrderStatus, type PaperOrder } from '../orders/paper-order';
import type { ExchangeState } from './exchange-state';
import type { Scheduler } from './scheduler';
import type { TradeUpdateEvent } from './trade-update';

export interface ExchangeSettings {
  /** Delay of acknowledgements, cancels, replaces and between partial fills, ms. */
  latencyMs: number;
  /** Executions a match is split into (1 = one fill). */
  partialFills: number;
  feePerUnit: Decimal;
  marketHours: MarketHours;
}

export interface ExchangeContext {
  state: ExchangeState;
  settings: ExchangeSettings;
  timestamps: NanoTimestamps;
  nowMs: () => number;
  scheduler: Scheduler;
  newId: () => string;
  publish: (update: TradeUpdateEvent) => void;
}

/**
 * Applies a status change and stores it. An illegal transition here is a bug in the simulator, not
 * a client error: fail fast.
 */
export function transitionOrder(
  ctx: ExchangeContext,
  order: PaperOrder,
  to: OrderStatus,
  patch: Partial<PaperOrder> = {},
): PaperOrder {
  const result = applyTransition({ ...order, ...patch }, to, ctx.timestamps.next());
  if (!result.ok) throw new Error(`paper broker invariant broken: ${result.reason} (order ${order.id})`);
  ctx.state.orders.update(result.order);
  return result.order;
}

/** Publishes a non-execution event for an order. */
export function publishOrderEvent(ctx: ExchangeContext, event: TradeUpdateEvent['event'], order: PaperOrder): void {
  ctx.publish({ event, order, at: order.updatedAt, execution: null, positionQty: null });
}
