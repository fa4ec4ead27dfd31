import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { defaultPriceFor, PricePath, roundToTick, tickSizeFor } from './price-path';
import { createPrng } from './prng';
import { SimulatedMarket } from './simulated-market';

function walk(seed: string, symbol: string, start: string, steps: number): string[] {
  const path = new PricePath(seed, symbol, new Decimal(start));
  return Array.from({ length: steps }, () => path.step().toFixed());
}

describe('seeded price path', () => {
  it('gives the same path for the same seed and symbol', () => {
    expect(walk('s1', 'AAPL', '187.50', 200)).toEqual(walk('s1', 'AAPL', '187.50', 200));
  });

  it('gives different paths for another seed or another symbol', () => {
    expect(walk('s2', 'AAPL', '187.50', 50)).not.toEqual(walk('s1', 'AAPL', '187.50', 50));
    expect(walk('s1', 'MSFT', '187.50', 50)).not.toEqual(walk('s1', 'AAPL', '187.50', 50));
  });

  it('stays positive and on the tick grid, moving at most two ticks a step', () => {
    const path = new PricePath('grid', 'PENNY', new Decimal('1.02'));
    let previous = path.price;
    for (let i = 0; i < 2000; i += 1) {
      const price = path.step();
      expect(price.gt(0)).toBe(true);
      expect(price.mod(tickSizeFor(price)).isZero()).toBe(true);
      expect(price.minus(previous).abs().lte(tickSizeFor(Decimal.max(price, previous)).times(2))).toBe(true);
      previous = price;
    }
  });

  it('rounds start prices to the grid that applies to them', () => {
    expect(roundToTick(new Decimal('187.505')).toFixed()).toBe('187.5');
    expect(roundToTick(new Decimal('0.123456')).toFixed()).toBe('0.1235');
  });

  it('derives stable default prices from the seed', () => {
    const price = defaultPriceFor('seed', 'ZZZZ');
    expect(price.eq(defaultPriceFor('seed', 'ZZZZ'))).toBe(true);
    expect(price.gte(10) && price.lte(500)).toBe(true);
    const option = defaultPriceFor('seed', 'AAPL240119C00100000');
    expect(option.gte('0.5') && option.lte(20)).toBe(true);
  });

  it('does not depend on the order in which the market meets symbols', () => {
    const prices = new Map([['AAPL', new Decimal('187.50')]]);
    const a = new SimulatedMarket('seed', prices);
    const b = new SimulatedMarket('seed', prices);
    a.priceOf('MSFT', 0n);
    for (let i = 0; i < 5; i += 1) a.step(0n);
    for (let i = 0; i < 5; i += 1) b.step(0n);
    expect(a.priceOf('AAPL', 0n).price.toFixed()).toBe(b.priceOf('AAPL', 0n).price.toFixed());
  });
});

describe('prng', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = createPrng('x');
    const b = createPrng('x');
    const values = Array.from({ length: 100 }, () => a.next());
    expect(values).toEqual(Array.from({ length: 100 }, () => b.next()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});
