import { randomUUID } from 'node:crypto';
import type { Decision, NewTradeDecision } from '@tlp/contracts';

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

type CancelDecision = Extract<Decision, { action: 'CANCEL' }>;
type AmendDecision = Extract<Decision, { action: 'AMEND' }>;
type AmendChange = Partial<Pick<AmendDecision, 'quantity' | 'limitPrice' | 'stopPrice' | 'plannedStopLoss' | 'plannedTakeProfit'>>;

/** A CANCEL of `targetDecisionId`'s order, for the same account as `newTrade`. */
export function cancelOf(targetDecisionId: string): CancelDecision {
  return { action: 'CANCEL', decisionId: randomUUID(), targetDecisionId, accountId: 'acc-e2e', ownerId: 'user-e2e', approvedAt: new Date().toISOString() };
}

/** An AMEND of `targetDecisionId`'s order with the changed terms. */
export function amendOf(targetDecisionId: string, change: AmendChange): AmendDecision {
  return { ...cancelOf(targetDecisionId), action: 'AMEND', ...change };
}

/** What `POST /decisions` answered (202 for a taken decision). */
export interface DecisionReply {
  readonly status: number;
  readonly body: { decisionId?: string; outcome?: string | null; orderId?: string | null; duplicate?: boolean; [field: string]: unknown };
}

/** Posts a decision (or any body, to test refusals) to the executor's HTTP API. */
export async function postDecision(executorUrl: string, body: unknown): Promise<DecisionReply> {
  const res = await fetch(`${executorUrl}/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as DecisionReply['body'] };
}
