import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { applyFill, PositionBook } from './position-book';

const d = (v: string) => new Decimal(v);

describe('position accounting', () => {
  it('averages fills on the same side and keeps the average on reductions', () => {
    let position = applyFill(null, 'AAPL', 'buy', d('10'), d('100'));
    position = applyFill(position, 'AAPL', 'buy', d('10'), d('110'));
    expect(position?.qty.toFixed()).toBe('20');
    expect(position?.avgEntryPrice.toFixed()).toBe('105');
    position = applyFill(position, 'AAPL', 'sell', d('5'), d('120'));
    expect(position?.qty.toFixed()).toBe('15');
    expect(position?.avgEntryPrice.toFixed()).toBe('105');
  });

  it('resets the average at the fill price when a fill crosses zero, and vanishes at zero', () => {
    const long = applyFill(null, 'AAPL', 'buy', d('10'), d('100'));
    const short = applyFill(long, 'AAPL', 'sell', d('15'), d('90'));
    expect(short?.qty.toFixed()).toBe('-5');
    expect(short?.avgEntryPrice.toFixed()).toBe('90');
    expect(applyFill(short, 'AAPL', 'buy', d('5'), d('95'))).toBeNull();
  });

  it('equals the signed sum of fills whatever their split', () => {
    const book = new PositionBook();
    book.apply('MSFT', 'buy', d('3'), d('400'));
    book.apply('MSFT', 'sell', d('1.5'), d('401'));
    const qty = book.apply('MSFT', 'buy', d('0.25'), d('399'));
    expect(qty.toFixed()).toBe('1.75');
    book.apply('MSFT', 'sell', d('1.75'), d('402'));
    expect(book.all()).toEqual([]);
  });
});
