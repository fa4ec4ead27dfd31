import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import {
  applyExecution,
  calculateFee,
  calculateFillPrice,
  calculateNotionalQuantity,
  limitCrosses,
  sliceByParts,
  splitQuantity,
  stopTriggers,
  type FillState,
} from './matching';

const d = (v: string | number) => new Decimal(v);
const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), d(0));

describe('splitQuantity', () => {
  it.each([
    ['10', 3, ['4', '3', '3']],
    ['10', 1, ['10']],
    ['2', 5, ['1', '1']],
    ['0.5', 2, ['0.25', '0.25']],
    ['1', 3, ['1']],
  ])('splits %s into %d', (qty, parts, expected) => {
    expect(splitQuantity(d(qty), parts).map((x) => x.toFixed())).toEqual(expected);
  });

  it('always sums to the quantity with positive slices', () => {
    for (const qty of ['1', '7', '100', '0.333333333', '12.5', '0.000000001']) {
      for (let parts = 1; parts <= 7; parts += 1) {
        const slices = splitQuantity(d(qty), parts);
        expect(sum(slices).eq(d(qty))).toBe(true);
        expect(slices.every((s) => s.gt(0))).toBe(true);
        expect(slices.length).toBeLessThanOrEqual(parts);
      }
    }
  });
});

describe('limit matching', () => {
  it('fills a buy limit when the price falls to or below it, a sell limit at or above', () => {
    expect(limitCrosses('buy', d('100'), d('100.01'))).toBe(false);
    expect(limitCrosses('buy', d('100'), d('100'))).toBe(true);
    expect(limitCrosses('buy', d('100'), d('99.5'))).toBe(true);
    expect(limitCrosses('sell', d('100'), d('99.99'))).toBe(false);
    expect(limitCrosses('sell', d('100'), d('100.2'))).toBe(true);
  });

  it('never executes worse than the limit', () => {
    expect(calculateFillPrice('buy', d('101'), d('100')).toFixed()).toBe('100');
    expect(calculateFillPrice('buy', d('99'), d('100')).toFixed()).toBe('99');
    expect(calculateFillPrice('sell', d('99'), d('100')).toFixed()).toBe('100');
    expect(calculateFillPrice('sell', d('99'), null).toFixed()).toBe('99');
  });
});

describe('stop triggering', () => {
  it('triggers a sell stop when the price falls to or below it', () => {
    expect(stopTriggers('sell', d('182'), d('183'))).toBe(false);
    expect(stopTriggers('sell', d('182'), d('182'))).toBe(true);
    expect(stopTriggers('sell', d('182'), d('181.99'))).toBe(true);
  });

  it('triggers a buy stop when the price rises to or above it', () => {
    expect(stopTriggers('buy', d('182'), d('181.99'))).toBe(false);
    expect(stopTriggers('buy', d('182'), d('182'))).toBe(true);
    expect(stopTriggers('buy', d('182'), d('182.01'))).toBe(true);
  });
});

describe('applyExecution', () => {
  it('keeps the volume-weighted average price', () => {
    let state: FillState = { filledQty: d(0), filledAvgPrice: null };
    state = applyExecution(state, d(4), d('100.00'));
    state = applyExecution(state, d(3), d('101.00'));
    state = applyExecution(state, d(3), d('102.00'));
    expect(state.filledQty.toFixed()).toBe('10');
    // (400 + 303 + 306) / 10
    expect(state.filledAvgPrice?.toFixed()).toBe('100.9');
  });

  it('computes fees per unit and notional quantities without floats', () => {
    expect(calculateFee(d('3'), d('0.005')).toFixed()).toBe('0.015');
    expect(calculateNotionalQuantity(d('100'), d('3')).toFixed()).toBe('33.333333333');
  });
});

describe('sliceByParts', () => {
  it.each([
    ['10', ['4', '3', '3'], ['4', '3', '3']],
    ['10', ['4', '3'], ['4', '3', '3']],
    ['6', ['4', '3', '3'], ['4', '2']],
    ['1.5', ['0.5'], ['0.5', '1']],
  ])('slices %s by %j into %j', (qty, parts, expected) => {
    const slices = sliceByParts(d(qty), parts.map(d));
    expect(slices.map((s) => s.toFixed())).toEqual(expected);
    expect(sum(slices).toFixed()).toBe(d(qty).toFixed());
  });
});
