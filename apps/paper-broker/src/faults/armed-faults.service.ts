/**
 * The fault injector behind `/_admin/faults` and `PAPER_BROKER_FAULTS`: holds the current
 * `FaultPlan`, asks the pure decisions and keeps the plan they return.
 */
import type { TradeUpdateEvent } from '../exchange/trade-update';
import type { FaultInjector, FaultRequest, FaultResponse } from './fault-injector';
import {
  armRules,
  decideRequest,
  decideStreamAuth,
  decideUpdate,
  EMPTY_PLAN,
  type FaultPlan,
  type RequestFaults,
  type RequestSubject,
  type UpdateFaults,
} from './fault-plan';
import { toFaultRule, type FaultRule, type FaultRuleSpec } from './fault-rules';

export interface ArmedFaultsDeps {
  nowMs: () => number;
  /** Symbol and client order id of an order by broker id, to match `/v2/orders/:id` requests. */
  describeOrder: (orderId: string) => { symbol: string; clientOrderId: string } | null;
  /** Cuts every stream connection; answers how many. */
  disconnectStreams: () => number;
}

const ORDER_PATH = /^\/v2\/orders\/([^/]+)$/;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export class ArmedFaults implements FaultInjector {
  private plan: FaultPlan = EMPTY_PLAN;
  private sequence = 0;

  constructor(private readonly deps: ArmedFaultsDeps) {}

  /** Adds rules after the armed ones; a disconnect due now happens before this returns. */
  arm(specs: readonly FaultRuleSpec[]): { rules: FaultRule[]; disconnected: number } {
    const rules = specs.map((spec) => toFaultRule(spec, `fault-${(this.sequence += 1)}`));
    const armed = armRules(this.plan, rules);
    this.plan = armed.plan;
    return { rules, disconnected: armed.disconnectNow ? this.deps.disconnectStreams() : 0 };
  }

  list(): readonly FaultRule[] {
    return this.plan.rules;
  }

  /** Disarms every rule, or the one with `id`; answers how many were removed. */
  clear(id?: string): number {
    const before = this.plan.rules.length;
    this.plan = id === undefined ? EMPTY_PLAN : { rules: this.plan.rules.filter((r) => r.id !== id) };
    return before - this.plan.rules.length;
  }

  decideRequest(request: FaultRequest): RequestFaults {
    const decided = decideRequest(this.plan, this.subjectOf(request), this.deps.nowMs());
    this.plan = decided.plan;
    return decided.faults;
  }

  decideUpdate(update: TradeUpdateEvent): UpdateFaults {
    const subject = { event: update.event, symbol: update.order.symbol, clientOrderId: update.order.clientOrderId };
    const decided = decideUpdate(this.plan, subject);
    this.plan = decided.plan;
    return decided.faults;
  }

  refusesStream(): boolean {
    const decided = decideStreamAuth(this.plan);
    this.plan = decided.plan;
    return decided.refuse;
  }

  interceptRequest(method: string, path: string): FaultResponse | null {
    return this.decideRequest({ method, path, query: new URLSearchParams(), body: null }).refusal;
  }

  copiesOf(update: TradeUpdateEvent): number {
    return this.decideUpdate(update).copies;
  }

  private subjectOf(request: FaultRequest): RequestSubject {
    const { method, path, body, query } = request;
    const orderId = ORDER_PATH.exec(path)?.[1];
    const order = orderId ? this.deps.describeOrder(decodeURIComponent(orderId)) : null;
    const symbols = text(query.get('symbols'));
    return {
      method,
      path,
      symbol: text(body?.symbol) ?? order?.symbol ?? (symbols && !symbols.includes(',') ? symbols : null),
      clientOrderId: text(body?.client_order_id) ?? text(query.get('client_order_id')) ?? order?.clientOrderId ?? null,
      createsOrder: (method === 'POST' && path === '/v2/orders') || (method === 'PATCH' && orderId !== undefined),
    };
  }
}
