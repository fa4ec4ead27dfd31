/**
 * The armed faults as a value, and pure decisions over it. Invariants: a decision returns the plan
 * to keep (a rule that fired has one firing less and is gone when none are left); rules are tried
 * in the order they were armed and at most one rule of each kind fires per request or update; an
 * `error` refuses the request, so nothing else fires with it; a dropped update counts for nothing
 * else.
 */
import type { Decimal } from 'decimal.js';
import type { TradeEventName } from '../exchange/trade-update';
import type { FaultResponse } from './fault-injector';
import type { Fault, FaultKind, FaultRule } from './fault-rules';
import { isOrderFault, isStreamFault } from './fault-rules';

export interface FaultPlan {
  readonly rules: readonly FaultRule[];
}

export const EMPTY_PLAN: FaultPlan = { rules: [] };

/** What a request is about: its route, and the symbol and client order id in its body, query or order. */
export interface RequestSubject {
  method: string;
  path: string;
  symbol: string | null;
  clientOrderId: string | null;
  /** POST /v2/orders and PATCH /v2/orders/:id create an order. */
  createsOrder: boolean;
}

/** What happens to the order a request creates. */
export interface OrderFaults {
  /** Executions to split each match into, in order; null = the configured split. */
  fillParts: Decimal[] | null;
  /** Delay between those executions, ms; null = the configured latency. */
  fillDelayMs: number | null;
  /** Accept it, then reject it on the stream instead of `new`. */
  reject: boolean;
  /** Acknowledge and match it before the HTTP response is written. */
  actNow: boolean;
}

export interface RequestFaults {
  /** Answer with this instead of routing. */
  refusal: FaultResponse | null;
  /** Process the request, then withhold the response for `ms` and close the socket (or answer late). */
  hang: { ms: number; then: 'close' | 'respond' } | null;
  /** Delay of the response after the request was processed, ms. */
  responseDelayMs: number;
  order: OrderFaults | null;
}

export interface UpdateSubject {
  event: TradeEventName;
  symbol: string;
  clientOrderId: string;
}

export interface UpdateFaults {
  /** Copies to deliver: 0 drops the update. */
  copies: number;
  /** Cut every stream connection after delivering it. */
  disconnect: boolean;
}

const TEMPLATE_PARAM = /^:[A-Za-z_]+$/;

/** `*`, or the same method (or `*`) and a path equal segment by segment, `:param` matching any one segment. */
export function routeMatches(route: string, method: string, path: string): boolean {
  if (route === '*') return true;
  const [routeMethod = '', template = ''] = route.split(' ');
  if (routeMethod !== '*' && routeMethod !== method) return false;
  const expected = template.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return false;
  return expected.every((segment, i) => segment === actual[i] || (TEMPLATE_PARAM.test(segment) && (actual[i] ?? '') !== ''));
}

function subjectMatches(rule: FaultRule, symbol: string | null, clientOrderId: string | null): boolean {
  if (rule.symbol !== null && rule.symbol !== symbol) return false;
  return rule.clientOrderId === null || rule.clientOrderId === clientOrderId;
}

function requestMatches(rule: FaultRule, subject: RequestSubject): boolean {
  if (isStreamFault(rule.fault.kind)) return false;
  if (isOrderFault(rule.fault.kind) && !subject.createsOrder) return false;
  return routeMatches(rule.route, subject.method, subject.path) && subjectMatches(rule, subject.symbol, subject.clientOrderId);
}

/** The rule after one firing, or null when it is used up. */
function fired(rule: FaultRule): FaultRule | null {
  if (rule.remaining === null) return rule;
  return rule.remaining > 1 ? { ...rule, remaining: rule.remaining - 1 } : null;
}

/** Fires the first matching rule of each kind (only the first matching rule of all when `firstOnly`). */
function fireRules(plan: FaultPlan, matches: (rule: FaultRule) => boolean, firstOnly = false): { plan: FaultPlan; fired: Fault[] } {
  const firedKinds = new Set<FaultKind>();
  const faults: Fault[] = [];
  const rules: FaultRule[] = [];
  for (const rule of plan.rules) {
    const fires = !firedKinds.has(rule.fault.kind) && !(firstOnly && faults.length > 0) && matches(rule);
    if (!fires) {
      rules.push(rule);
      continue;
    }
    firedKinds.add(rule.fault.kind);
    faults.push(rule.fault);
    const next = fired(rule);
    if (next) rules.push(next);
  }
  return { plan: { rules }, fired: faults };
}

/** The response of an `error` fault: Alpaca's error body, Retry-After when asked, an exhausted budget for 429. */
export function refusalOf(fault: Extract<Fault, { kind: 'error' }>, nowMs: number): FaultResponse {
  const headers: Record<string, string> = {};
  if (fault.retryAfterS !== null) headers['Retry-After'] = String(fault.retryAfterS);
  if (fault.status === 429) {
    headers['X-RateLimit-Remaining'] = '0';
    headers['X-RateLimit-Reset'] = String(Math.ceil(nowMs / 1000) + (fault.retryAfterS ?? 1));
  }
  return { status: fault.status, body: { ...fault.fields, code: fault.code, message: fault.message }, headers };
}

