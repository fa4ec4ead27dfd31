/**
 * Prices of every symbol the paper broker has seen. A symbol gets its path the first time it is
 * asked for (configured start price, else a seeded default), so the order in which symbols appear
 * never changes any symbol's path. Time is passed in: the market keeps no clock of its own.
 */
import type { Decimal } from 'decimal.js';
import { defaultPriceFor, PricePath, roundToTick } from './price-path';

export interface PricePoint {
  price: Decimal;
  /** Epoch nanoseconds of the last change. */
  at: bigint;
}

export class SimulatedMarket {
  private paths = new Map<string, PricePath>();
  private changedAt = new Map<string, bigint>();

  constructor(
    private readonly seed: string,
    private readonly initialPrices: ReadonlyMap<string, Decimal>,
  ) {}

  /** Current price, creating the symbol's path on first use. */
  priceOf(symbol: string, at: bigint): PricePoint {
    return { price: this.pathOf(symbol, at).price, at: this.changedAt.get(symbol) ?? at };
  }

  /** Known = configured, traded, priced or asked for before. */
  knows(symbol: string): boolean {
    return this.paths.has(symbol) || this.initialPrices.has(symbol);
  }

  setPrice(symbol: string, price: Decimal, at: bigint): Decimal {
    const path = this.pathOf(symbol, at);
    path.set(price);
    this.changedAt.set(symbol, at);
    return path.price;
  }

  /** Advances every known symbol one step; returns the symbols whose price changed. */
  step(at: bigint): string[] {
    for (const symbol of this.initialPrices.keys()) this.pathOf(symbol, at);
    const changed: string[] = [];
    for (const [symbol, path] of this.paths) {
      const before = path.price;
      if (!path.step().eq(before)) {
        this.changedAt.set(symbol, at);
        changed.push(symbol);
      }
    }
    return changed;
  }

  /** The price the symbol started the simulation at. */
  initialPriceOf(symbol: string): Decimal {
    return roundToTick(this.initialPrices.get(symbol) ?? defaultPriceFor(this.seed, symbol));
  }

  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.paths].map(([symbol, path]) => [symbol, path.price.toFixed()]));
  }

  reset(): void {
    this.paths = new Map();
    this.changedAt = new Map();
  }

  private pathOf(symbol: string, at: bigint): PricePath {
    let path = this.paths.get(symbol);
    if (!path) {
      path = new PricePath(this.seed, symbol, this.initialPrices.get(symbol) ?? defaultPriceFor(this.seed, symbol));
      this.paths.set(symbol, path);
      this.changedAt.set(symbol, at);
    }
    return path;
  }
}
