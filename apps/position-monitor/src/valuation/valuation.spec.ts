import { Decimal } from 'decimal.js';
import { applyFill } from '../positions/position-accounting';
import { calculateUnrealizedPnl, type PositionState } from '../positions/position';
import { calculateMark, calculateMarketValue, decideValuation } from './valuation';

const d = (v: string) => new Decimal(v);

function openPosition(side: 'BUY' | 'SELL', quantity: string, price: string, multiplier = '1'): PositionState {
  const result = applyFill(
    null,
    { executionId: 'x1', orderId: 'o1', side, quantity: d(quantity), price: d(price), fee: d('0'), at: new Date('2026-03-02T15:00:00Z') },
    { accountId: 'a', ownerId: 'u', symbol: 'S', assetClass: multiplier === '1' ? 'EQUITY' : 'OPTION', multiplier: d(multiplier), tradeId: null, newPositionId: () => 'p1' },
  );
  if (result.kind !== 'APPLIED' || !result.changes[0]) throw new Error('not applied');
  return result.changes[0].position;
}

describe('valuation', () => {
  it('marks at the midpoint, or the side that exists', () => {
    expect(calculateMark({ bid: d('10.00'), ask: d('10.03') })).toEqual({ price: d('10.015'), source: 'MIDPOINT' });
    expect(calculateMark({ bid: null, ask: d('10.03') })?.source).toBe('ASK');
    expect(calculateMark({ bid: d('9.99'), ask: null })?.price.toString()).toBe('9.99');
    expect(calculateMark({ bid: d('0'), ask: null })).toBeNull();
    expect(calculateMark(undefined)).toBeNull();
  });

  it('values a long option position with its multiplier', () => {
    const p = openPosition('BUY', '3', '2.50', '100');
    expect(calculateMarketValue(p, d('2.70')).toString()).toBe('810');
    expect(calculateUnrealizedPnl(p, d('2.70'))?.toString()).toBe('60');
  });

  it('values a short position negatively, gaining when the price falls', () => {
    const p = openPosition('SELL', '10', '100');
    expect(calculateMarketValue(p, d('95')).toString()).toBe('-950');
    expect(calculateUnrealizedPnl(p, d('95'))?.toString()).toBe('50');
  });

  it('runs while open, once after 18:15 New York, and when the clock is unknown', () => {
    const evening = new Date('2026-03-02T23:20:00Z'); // 18:20 EST
    expect(decideValuation(evening, true, '18:15', null)).toMatchObject({ run: true, reason: 'MARKET_OPEN' });
    const first = decideValuation(evening, false, '18:15', null);
    expect(first).toEqual({ run: true, reason: 'AFTER_HOURS_PASS', afterHoursDate: '2026-03-02' });
    expect(decideValuation(evening, false, '18:15', '2026-03-02')).toEqual({ run: false, afterHoursDate: '2026-03-02' });
    expect(decideValuation(new Date('2026-03-02T22:00:00Z'), false, '18:15', null).run).toBe(false);
    expect(decideValuation(evening, null, '18:15', '2026-03-02')).toMatchObject({ run: true, reason: 'CLOCK_UNKNOWN' });
  });
});
