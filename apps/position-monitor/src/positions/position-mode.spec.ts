import { positionKeyOf, positionModeOf } from './position-mode';

describe('position mode per account', () => {
  it('puts listed accounts in hedging when the default is netting', () => {
    const settings = { defaultMode: 'NETTING', hedgingAccounts: ['acc-h'], nettingAccounts: [] } as const;
    expect(positionModeOf('acc-h', settings)).toBe('HEDGING');
    expect(positionModeOf('acc-n', settings)).toBe('NETTING');
  });

  it('puts listed accounts in netting when the default is hedging', () => {
    const settings = { defaultMode: 'HEDGING', hedgingAccounts: ['acc-h'], nettingAccounts: ['acc-n'] } as const;
    expect(positionModeOf('acc-n', settings)).toBe('NETTING');
    expect(positionModeOf('acc-x', settings)).toBe('HEDGING');
  });

  it('keys a netting position by instrument and a hedging one by trade', () => {
    expect(positionKeyOf('NETTING', 'a', 'AAPL', 't1')).toEqual({ mode: 'NETTING', accountId: 'a', symbol: 'AAPL' });
    expect(positionKeyOf('HEDGING', 'a', 'AAPL', 't1')).toEqual({ mode: 'HEDGING', accountId: 'a', symbol: 'AAPL', tradeId: 't1' });
  });
});
