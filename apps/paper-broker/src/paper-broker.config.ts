/**
 * The paper broker's configuration: one zod schema over the environment, parsed once at start,
 * every problem reported together, the result frozen.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { MarketHours } from './clock/market-clock';
import { parseFaultRules, type FaultRuleSpec } from './faults/fault-rules';

export interface PaperBrokerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  keyId: string;
  secretKey: string;
  /** Seeds every price path and default price. */
  seed: string;
  /** Market step interval, ms; 0 = the market moves only through /_admin/step. */
  tickMs: number;
  latencyMs: number;
  partialFills: number;
  feePerUnit: Decimal;
  initialPrices: ReadonlyMap<string, Decimal>;
  marketHours: MarketHours;
  /** `nyse` (default): the exchange's calendar; `every-day`: every date a 00:00-23:59 session (scheduling tests). */
  calendar: 'nyse' | 'every-day';
  rateLimitPerMinute: number;
  /** Interval of the 1-byte stream heartbeat, ms; 0 = none. */
  heartbeatMs: number;
  /** Fault rules armed at start (`/_admin/faults` can clear them). */
  faults: readonly FaultRuleSpec[];
}

const SYMBOL = /^[A-Z0-9][A-Z0-9./-]{0,31}$/;
const PRICE = /^\d+(\.\d+)?$/;

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .default(String(fallback))
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

function parsePrices(raw: string, ctx: z.RefinementCtx): Map<string, Decimal> {
  const prices = new Map<string, Decimal>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e.length > 0)) {
    const [symbol = '', price = '', ...rest] = entry.split(':');
    if (rest.length > 0 || !SYMBOL.test(symbol) || !PRICE.test(price) || new Decimal(price).lte(0)) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not SYMBOL:PRICE with a positive decimal price` });
      continue;
    }
    prices.set(symbol, new Decimal(price));
  }
  return prices;
}

function parseFaults(raw: string, ctx: z.RefinementCtx): FaultRuleSpec[] {
  if (raw.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON: {"rules":[...]} or [...]' });
    return [];
  }
  const parsed = parseFaultRules(value);
  if (parsed.ok) return parsed.rules;
  for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
  return [];
}

const Env = z.object({
  PAPER_BROKER_HOST: z.string().min(1).default('127.0.0.1'),
  PAPER_BROKER_PORT: integer(0, 65535, 18080),
  PAPER_BROKER_KEY_ID: z.string().min(1).default('paper-key'),
  PAPER_BROKER_SECRET_KEY: z.string().min(1).default('paper-secret'),
  PAPER_BROKER_SEED: z.string().min(1).default('tlp-paper-broker'),
  PAPER_BROKER_TICK_MS: integer(0, 3_600_000, 1000),
  PAPER_BROKER_LATENCY_MS: integer(0, 60_000, 10),
  PAPER_BROKER_PARTIAL_FILLS: integer(1, 100, 1),
  PAPER_BROKER_FEE_PER_UNIT: z.string().regex(PRICE, 'must be a non-negative decimal such as "0.005"').default('0'),
  PAPER_BROKER_PRICES: z.string().default('').transform(parsePrices),
  PAPER_BROKER_MARKET_HOURS: z.enum(['always', 'real']).default('always'),
  PAPER_BROKER_CALENDAR: z.enum(['nyse', 'every-day']).default('nyse'),
  PAPER_BROKER_RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000, 200),
  PAPER_BROKER_HEARTBEAT_MS: integer(0, 3_600_000, 10_000),
  PAPER_BROKER_FAULTS: z.string().default('').transform(parseFaults),
});

export class PaperBrokerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid paper broker configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'PaperBrokerConfigError';
  }
}

/** Reads the configuration from an environment; throws with every problem listed. */
export function loadPaperBrokerConfig(env: Readonly<Record<string, string | undefined>>): PaperBrokerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new PaperBrokerConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    host: e.PAPER_BROKER_HOST,
    port: e.PAPER_BROKER_PORT,
    keyId: e.PAPER_BROKER_KEY_ID,
    secretKey: e.PAPER_BROKER_SECRET_KEY,
    seed: e.PAPER_BROKER_SEED,
    tickMs: e.PAPER_BROKER_TICK_MS,
    latencyMs: e.PAPER_BROKER_LATENCY_MS,
    partialFills: e.PAPER_BROKER_PARTIAL_FILLS,
    feePerUnit: new Decimal(e.PAPER_BROKER_FEE_PER_UNIT),
    initialPrices: e.PAPER_BROKER_PRICES,
    marketHours: e.PAPER_BROKER_MARKET_HOURS,
    calendar: e.PAPER_BROKER_CALENDAR,
    rateLimitPerMinute: e.PAPER_BROKER_RATE_LIMIT_PER_MINUTE,
    heartbeatMs: e.PAPER_BROKER_HEARTBEAT_MS,
    faults: Object.freeze(e.PAPER_BROKER_FAULTS),
  });
}
