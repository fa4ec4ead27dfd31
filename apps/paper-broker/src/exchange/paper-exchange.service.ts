/**
 * The simulated venue's order entry: submit, cancel and replace with Alpaca's asynchronous
 * semantics (the HTTP answer first, `new`/`canceled`/`replaced` on the stream after the configured
 * latency), market steps, and the regular-session rules when market hours are real.
 */
import { Decimal } from 'decimal.js';
import { v5 as uuidv5 } from 'uuid';
import { readClock, sessionCloseFor } from '../clock/market-clock';
import { nsToMs } from '../clock/timestamps';
import { fail, ok, type Result } from '../errors';
import { calculateNotionalQuantity } from '../market/matching';
import { validateNewOrder, validateReplace, type NewOrderRequest } from '../orders/order-validation';
import {
  asClientOrderId,
  asOrderId,
  isTerminal,
  isWorking,
  type ClientOrderId,
  type OrderId,
  type PaperOrder,
} from '../orders/paper-order';
import type { OrderFaults } from '../faults/fault-plan';
import { publishOrderEvent, transitionOrder, type ExchangeContext } from './exchange-context';
import { ExecutionService } from './execution.service';
import { ocoLegOf, ocoMembersToCancel } from './oco-orders';

/** Namespace of the deterministic asset ids (uuid v5 of the symbol). */
const ASSET_NAMESPACE = '6f1b7c52-3f0e-4c8e-9d0a-5a7e2b1c9d10';

export function assetIdOf(symbol: string): string {
  return uuidv5(symbol, ASSET_NAMESPACE);
}

export class PaperExchange {
  private readonly execution: ExecutionService;
  /** Orders accepted while the market was closed (real hours), acknowledged at the next open. */
  private deferred = new Set<OrderId>();
  /** Orders to reject instead of acknowledging (an injected fault). */
  private rejects = new Set<OrderId>();

  constructor(private readonly ctx: ExchangeContext) {
    this.execution = new ExecutionService(ctx);
  }

  /** `faults` are injected by tests: a fill split, a rejection, or acting before the answer. */
  submit(body: Record<string, unknown>, faults: OrderFaults | null = null): Result<PaperOrder> {
    const request = validateNewOrder(body);
    if (!request.ok) return request;
    const clientOrderId = asClientOrderId(request.value.clientOrderId ?? this.ctx.newId());
    if (this.ctx.state.orders.hasClientOrderId(clientOrderId)) {
      return fail('DUPLICATE_CLIENT_ORDER_ID', 'client_order_id must be unique');
    }
    const qty = this.quantityOf(request.value);
    if (!qty) return fail('INVALID_REQUEST', 'notional is too small to buy any quantity');
    const order = this.newOrder(request.value, clientOrderId, qty);
    const leg = request.value.stopLoss
      ? ocoLegOf(order, { id: asOrderId(this.ctx.newId()), clientOrderId: asClientOrderId(this.ctx.newId()), ...request.value.stopLoss })
      : null;
    const placed: PaperOrder = leg ? { ...order, ocoSiblingId: leg.id } : order;
    this.ctx.state.orders.add(placed);
    if (leg) this.ctx.state.orders.add(leg);
    this.applyFaults(order.id, faults);
    const members = leg ? [order.id, leg.id] : [order.id];
    if (faults?.actNow) members.forEach((id) => this.acknowledge(id));
    else this.ctx.scheduler.after(this.ctx.settings.latencyMs, () => members.forEach((id) => this.acknowledge(id)));
    return ok(placed);
  }

  cancel(id: OrderId): Result<null> {
    const order = this.ctx.state.orders.get(id);
    if (!order) return fail('ORDER_NOT_FOUND', 'order not found');
    if (order.status === 'pending_cancel') return ok(null);
    if (isTerminal(order.status) || order.status === 'pending_replace') {
      return fail('NOT_CANCELABLE', `order is already in "${order.status}" state`);
    }
    for (const member of [order, ...ocoMembersToCancel(this.ctx, order)]) {
      transitionOrder(this.ctx, member, 'pending_cancel');
      this.ctx.scheduler.after(this.ctx.settings.latencyMs, () => this.completeCancel(member.id));
    }
    return ok(null);
  }

