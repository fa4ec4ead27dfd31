import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { ExactSum } from './exact-sum';

const Exact = Decimal.clone({ precision: 1000 });
const plainDecimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }))
  .map(([negative, units, scale]) => {
    const digits = units.toString().padStart(scale + 1, '0');
    const point = digits.length - scale;
    return `${negative ? '-' : ''}${digits.slice(0, point)}${scale > 0 ? `.${digits.slice(point)}` : ''}`;
  });

describe('ExactSum', () => {
  it('equals the exact decimal sum of any plain decimal strings, either sign', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(plainDecimal, fc.boolean()), { maxLength: 40 }), (values) => {
        const sum = new ExactSum();
        let expected = new Exact(0);
        for (const [value, negate] of values) {
          sum.add(value, negate);
          expected = negate ? expected.minus(value) : expected.plus(value);
        }
        expect(sum.toDecimal().toFixed()).toBe(expected.toFixed());
      }),
    );
  });

  it('prints as decimal.js does: no trailing zeros, 0 for nothing and for a zero sum', () => {
    expect(new ExactSum().toDecimal().toFixed()).toBe('0');
    expect(new ExactSum().add('2.50').add('3.00').toDecimal().toFixed()).toBe('5.5');
    expect(new ExactSum().add('0.0500').add('0.05', true).toDecimal().toFixed()).toBe('0');
    expect(new ExactSum().add('0.000001').add('2', true).toDecimal().toFixed()).toBe('-1.999999');
  });

  it('takes text that is not plain notation through decimal.js', () => {
    expect(new ExactSum().add('1e3').add('0.5').add('-2.5e-1', true).toDecimal().toFixed()).toBe('1000.75');
    expect(() => new ExactSum().add('abc')).toThrow();
  });
});
