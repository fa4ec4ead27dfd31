import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, isPositionId, parsePositionsQuery } from './positions-query';

const ID = '0b6f2a1e-8d3c-4c5e-9a7b-1f2e3d4c5b6a';

describe('parsePositionsQuery', () => {
  it('applies defaults: newest opened first, 50 per page', () => {
    expect(parsePositionsQuery({})).toEqual({ ok: true, value: { sort: { field: 'openedAt', direction: 'desc' }, limit: 50 } });
  });

  it('reads every filter, aliases and case-insensitive enums', () => {
    const parsed = parsePositionsQuery({ account: 'acc-1', instrument: 'AAPL', status: 'open', side: 'Long', openedFrom: '2026-03-01', openedTo: '2026-03-02T00:00:00Z', sort: 'symbol', limit: '10' });
    expect(parsed).toEqual({
      ok: true,
      value: {
        accountId: 'acc-1', symbol: 'AAPL', status: 'OPEN', side: 'LONG',
        openedFrom: new Date('2026-03-01T00:00:00Z'), openedTo: new Date('2026-03-02T00:00:00Z'),
        sort: { field: 'symbol', direction: 'asc' }, limit: 10,
      },
    });
  });

  it('names each bad parameter', () => {
    const problems = (raw: Record<string, unknown>) => {
      const parsed = parsePositionsQuery(raw);
      return parsed.ok ? [] : parsed.problems.map((p) => p.parameter);
    };
    expect(problems({ limit: '501' })).toEqual(['limit']);
    expect(problems({ limit: 'ten', status: 'HALF' }).sort()).toEqual(['limit', 'status']);
    expect(problems({ sort: '-owner' })).toEqual(['sort']);
    expect(problems({ openedFrom: '03/01/2026' })).toEqual(['openedFrom']);
    expect(problems({ openedFrom: '2026-03-02', openedTo: '2026-03-01' })).toEqual(['openedTo']);
    expect(problems({ owner: 'bob' })).toEqual(['owner']);
    expect(problems({ account: ['a', 'b'] })).toEqual(['account']);
    expect(problems({ account: '  ' })).toEqual(['account']);
  });

  it('accepts a cursor only for the sort it came from', () => {
    const cursor = encodeCursor({ field: 'openedAt', value: '2026-03-02T14:00:00.000Z', positionId: ID });
    const parsed = parsePositionsQuery({ sort: 'openedAt', cursor });
    expect(parsed.ok && parsed.value.cursor).toEqual({ field: 'openedAt', value: '2026-03-02T14:00:00.000Z', positionId: ID });
    expect(parsePositionsQuery({ sort: 'symbol', cursor })).toMatchObject({ ok: false, problems: [{ parameter: 'cursor' }] });
  });
});

describe('cursors', () => {
  it('round-trip and refuse anything else, including values that would not cast', () => {
    const cursor = { field: 'realizedPnlGross', value: '-12.5', positionId: ID } as const;
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    const crafted = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    expect(decodeCursor(crafted(['realizedPnlGross', '1; DROP TABLE positions', ID]))).toBeNull();
    expect(decodeCursor(crafted(['openedAt', 'yesterday', ID]))).toBeNull();
    expect(decodeCursor(crafted(['owner_id', 'bob', ID]))).toBeNull();
    expect(decodeCursor(crafted(['symbol', 'AAPL', 'not-a-uuid']))).toBeNull();
    expect(decodeCursor('%%%')).toBeNull();
  });
});

describe('isPositionId', () => {
  it('accepts uuids only', () => {
    expect(isPositionId(ID)).toBe(true);
    expect(isPositionId('1 OR 1=1')).toBe(false);
  });
});