  replace(id: OrderId, body: Record<string, unknown>, faults: OrderFaults | null = null): Result<PaperOrder> {
    const old = this.ctx.state.orders.get(id);
    if (!old) return fail('ORDER_NOT_FOUND', 'order not found');
    if (!isWorking(old.status) && old.status !== 'accepted') {
      return fail('NOT_REPLACEABLE', `order is not replaceable in "${old.status}" state`);
    }
    if (old.filledQty.gt(0)) return fail('UNSUPPORTED', 'the paper broker does not replace partially filled orders');
    if (old.orderClass === 'oco' && body.qty !== undefined) return fail('UNSUPPORTED', 'an OCO leg may change its limit_price or stop_price only');
    const request = validateReplace(body, old.type);
    if (!request.ok) return request;
    if (request.value.stopPrice && old.triggeredAt !== null) {
      return fail('NOT_REPLACEABLE', 'stop_price cannot be replaced once the stop has triggered');
    }
    const clientOrderId = asClientOrderId(request.value.clientOrderId ?? this.ctx.newId());
    if (this.ctx.state.orders.hasClientOrderId(clientOrderId)) {
      return fail('DUPLICATE_CLIENT_ORDER_ID', 'client_order_id must be unique');
    }
    const at = this.ctx.timestamps.next();
    const replacement: PaperOrder = {
      ...this.blankOrder(old.symbol, clientOrderId, at),
      assetClass: old.assetClass,
      side: old.side,
      type: old.type,
      extendedHours: old.extendedHours,
      timeInForce: request.value.timeInForce ?? old.timeInForce,
      qty: request.value.qty ?? old.qty,
      limitPrice: request.value.limitPrice ?? old.limitPrice,
      stopPrice: request.value.stopPrice ?? old.stopPrice,
      // A triggered stop_limit is a plain limit order now; its replacement does not wait for the stop again.
      triggeredAt: old.triggeredAt,
      replaces: old.id,
      orderClass: old.orderClass,
      ocoSiblingId: old.ocoSiblingId,
      ocoLeg: old.ocoLeg,
    };
    this.ctx.state.orders.add(replacement);
    transitionOrder(this.ctx, old, 'pending_replace');
    this.applyFaults(replacement.id, faults);
    if (faults?.actNow) this.completeReplace(old.id, replacement.id);
    else this.ctx.scheduler.after(this.ctx.settings.latencyMs, () => this.completeReplace(old.id, replacement.id));
    return ok(replacement);
  }

  setPrice(symbol: string, price: Decimal): Decimal {
    const set = this.ctx.state.market.setPrice(symbol, price, this.ctx.timestamps.next());
    this.execution.matchResting(new Set([symbol]));
    return set;
  }

  /** Advances the market `steps` times, matching resting orders after each step. */
  step(steps: number): void {
    for (let i = 0; i < steps; i += 1) {
      const changed = this.ctx.state.market.step(this.ctx.timestamps.next());
      this.execution.matchResting(new Set(changed));
    }
  }

  /** The periodic tick: one market step, then the session rules when hours are real. */
  tick(): void {
    this.step(1);
    if (this.ctx.settings.marketHours === 'real') this.applySessionRules();
  }

  reset(): void {
    this.ctx.scheduler.cancelAll();
    this.ctx.state.reset();
    this.execution.reset();
    this.deferred = new Set();
    this.rejects = new Set();
  }

  private applyFaults(id: OrderId, faults: OrderFaults | null): void {
    if (faults?.reject) this.rejects.add(id);
    if (faults?.fillParts) this.execution.planFills(id, { parts: faults.fillParts, delayMs: faults.fillDelayMs });
  }

  private acknowledge(id: OrderId): void {
    const order = this.ctx.state.orders.get(id);
    if (!order || order.status !== 'accepted') return;
    if (this.rejects.delete(id)) {
      publishOrderEvent(this.ctx, 'rejected', transitionOrder(this.ctx, order, 'rejected'));
      return;
    }
    if (!this.marketOpen()) {
      this.deferred.add(id);
      return;
    }
    const working = transitionOrder(this.ctx, order, 'new');
    publishOrderEvent(this.ctx, 'new', working);
    const outcome = this.execution.work(working);
    const immediateOnly = working.timeInForce === 'ioc' || working.timeInForce === 'fok';
    if (outcome === 'RESTING' && immediateOnly) this.expire(working);
  }

