/**
 * The wire form of fault rules (`POST /_admin/faults`, `PAPER_BROKER_FAULTS`) and its parsing into
 * `FaultRule` values. Invariants: every rule names one fault kind; routes are `*` or
 * `METHOD /path` with `:param` segments; order faults only target order-creating routes; stream
 * faults take no route; a count is a positive whole number or "always".
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { TradeEventName } from '../exchange/trade-update';

export const ORDER_ROUTES: readonly string[] = ['*', 'POST /v2/orders', 'PATCH /v2/orders/:id'];
const ROUTE = /^(\*|(\*|GET|POST|PATCH|DELETE) \/[^\s]*)$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const EVENTS = ['new', 'partial_fill', 'fill', 'canceled', 'expired', 'replaced', 'rejected'] as const;

export type Fault =
  | { kind: 'error'; status: number; code: number; message: string; retryAfterS: number | null; fields: Record<string, unknown> }
  | { kind: 'timeout'; hangMs: number; then: 'close' | 'respond' }
  | { kind: 'partial_fills'; parts: Decimal[]; delayMs: number | null }
  | { kind: 'reject' }
  | { kind: 'fill_before_response'; delayMs: number }
  | { kind: 'drop_stream'; events: TradeEventName[] | null }
  | { kind: 'duplicate_stream'; copies: number; events: TradeEventName[] | null }
  | { kind: 'disconnect_stream'; afterMessages: number }
  /** Closes the stream connections open now and refuses the authentication of new ones, `times` attempts (or always). */
  | { kind: 'refuse_stream' };

export type FaultKind = Fault['kind'];

export interface FaultRule {
  id: string;
  /** `*` or `METHOD /path`, e.g. `GET /v2/orders/:id`. */
  route: string;
  symbol: string | null;
  clientOrderId: string | null;
  /** Firings requested; null = always. */
  times: number | null;
  /** Firings left; null = always. */
  remaining: number | null;
  /** Matching messages seen since the last disconnect (disconnect_stream only). */
  seen: number;
  fault: Fault;
}

const ms = (max: number) => z.number().int().min(0).max(max);
const events = z.array(z.enum(EVENTS)).min(1).optional();

const common = {
  route: z.string().regex(ROUTE, 'must be "*" or "METHOD /path", e.g. "GET /v2/orders/:id"').optional(),
  symbol: z.string().min(1).optional(),
  client_order_id: z.string().min(1).optional(),
  times: z.union([z.number().int().min(1).max(1_000_000), z.literal('always')]).optional(),
};

const RuleSpec = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('error'),
    status: z.number().int().min(400).max(599),
    code: z.number().int().min(10_000_000).max(99_999_999).optional(),
    message: z.string().optional(),
    retry_after_s: z.number().int().min(0).max(3600).optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ ...common, kind: z.literal('timeout'), hang_ms: ms(600_000).optional(), then: z.enum(['close', 'respond']).optional() }),
  z.object({
    ...common,
    kind: z.literal('partial_fills'),
    parts: z.array(z.string().regex(DECIMAL, 'must be a positive decimal string').refine((p) => new Decimal(p).gt(0), 'must be positive')).min(1).max(100),
    delay_ms: ms(60_000).optional(),
  }),
  z.object({ ...common, kind: z.literal('reject') }),
  z.object({ ...common, kind: z.literal('fill_before_response'), delay_ms: ms(60_000).optional() }),
  z.object({ ...common, kind: z.literal('drop_stream'), events }),
  z.object({ ...common, kind: z.literal('duplicate_stream'), copies: z.number().int().min(2).max(100).optional(), events }),
  z.object({ ...common, kind: z.literal('disconnect_stream'), after_messages: z.number().int().min(0).max(1_000_000).optional() }),
  z.object({ ...common, kind: z.literal('refuse_stream') }),
]);

export type FaultRuleSpec = z.infer<typeof RuleSpec>;

const STREAM_KINDS: ReadonlySet<FaultKind> = new Set(['drop_stream', 'duplicate_stream', 'disconnect_stream', 'refuse_stream']);
const ORDER_KINDS: ReadonlySet<FaultKind> = new Set(['partial_fills', 'reject', 'fill_before_response']);

export const isStreamFault = (kind: FaultKind): boolean => STREAM_KINDS.has(kind);
export const isOrderFault = (kind: FaultKind): boolean => ORDER_KINDS.has(kind);

