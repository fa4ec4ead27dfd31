import { Decimal } from 'decimal.js';
import { DecimalString, toDecimalString } from './primitives';

describe('toDecimalString', () => {
  it('writes tiny and huge values in plain notation that the contract accepts', () => {
    for (const v of ['0.0000001', '123456789012345678901234.5', '-0.00000005', '187.51']) {
      const s = toDecimalString(new Decimal(v));
      expect(s).toBe(v);
      expect(DecimalString.safeParse(s).success).toBe(true);
    }
  });

  it('writes negative zero as 0', () => {
    expect(toDecimalString(new Decimal('-0'))).toBe('0');
  });
});
