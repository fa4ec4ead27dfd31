import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { asExecutionId, asOrderId } from '../orders/paper-order';
import { ActivityLog, activityIdOf, type ActivityQuery, type FillActivity } from './activity-log';

function activity(n: number): FillActivity {
  const at = 1_700_000_000_000_000_000n + BigInt(n);
  const executionId = asExecutionId(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
  return {
    id: activityIdOf(executionId, at),
    executionId,
    transactionTime: at,
    type: 'fill',
    price: new Decimal('10'),
    qty: new Decimal('1'),
    side: 'buy',
    symbol: 'AAPL',
    leavesQty: new Decimal(0),
    cumQty: new Decimal(1),
    orderId: asOrderId(`order-${n}`),
    orderStatus: 'filled',
    commission: new Decimal(0),
  };
}

const query = (overrides: Partial<ActivityQuery>): ActivityQuery => ({
  direction: 'desc',
  pageSize: 100,
  pageToken: null,
  afterNs: null,
  untilNs: null,
  ...overrides,
});

function pages(log: ActivityLog, base: Partial<ActivityQuery>): number[][] {
  const result: number[][] = [];
  let pageToken: string | null = null;
  for (;;) {
    const page = log.list(query({ ...base, pageToken }));
    if (!page.ok) throw new Error(page.error.message);
    if (page.value.length === 0) return result;
    result.push(page.value.map((a) => Number(a.transactionTime - 1_700_000_000_000_000_000n)));
    pageToken = page.value[page.value.length - 1]?.id ?? null;
  }
}

describe('FILL activity paging', () => {
  const log = new ActivityLog();
  for (let n = 1; n <= 5; n += 1) log.record(activity(n));

  it('uses <yyyymmddhhmmssSSS>::<uuid> ids', () => {
    expect(activity(1).id).toMatch(/^\d{17}::[0-9a-f-]{36}$/);
  });

  it('pages newest first by default with an exclusive token', () => {
    expect(pages(log, { pageSize: 2 })).toEqual([[5, 4], [3, 2], [1]]);
  });

  it('pages oldest first when asked, within after/until', () => {
    expect(pages(log, { direction: 'asc', pageSize: 2 })).toEqual([[1, 2], [3, 4], [5]]);
    const window = { direction: 'asc' as const, afterNs: 1_700_000_000_000_000_001n, untilNs: 1_700_000_000_000_000_005n };
    expect(pages(log, window)).toEqual([[2, 3, 4]]);
  });

  it('refuses an unknown page token', () => {
    expect(log.list(query({ pageToken: 'nope' })).ok).toBe(false);
  });
});
