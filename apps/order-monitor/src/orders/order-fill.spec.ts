import { Decimal } from 'decimal.js';
import { decideFill, type OrderFillState } from './order-fill';

const d = (v: string) => new Decimal(v);
const order = (filled = '0', avg: string | null = null, qty = '10'): OrderFillState => ({
  quantity: d(qty),
  filledQuantity: d(filled),
  averageFillPrice: avg === null ? null : d(avg),
});
const fill = (qty: string, price: string, cum: string, executionId = 'e') => ({ executionId, quantity: d(qty), price: d(price), cumulativeQuantity: d(cum) });

describe('decideFill', () => {
  it('applies a first partial fill', () => {
    const decision = decideFill(order(), fill('4', '100.10', '4'));
    expect(decision).toMatchObject({ kind: 'APPLY', complete: false, overfill: false });
    if (decision.kind !== 'APPLY') throw new Error('expected APPLY');
    expect(decision.lastQuantity.toString()).toBe('4');
    expect(decision.averagePrice.toString()).toBe('100.1');
    expect(decision.leavesQuantity.toString()).toBe('6');
  });

  it('computes the exact volume-weighted average of partial fills', () => {
    const decision = decideFill(order('4', '100.10'), fill('6', '100.20', '10'));
    if (decision.kind !== 'APPLY') throw new Error('expected APPLY');
    expect(decision.averagePrice.toString()).toBe('100.16');
    expect(decision.complete).toBe(true);
  });

  it('adds nothing for a fill whose cumulative quantity was already applied, whatever its id', () => {
    expect(decideFill(order('4', '100.10'), fill('4', '100.10', '4', 'other-id'))).toEqual({ kind: 'ALREADY_APPLIED' });
    expect(decideFill(order('10', '100.16'), fill('4', '100.10', '4'))).toEqual({ kind: 'ALREADY_APPLIED' });
  });

  it('applies only the missing part when an earlier fill was missed', () => {
    const decision = decideFill(order('4', '100'), fill('3', '101', '10'));
    if (decision.kind !== 'APPLY') throw new Error('expected APPLY');
    expect(decision.lastQuantity.toString()).toBe('6');
  });

  it('flags an overfill but applies it: the broker reports it filled', () => {
    const decision = decideFill(order('10', '100'), fill('2', '100', '12'));
    expect(decision).toMatchObject({ kind: 'APPLY', overfill: true, complete: true });
  });
});
