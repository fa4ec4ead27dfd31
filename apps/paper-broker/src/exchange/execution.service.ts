/**
 * Executes working orders against the simulated market. Invariants: an order has at most one
 * execution chain in flight; each execution re-reads the order and the price, so a cancel or
 * replace in between stops the chain and a limit order never fills beyond its limit; a stop or
 * stop_limit order executes only after its stop has triggered, and stays triggered from then on;
 * fills, positions and FILL activities change together, before the update is published.
 */
import type { Decimal } from 'decimal.js';
import { activityIdOf } from '../activities/activity-log';
import {
  applyExecution,
  calculateFee,
  calculateFillPrice,
  limitCrosses,
  sliceByParts,
  splitQuantity,
  stopTriggers,
} from '../market/matching';
import { asExecutionId, isTriggered, isWorking, remainingQty, type OrderId, type PaperOrder } from '../orders/paper-order';
import { transitionOrder, type ExchangeContext } from './exchange-context';
import { applyOcoAfterExecution } from './oco-orders';

export type WorkOutcome = 'EXECUTING' | 'RESTING' | 'BUSY';

/** An injected split for an order's next match: these executions, this far apart. */
export interface FillPlan {
  parts: readonly Decimal[];
  /** ms between executions; null = the configured latency. */
  delayMs: number | null;
}

export class ExecutionService {
  private inFlight = new Set<OrderId>();
  private fillPlans = new Map<OrderId, FillPlan>();

  constructor(private readonly ctx: ExchangeContext) {}

  /** Starts executing `order` if it is working and the market allows it now. */
  work(current: PaperOrder): WorkOutcome {
    if (this.inFlight.has(current.id) || !isWorking(current.status)) return 'BUSY';
    const order = this.trigger(current);
    if (!isTriggered(order) || !this.crosses(order)) return 'RESTING';
    const plan = this.fillPlans.get(order.id);
    this.fillPlans.delete(order.id);
    const slices = plan ? sliceByParts(remainingQty(order), plan.parts) : splitQuantity(remainingQty(order), this.ctx.settings.partialFills);
    this.inFlight.add(order.id);
    // IOC and FOK must complete at once; other orders spread their fills over the latency.
    const immediate = order.timeInForce === 'ioc' || order.timeInForce === 'fok';
    this.runChain(order.id, slices, immediate, plan?.delayMs ?? this.ctx.settings.latencyMs);
    return 'EXECUTING';
  }

  /** Splits the next match of order `id` as `plan` says instead of the configured split. */
  planFills(id: OrderId, plan: FillPlan): void {
    this.fillPlans.set(id, plan);
  }

  /** Triggers the stops and tries every resting limit, stop and stop_limit order in the given symbols. */
  matchResting(symbols: ReadonlySet<string>): void {
    for (const order of this.ctx.state.orders.all()) {
      if (order.type !== 'market' && symbols.has(order.symbol)) this.work(order);
    }
  }

  reset(): void {
    this.inFlight = new Set();
    this.fillPlans = new Map();
  }

  private runChain(id: OrderId, slices: readonly Decimal[], immediate: boolean, delayMs: number): void {
    let index = 0;
    const next = (): void => {
      const slice = slices[index];
      index += 1;
      const order = this.ctx.state.orders.get(id);
      const executed = order && slice ? this.executeSlice(order, slice) : null;
      const more = executed !== null && executed.status !== 'filled' && index < slices.length;
      if (!more) {
        this.inFlight.delete(id);
        return;
      }
      if (immediate) next();
      else this.ctx.scheduler.after(delayMs, next);
    };
    next();
  }

  /** The order, triggered and stored if its stop is crossed at the current price. No event: Alpaca sends none. */
  private trigger(order: PaperOrder): PaperOrder {
    if (!order.stopPrice || isTriggered(order)) return order;
    const { price } = this.ctx.state.market.priceOf(order.symbol, this.ctx.timestamps.next());
    if (!stopTriggers(order.side, order.stopPrice, price)) return order;
    const triggered: PaperOrder = { ...order, triggeredAt: this.ctx.timestamps.next() };
    this.ctx.state.orders.update(triggered);
    return triggered;
  }

  private crosses(order: PaperOrder): boolean {
    if (!order.limitPrice) return true;
    const { price } = this.ctx.state.market.priceOf(order.symbol, this.ctx.timestamps.next());
    return limitCrosses(order.side, order.limitPrice, price);
  }

  /** One execution; null when the order can no longer trade (canceled, replaced, price moved away). */
  private executeSlice(order: PaperOrder, qty: Decimal): PaperOrder | null {
    if (!isWorking(order.status) || !isTriggered(order) || !this.crosses(order)) return null;
    const { state, settings, timestamps } = this.ctx;
    const market = state.market.priceOf(order.symbol, timestamps.next()).price;
    const price = calculateFillPrice(order.side, market, order.limitPrice);
    const commission = calculateFee(qty, settings.feePerUnit);
    const fill = applyExecution(order, qty, price);
    const status = fill.filledQty.gte(order.qty) ? 'filled' : 'partially_filled';
    const updated = transitionOrder(this.ctx, order, status, { ...fill, commission: order.commission.plus(commission) });
    const positionQty = state.positions.apply(order.symbol, order.side, qty, price);
    const executionId = asExecutionId(this.ctx.newId());
    state.activities.record({
      id: activityIdOf(executionId, updated.updatedAt),
      executionId,
      transactionTime: updated.updatedAt,
      type: status === 'filled' ? 'fill' : 'partial_fill',
      price,
      qty,
      side: order.side,
      symbol: order.symbol,
      leavesQty: remainingQty(updated),
      cumQty: updated.filledQty,
      orderId: order.id,
      orderStatus: updated.status,
      commission,
    });
    this.ctx.publish({
      event: status === 'filled' ? 'fill' : 'partial_fill',
      order: updated,
      at: updated.updatedAt,
      execution: { id: executionId, price, qty, commission },
      positionQty,
    });
    applyOcoAfterExecution(this.ctx, updated);
    return updated;
  }
}
