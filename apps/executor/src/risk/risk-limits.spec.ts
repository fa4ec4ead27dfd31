import { DEFAULT_RISK_LIMITS, riskLimitsOf } from './risk-limits';

describe('riskLimitsOf', () => {
  it('fills in the defaults', () => {
    const limits = riskLimitsOf();
    expect(limits.maxNotionalPerOrder.toFixed()).toBe(DEFAULT_RISK_LIMITS.maxNotionalPerOrder);
    expect(limits.maxPositionPerSymbol.toFixed()).toBe(DEFAULT_RISK_LIMITS.maxPositionPerSymbol);
    expect(limits.allowedInstruments).toBe('ALL');
    expect([...limits.allowedAssetClasses]).toEqual(['EQUITY', 'OPTION', 'CRYPTO']);
    expect(limits.oneActiveTradePerSymbol).toBe(true);
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it('takes decimal strings and symbol lists from configuration', () => {
    const limits = riskLimitsOf({
      maxNotionalPerOrder: '2500.50',
      allowedInstruments: ['AAPL', 'MSFT'],
      allowedAssetClasses: ['EQUITY'],
      oneActiveTradePerSymbol: false,
    });
    expect(limits.maxNotionalPerOrder.toFixed()).toBe('2500.5');
    expect(limits.allowedInstruments).toEqual(new Set(['AAPL', 'MSFT']));
    expect(limits.oneActiveTradePerSymbol).toBe(false);
  });

  it('reports every bad value in one error', () => {
    expect(() =>
      riskLimitsOf({ maxNotionalPerOrder: '0', maxPositionPerSymbol: 'lots', allowedAssetClasses: [] }),
    ).toThrow(
      /maxNotionalPerOrder must be positive.*maxPositionPerSymbol is not a decimal.*allowedAssetClasses is empty/,
    );
  });
});
