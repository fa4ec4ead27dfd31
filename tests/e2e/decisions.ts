import { randomUUID } from 'node:crypto';
import type { NewTradeDecision } from '@tlp/contracts';

/** A NEW_TRADE decision for the paper broker's market, overridable per test. */
export function newTrade(overrides: Partial<NewTradeDecision> = {}): NewTradeDecision {
  return {
    action: 'NEW_TRADE',
    decisionId: randomUUID(),
    tradeId: randomUUID(),
    accountId: 'acc-e2e',
    ownerId: 'user-e2e',
    approvedAt: new Date().toISOString(),
    instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' },
    side: 'BUY',
    quantity: '10',
    orderType: 'MARKET',
    timeInForce: 'DAY',
    tradeStyle: 'DAY',
    ...overrides,
  };
}
