import { randomUUID } from 'node:crypto';
import { OrderRejectedV1 } from '@tlp/contracts';
import { buildEvent, ContractViolationError } from './event-builder';

const meta = { eventId: randomUUID(), occurredAt: new Date('2026-11-24T15:00:00Z'), producer: 'test', correlationId: randomUUID(), causationId: null };
const payload = {
  orderId: randomUUID(),
  clientOrderId: 'c-1',
  brokerOrderId: null,
  broker: 'paper',
  decisionId: randomUUID(),
  tradeId: randomUUID(),
  legNumber: null,
  purpose: 'ENTRY' as const,
  accountId: 'acc-1',
  ownerId: 'user-1',
  instrument: { symbol: 'AAPL', assetClass: 'EQUITY' as const, multiplier: '1' },
  side: 'BUY' as const,
  quantity: '5',
  orderType: 'MARKET' as const,
  limitPrice: null,
  stopPrice: null,
  timeInForce: 'DAY' as const,
  reasonCode: 'MAX_NOTIONAL',
  reasonMessage: 'too big',
  rejectedBy: 'RISK' as const,
  rejectedAt: '2026-11-24T15:00:00.000Z',
};

describe('buildEvent', () => {
  it('builds a valid envelope with the contract type and version', () => {
    const event = buildEvent(OrderRejectedV1, payload, meta);
    expect(event).toMatchObject({ type: 'order.rejected', version: 1, occurredAt: '2026-11-24T15:00:00.000Z', payload });
  });

  it('refuses to build an event its contract rejects, naming the field', () => {
    expect(() => buildEvent(OrderRejectedV1, { ...payload, quantity: '-5' }, meta)).toThrow(ContractViolationError);
    expect(() => buildEvent(OrderRejectedV1, { ...payload, quantity: '-5' }, meta)).toThrow(/payload\.quantity/);
  });
});