function checkRoute(spec: FaultRuleSpec, ctx: z.RefinementCtx): void {
  const route = spec.route ?? '*';
  if (isStreamFault(spec.kind) && route !== '*') ctx.addIssue({ code: 'custom', path: ['route'], message: `${spec.kind} takes no route` });
  if (isOrderFault(spec.kind) && !ORDER_ROUTES.includes(route)) {
    ctx.addIssue({ code: 'custom', path: ['route'], message: `${spec.kind} applies only to ${ORDER_ROUTES.join(', ')}` });
  }
  if (spec.kind === 'disconnect_stream' && (spec.after_messages ?? 0) === 0 && (spec.times ?? 1) !== 1) {
    ctx.addIssue({ code: 'custom', path: ['times'], message: 'a disconnect now (after_messages 0) fires once' });
  }
}

/** `[rule, ...]` or `{"rules":[rule, ...]}`. */
export const FaultRulesSpec = z
  .preprocess((value) => (Array.isArray(value) ? { rules: value } : value), z.object({ rules: z.array(RuleSpec.superRefine(checkRoute)).max(100) }))
  .transform((value) => value.rules);

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  403: 'insufficient buying power',
  422: 'request is not processable',
  429: 'rate limit exceeded',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

function faultOf(spec: FaultRuleSpec): Fault {
  switch (spec.kind) {
    case 'error':
      return {
        kind: 'error',
        status: spec.status,
        // Alpaca's codes start with the HTTP status: 403 -> 40310000, 429 -> 42910000.
        code: spec.code ?? spec.status * 100_000 + 10_000,
        message: spec.message ?? DEFAULT_MESSAGES[spec.status] ?? 'injected failure',
        retryAfterS: spec.retry_after_s ?? null,
        fields: spec.fields ?? {},
      };
    case 'timeout':
      return { kind: 'timeout', hangMs: spec.hang_ms ?? 30_000, then: spec.then ?? 'close' };
    case 'partial_fills':
      return { kind: 'partial_fills', parts: spec.parts.map((p) => new Decimal(p)), delayMs: spec.delay_ms ?? null };
    case 'reject':
      return { kind: 'reject' };
    case 'fill_before_response':
      return { kind: 'fill_before_response', delayMs: spec.delay_ms ?? 50 };
    case 'drop_stream':
      return { kind: 'drop_stream', events: spec.events ?? null };
    case 'duplicate_stream':
      return { kind: 'duplicate_stream', copies: spec.copies ?? 2, events: spec.events ?? null };
    case 'disconnect_stream':
      return { kind: 'disconnect_stream', afterMessages: spec.after_messages ?? 0 };
    case 'refuse_stream':
      return { kind: 'refuse_stream' };
  }
}

export function toFaultRule(spec: FaultRuleSpec, id: string): FaultRule {
  const times = spec.times === 'always' ? null : (spec.times ?? 1);
  return {
    id,
    route: spec.route ?? '*',
    symbol: spec.symbol ?? null,
    clientOrderId: spec.client_order_id ?? null,
    times,
    remaining: times,
    seen: 0,
    fault: faultOf(spec),
  };
}

/** Validates a JSON value as a list of rules; the problems as `path: message` lines. */
export function parseFaultRules(value: unknown): { ok: true; rules: FaultRuleSpec[] } | { ok: false; problems: string[] } {
  const parsed = FaultRulesSpec.safeParse(value);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
}

function faultView(fault: Fault): Record<string, unknown> {
  switch (fault.kind) {
    case 'error':
      return { status: fault.status, code: fault.code, message: fault.message, retry_after_s: fault.retryAfterS, fields: fault.fields };
    case 'timeout':
      return { hang_ms: fault.hangMs, then: fault.then };
    case 'partial_fills':
      return { parts: fault.parts.map((p) => p.toFixed()), delay_ms: fault.delayMs };
    case 'reject':
      return {};
    case 'fill_before_response':
      return { delay_ms: fault.delayMs };
    case 'drop_stream':
      return { events: fault.events };
    case 'duplicate_stream':
      return { copies: fault.copies, events: fault.events };
    case 'disconnect_stream':
      return { after_messages: fault.afterMessages };
    case 'refuse_stream':
      return {};
  }
}

/** The JSON an admin reads back: the rule as armed, with what is left of it. */
export function toFaultRuleView(rule: FaultRule): Record<string, unknown> {
  return {
    id: rule.id,
    kind: rule.fault.kind,
    route: rule.route,
    symbol: rule.symbol,
    client_order_id: rule.clientOrderId,
    times: rule.times ?? 'always',
    remaining: rule.remaining ?? 'always',
    ...faultView(rule.fault),
  };
}
