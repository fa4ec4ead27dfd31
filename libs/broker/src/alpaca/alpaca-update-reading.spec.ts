import { Decimal } from 'decimal.js';
import { mapOrderStatus } from './alpaca-mapping';
import { readAlpacaStatus, readAlpacaUpdate } from './alpaca-update-reading';

const d = (v: string) => new Decimal(v);
const read = (r: ReturnType<typeof readAlpacaStatus>) => (r.kind === 'EVENT' ? r.event : `${r.code} ${r.word}`);

describe('Alpaca words read as order events (one vocabulary with mapOrderStatus)', () => {
  it('reads every status mapOrderStatus knows as the event that leads to it', () => {
    const words = ['new', 'accepted', 'pending_new', 'accepted_for_bidding', 'held', 'pending_review', 'suspended', 'partially_filled', 'filled', 'done_for_day', 'canceled', 'expired', 'rejected', 'replaced', 'pending_cancel', 'pending_replace'];
    for (const word of words) {
      expect(() => mapOrderStatus(word, d('0'), d('10'))).not.toThrow();
      expect(readAlpacaStatus(word, d('0'), d('10')).kind).toBe('EVENT');
    }
    expect(read(readAlpacaStatus('calculated', d('10'), d('10')))).toBe('FILLED');
    expect(read(readAlpacaStatus('calculated', d('4'), d('10')))).toBe('DONE_FOR_DAY');
    expect(read(readAlpacaStatus('stopped', d('0'), d('10')))).toBe('ACKNOWLEDGED');
    expect(read(readAlpacaStatus('constructor', d('0'), d('10')))).toBe('UNKNOWN_ALPACA_STATUS constructor');
  });

  it('reads event words: fills, refused cancels and replaces, status words, status-derived words', () => {
    expect(read(readAlpacaUpdate('fill', 'filled', d('10'), d('10')))).toBe('FILLED');
    expect(read(readAlpacaUpdate('partial_fill', 'partially_filled', d('4'), d('10')))).toBe('FILLED_PARTIALLY');
    expect(read(readAlpacaUpdate('order_cancel_rejected', 'new', d('0'), d('10')))).toBe('CANCEL_REJECTED');
    expect(read(readAlpacaUpdate('order_replace_rejected', 'new', d('0'), d('10')))).toBe('REPLACE_REJECTED');
    expect(read(readAlpacaUpdate('canceled', 'canceled', d('0'), d('10')))).toBe('CANCELED');
    expect(read(readAlpacaUpdate('restated', 'partially_filled', d('4'), d('10')))).toBe('FILLED_PARTIALLY');
    expect(read(readAlpacaUpdate('held', 'held', d('0'), d('10')))).toBe('UNKNOWN_ALPACA_EVENT held');
    expect(read(readAlpacaUpdate('toString', 'new', d('0'), d('10')))).toBe('UNKNOWN_ALPACA_EVENT toString');
  });
});