  private completeCancel(id: OrderId): void {
    const order = this.ctx.state.orders.get(id);
    if (!order || order.status !== 'pending_cancel') return;
    publishOrderEvent(this.ctx, 'canceled', transitionOrder(this.ctx, order, 'canceled'));
  }

  private completeReplace(oldId: OrderId, newId: OrderId): void {
    const old = this.ctx.state.orders.get(oldId);
    const replacement = this.ctx.state.orders.get(newId);
    if (!old || !replacement) return;
    if (old.status !== 'pending_replace') {
      // The old order traded or ended first: the replacement is refused.
      publishOrderEvent(this.ctx, 'rejected', transitionOrder(this.ctx, replacement, 'rejected'));
      return;
    }
    publishOrderEvent(this.ctx, 'replaced', transitionOrder(this.ctx, old, 'replaced', { replacedBy: newId }));
    const sibling = old.ocoSiblingId ? this.ctx.state.orders.get(old.ocoSiblingId) : undefined;
    if (sibling) this.ctx.state.orders.update({ ...sibling, ocoSiblingId: newId });
    this.acknowledge(newId);
  }

  private expire(order: PaperOrder): void {
    publishOrderEvent(this.ctx, 'expired', transitionOrder(this.ctx, order, 'expired'));
  }

  private applySessionRules(): void {
    const nowMs = this.ctx.nowMs();
    if (this.marketOpen()) {
      const waiting = [...this.deferred];
      this.deferred = new Set();
      for (const id of waiting) this.acknowledge(id);
      return;
    }
    for (const order of this.ctx.state.orders.all()) {
      const dayOver = order.timeInForce === 'day' && sessionCloseFor(nsToMs(order.submittedAt)) <= nowMs;
      if (dayOver && isWorking(order.status)) this.expire(order);
    }
  }

  private marketOpen(): boolean {
    return readClock(this.ctx.nowMs(), this.ctx.settings.marketHours).isOpen;
  }

  private quantityOf(request: NewOrderRequest): Decimal | null {
    if (request.qty) return request.qty;
    if (!request.notional) return null;
    const { price } = this.ctx.state.market.priceOf(request.symbol, this.ctx.timestamps.next());
    const qty = calculateNotionalQuantity(request.notional, price);
    return qty.gt(0) ? qty : null;
  }

  private newOrder(request: NewOrderRequest, clientOrderId: ClientOrderId, qty: Decimal): PaperOrder {
    const at = this.ctx.timestamps.next();
    return {
      ...this.blankOrder(request.symbol, clientOrderId, at),
      assetClass: request.assetClass,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce,
      qty,
      notional: request.notional,
      limitPrice: request.limitPrice,
      stopPrice: request.stopPrice,
      extendedHours: request.extendedHours,
      orderClass: request.orderClass,
    };
  }

  private blankOrder(symbol: string, clientOrderId: ClientOrderId, at: bigint): PaperOrder {
    const zero = new Decimal(0);
    return {
      id: asOrderId(this.ctx.newId()),
      clientOrderId,
      symbol,
      assetClass: 'us_equity',
      assetId: assetIdOf(symbol),
      side: 'buy',
      type: 'market',
      timeInForce: 'day',
      qty: zero,
      notional: null,
      limitPrice: null,
      stopPrice: null,
      triggeredAt: null,
      extendedHours: false,
      status: 'accepted',
      filledQty: zero,
      filledAvgPrice: null,
      commission: zero,
      replaces: null,
      replacedBy: null,
      orderClass: '',
      ocoSiblingId: null,
      ocoLeg: false,
      createdAt: at,
      updatedAt: at,
      submittedAt: at,
      filledAt: null,
      canceledAt: null,
      expiredAt: null,
      failedAt: null,
      replacedAt: null,
      cancelRequestedAt: null,
    };
  }
}
