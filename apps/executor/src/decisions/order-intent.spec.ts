import { randomUUID } from 'node:crypto';
import { ClientOrderId, type NewTradeDecision } from '@tlp/contracts';
import { entryIntentOf } from './order-intent';

const decision = (decisionId = randomUUID()): NewTradeDecision => ({
  action: 'NEW_TRADE',
  decisionId,
  tradeId: randomUUID(),
  accountId: 'acc-1',
  ownerId: 'user-1',
  approvedAt: '2026-11-24T14:40:00.000Z',
  instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' },
  side: 'BUY',
  quantity: '10',
  orderType: 'LIMIT',
  limitPrice: '187.51',
  timeInForce: 'DAY',
  tradeStyle: 'SWING',
});

describe('entryIntentOf', () => {
  it('names the same order and client order id every time it sees the same decision', () => {
    const d = decision();
    const first = entryIntentOf(d);
    const again = entryIntentOf({ ...d, quantity: '11' });
    expect(again.orderId).toBe(first.orderId);
    expect(again.clientOrderId).toBe(first.clientOrderId);
  });

  it('gives different decisions different client order ids that brokers accept', () => {
    const a = entryIntentOf(decision());
    const b = entryIntentOf(decision());
    expect(a.clientOrderId).not.toBe(b.clientOrderId);
    expect(ClientOrderId.safeParse(a.clientOrderId).success).toBe(true);
    expect(a.clientOrderId.length).toBeLessThanOrEqual(36);
  });

  it('carries the decision terms as decimal strings', () => {
    expect(entryIntentOf(decision())).toMatchObject({ quantity: '10', limitPrice: '187.51', stopPrice: null, side: 'BUY' });
  });
});
