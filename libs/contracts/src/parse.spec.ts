import { randomUUID } from 'node:crypto';
import { parseEvent } from './parse';

const decision = {
  eventId: randomUUID(),
  type: 'decision.approved',
  version: 1,
  occurredAt: '2026-11-24T14:45:00.000Z',
  producer: 'test',
  correlationId: randomUUID(),
  causationId: null,
  payload: {
    action: 'NEW_TRADE',
    decisionId: randomUUID(),
    tradeId: randomUUID(),
    accountId: 'acc-1',
    ownerId: 'user-1',
    approvedAt: '2026-11-24T14:40:00.000Z',
    instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' },
    side: 'BUY',
    quantity: '10',
    orderType: 'LIMIT',
    limitPrice: '187.51',
    tradeStyle: 'SWING',
  },
};

describe('parseEvent', () => {
  it('accepts a valid decision and applies defaults', () => {
    const result = parseEvent('decision.approved', JSON.stringify(decision));
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.event.payload as { timeInForce: string }).timeInForce).toBe('DAY');
  });

  it('names the field when a decimal is sent as a JSON number', () => {
    const bad = { ...decision, payload: { ...decision.payload, quantity: 10 } };
    const result = parseEvent('decision.approved', JSON.stringify(bad));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('payload.quantity') });
  });

  it('requires a limit price for a LIMIT order', () => {
    const { limitPrice: _omitted, ...payload } = decision.payload;
    const result = parseEvent('decision.approved', JSON.stringify({ ...decision, payload }));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('payload.limitPrice') });
  });

  it('refuses invalid JSON, unknown types and unknown topics with a reason', () => {
    expect(parseEvent('decision.approved', '{nope')).toMatchObject({ ok: false, reason: expect.stringMatching(/^INVALID_JSON/) });
    expect(parseEvent('decision.approved', JSON.stringify({ ...decision, type: 'order.filled' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^UNKNOWN_TYPE/),
    });
    expect(parseEvent('nope', '{}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^UNKNOWN_TOPIC/) });
  });
});
