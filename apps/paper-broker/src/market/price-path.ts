/**
 * A seeded random walk on a tick grid. Invariants: every price is a positive multiple of the tick
 * that applies to it (a cent at or above $1, a hundredth of a cent below, as Alpaca's sub-penny rule
 * requires); the same seed, symbol and start price always give the same sequence.
 */
import { Decimal } from 'decimal.js';
import { createPrng, hashSeed, type Prng } from './prng';

const CENT = new Decimal('0.01');
const SUB_PENNY = new Decimal('0.0001');
const ONE = new Decimal(1);
/** Largest move per step, in ticks, each way. */
const MAX_TICKS_PER_STEP = 2;

export function tickSizeFor(price: Decimal): Decimal {
  return price.gte(ONE) ? CENT : SUB_PENNY;
}

/** Rounds to the price's own tick grid (half-even) and never below one tick. */
export function roundToTick(price: Decimal): Decimal {
  const tick = tickSizeFor(price);
  const rounded = price.toNearest(tick, Decimal.ROUND_HALF_EVEN);
  return rounded.gt(0) ? rounded : SUB_PENNY;
}

export class PricePath {
  private readonly rng: Prng;
  private current: Decimal;

  constructor(seed: string, symbol: string, start: Decimal) {
    this.rng = createPrng(`${seed}:path:${symbol}`);
    this.current = roundToTick(start);
  }

  get price(): Decimal {
    return this.current;
  }

  /** Moves by -2..+2 ticks; returns the new price. */
  step(): Decimal {
    const ticks = this.rng.nextInt(2 * MAX_TICKS_PER_STEP + 1) - MAX_TICKS_PER_STEP;
    this.current = roundToTick(this.current.plus(tickSizeFor(this.current).times(ticks)));
    return this.current;
  }

  /** An admin override: the walk continues from here. */
  set(price: Decimal): void {
    this.current = roundToTick(price);
  }
}

const OCC = /^[A-Z0-9.]{1,6}\d{6}[CP]\d{8}$/;

/**
 * A start price for a symbol nobody configured, derived from the seed: $10.00-$500.00 for stocks
 * and crypto, $0.50-$20.00 for option contracts.
 */
export function defaultPriceFor(seed: string, symbol: string): Decimal {
  const hash = hashSeed(`${seed}:default:${symbol}`);
  if (OCC.test(symbol)) return new Decimal(50 + (hash % 1951)).div(100);
  return new Decimal(1000 + (hash % 49001)).div(100);
}