function orderFaultsOf(faults: readonly Fault[]): OrderFaults | null {
  const order: OrderFaults = { fillParts: null, fillDelayMs: null, reject: false, actNow: false };
  for (const fault of faults) {
    if (fault.kind === 'partial_fills') {
      order.fillParts = fault.parts;
      order.fillDelayMs = fault.delayMs;
    }
    if (fault.kind === 'reject') order.reject = true;
    if (fault.kind === 'fill_before_response') order.actNow = true;
  }
  return faults.some((f) => isOrderFault(f.kind)) ? order : null;
}

export function decideRequest(plan: FaultPlan, subject: RequestSubject, nowMs: number): { plan: FaultPlan; faults: RequestFaults } {
  const refused = fireRules(plan, (r) => r.fault.kind === 'error' && requestMatches(r, subject), true);
  const error = refused.fired[0];
  if (error?.kind === 'error') {
    return { plan: refused.plan, faults: { refusal: refusalOf(error, nowMs), hang: null, responseDelayMs: 0, order: null } };
  }
  const { plan: next, fired: faults } = fireRules(plan, (r) => r.fault.kind !== 'error' && requestMatches(r, subject));
  const timeout = faults.find((f) => f.kind === 'timeout');
  const early = faults.find((f) => f.kind === 'fill_before_response');
  return {
    plan: next,
    faults: {
      refusal: null,
      hang: timeout?.kind === 'timeout' ? { ms: timeout.hangMs, then: timeout.then } : null,
      responseDelayMs: early?.kind === 'fill_before_response' ? early.delayMs : 0,
      order: orderFaultsOf(faults),
    },
  };
}

function updateMatches(rule: FaultRule, kind: FaultKind, subject: UpdateSubject): boolean {
  const { fault } = rule;
  if (fault.kind !== kind || !subjectMatches(rule, subject.symbol, subject.clientOrderId)) return false;
  const events = fault.kind === 'drop_stream' || fault.kind === 'duplicate_stream' ? fault.events : null;
  return events === null || events.includes(subject.event);
}

/** Counts a delivered update against every matching disconnect rule; true when one reaches its count. */
function countTowardsDisconnect(plan: FaultPlan, subject: UpdateSubject): { plan: FaultPlan; disconnect: boolean } {
  let disconnect = false;
  const rules: FaultRule[] = [];
  for (const rule of plan.rules) {
    if (rule.fault.kind !== 'disconnect_stream' || !updateMatches(rule, 'disconnect_stream', subject)) {
      rules.push(rule);
      continue;
    }
    const seen = rule.seen + 1;
    if (seen < rule.fault.afterMessages) {
      rules.push({ ...rule, seen });
      continue;
    }
    disconnect = true;
    const next = fired(rule);
    if (next) rules.push({ ...next, seen: 0 });
  }
  return { plan: { rules }, disconnect };
}

export function decideUpdate(plan: FaultPlan, subject: UpdateSubject): { plan: FaultPlan; faults: UpdateFaults } {
  const dropped = fireRules(plan, (r) => updateMatches(r, 'drop_stream', subject), true);
  if (dropped.fired.length > 0) return { plan: dropped.plan, faults: { copies: 0, disconnect: false } };
  const duplicated = fireRules(plan, (r) => updateMatches(r, 'duplicate_stream', subject), true);
  const duplicate = duplicated.fired[0];
  const copies = duplicate?.kind === 'duplicate_stream' ? duplicate.copies : 1;
  const counted = countTowardsDisconnect(duplicated.plan, subject);
  return { plan: counted.plan, faults: { copies, disconnect: counted.disconnect } };
}

/** Splits a plan at arming: disconnects due now fire at once and are not kept; a stream refusal also cuts the open connections. */
export function armRules(plan: FaultPlan, rules: readonly FaultRule[]): { plan: FaultPlan; disconnectNow: boolean } {
  const now = rules.filter((r) => r.fault.kind === 'disconnect_stream' && r.fault.afterMessages === 0);
  const kept = rules.filter((r) => !now.includes(r));
  const refusing = kept.some((r) => r.fault.kind === 'refuse_stream');
  return { plan: { rules: [...plan.rules, ...kept] }, disconnectNow: now.length > 0 || refusing };
}

/** Whether a stream authentication is refused now; fires the first `refuse_stream` rule. */
export function decideStreamAuth(plan: FaultPlan): { plan: FaultPlan; refuse: boolean } {
  const refused = fireRules(plan, (r) => r.fault.kind === 'refuse_stream', true);
  return { plan: refused.plan, refuse: refused.fired.length > 0 };
}
