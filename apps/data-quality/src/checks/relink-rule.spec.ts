import { PositionRelinkRequestedV1 } from '@tlp/contracts';
import { checkRelinkable, relinkCommand, type RelinkCandidate } from './relink-rule';

const candidate: RelinkCandidate = {
  findingId: '9e8d7c6b-5a49-3382-b1c0-d9e8f7a6b5c4',
  orderId: '235b042b-75c6-4b05-ad24-f223cd8e70c0',
  accountId: 'acc-1',
  ownerId: 'usr-1',
  instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' },
  side: 'BUY',
  filledQuantity: '5',
  firstFilledAt: new Date('2026-11-24T14:30:00.000Z'),
  executionIds: ['exec-1', 'exec-2'],
  positionId: 'f5f50994-19ce-413c-a08c-1148a3afcb44',
  candidateCount: 1,
  fills: null,
};
const fill = { tradeId: '8f14e45f-ceea-467f-a0e6-5b1d3c2a9e70', purpose: 'ENTRY', side: 'BUY', price: '187.5', averagePrice: '187.5', fee: '0', filledAt: '2026-11-24T14:30:00.000Z' } as const;

describe('relink rule SINGLE_CANDIDATE_POSITION', () => {
  it('given exactly one candidate with executions, then the order is relinkable', () => {
    expect(checkRelinkable(candidate)).toBeNull();
  });

  it('given two candidates or none, then it is left to a person', () => {
    expect(checkRelinkable({ ...candidate, candidateCount: 2 })).toBe('NOT_SINGLE_CANDIDATE');
    expect(checkRelinkable({ ...candidate, candidateCount: 0 })).toBe('NOT_SINGLE_CANDIDATE');
    expect(checkRelinkable({ ...candidate, executionIds: [] })).toBe('NO_EXECUTIONS');
  });

  it('builds a command its contract accepts, with the reason naming order and position', () => {
    const payload = relinkCommand(candidate, '7c1e2d3f-4a5b-5c6d-8e7f-0a1b2c3d4e5f', new Date('2026-11-24T15:00:00.000Z'));
    expect(PositionRelinkRequestedV1.payload.safeParse(payload).success).toBe(true);
    expect(payload.reason).toContain(candidate.orderId);
    expect(payload.reason).toContain(candidate.positionId);
    expect(payload.executionIds).toEqual(['exec-1', 'exec-2']);
    expect(payload).not.toHaveProperty('fills');
  });

  it('carries the projected fills, when complete, so position-monitor can apply a fill it never received', () => {
    const fills = [{ ...fill, executionId: 'exec-1', quantity: '2' }, { ...fill, executionId: 'exec-2', quantity: '3' }];
    const payload = relinkCommand({ ...candidate, fills }, '7c1e2d3f-4a5b-5c6d-8e7f-0a1b2c3d4e5f', new Date('2026-11-24T15:00:00.000Z'));
    expect(PositionRelinkRequestedV1.payload.parse(payload).fills).toEqual(fills);
  });
});
