import { Decimal } from 'decimal.js';
import { calculateSubPennyTick, roundPrice, roundQuantity, rulesFor } from './instrument-rules';

const d = (value: string): Decimal => new Decimal(value);

describe('calculateSubPennyTick', () => {
  it('is a penny at and above $1 and a hundredth of a penny below', () => {
    expect(calculateSubPennyTick(d('1')).toFixed()).toBe('0.01');
    expect(calculateSubPennyTick(d('187.555')).toFixed()).toBe('0.01');
    expect(calculateSubPennyTick(d('0.9999')).toFixed()).toBe('0.0001');
  });
});

describe('roundPrice', () => {
  const equity = rulesFor('EQUITY');

  it('rounds a BUY down to the penny at or above $1', () => {
    expect(roundPrice(d('187.555'), 'BUY', equity).toFixed()).toBe('187.55');
  });

  it('rounds a SELL up to the penny at or above $1', () => {
    expect(roundPrice(d('187.551'), 'SELL', equity).toFixed()).toBe('187.56');
  });

  it('keeps four decimals below $1', () => {
    expect(roundPrice(d('0.12345'), 'BUY', equity).toFixed()).toBe('0.1234');
    expect(roundPrice(d('0.12345'), 'SELL', equity).toFixed()).toBe('0.1235');
  });

  it('leaves a price already on the tick unchanged', () => {
    expect(roundPrice(d('187.50'), 'SELL', equity).toFixed()).toBe('187.5');
    expect(roundPrice(d('0.1234'), 'BUY', equity).toFixed()).toBe('0.1234');
  });

  it('lands on a valid tick when rounding crosses $1', () => {
    expect(roundPrice(d('0.99995'), 'SELL', equity).toFixed()).toBe('1');
    expect(roundPrice(d('1.00001'), 'BUY', equity).toFixed()).toBe('1');
  });

  it('rounds options to the penny at any premium, or to an override tick', () => {
    expect(roundPrice(d('0.555'), 'BUY', rulesFor('OPTION')).toFixed()).toBe('0.55');
    expect(roundPrice(d('3.12'), 'SELL', rulesFor('OPTION', { tickSize: '0.05' })).toFixed()).toBe('3.15');
  });

  it('uses a configured crypto tick', () => {
    expect(roundPrice(d('0.123456789'), 'BUY', rulesFor('CRYPTO', { tickSize: '0.00001' })).toFixed()).toBe(
      '0.12345',
    );
  });
});

describe('roundQuantity', () => {
  it('rounds equities down to whole shares unless fractional shares are allowed', () => {
    expect(roundQuantity(d('10.9'), rulesFor('EQUITY')).toFixed()).toBe('10');
    expect(roundQuantity(d('10.9'), rulesFor('EQUITY', { fractional: true })).toFixed()).toBe('10.9');
  });

  it('rounds options to whole contracts', () => {
    expect(roundQuantity(d('2.5'), rulesFor('OPTION')).toFixed()).toBe('2');
  });

  it('rounds crypto down to the lot', () => {
    expect(roundQuantity(d('0.123456'), rulesFor('CRYPTO')).toFixed()).toBe('0.1234');
    expect(roundQuantity(d('0.123456'), rulesFor('CRYPTO', { lotSize: '0.00001' })).toFixed()).toBe(
      '0.12345',
    );
  });
});

describe('rulesFor', () => {
  it('defaults the minimum quantity to one lot and the minimum notional to zero', () => {
    const rules = rulesFor('CRYPTO');
    expect(rules.minQuantity.toFixed()).toBe('0.0001');
    expect(rules.minNotional.toFixed()).toBe('0');
  });

  it('refuses increments that are not positive and a minimum below the lot', () => {
    expect(() => rulesFor('CRYPTO', { tickSize: '0' })).toThrow(RangeError);
    expect(() => rulesFor('CRYPTO', { lotSize: '-0.1' })).toThrow(RangeError);
    expect(() => rulesFor('CRYPTO', { lotSize: '0.01', minQuantity: '0.001' })).toThrow(RangeError);
    expect(() => rulesFor('CRYPTO', { minNotional: '-5' })).toThrow(RangeError);
  });
});
