/**
 * FILL account activities, one per execution, in execution order. Invariants: ids are
 * `<yyyymmddhhmmssSSS>::<execution id>` and unique; a page token is the id of the last row seen and
 * is exclusive in both directions.
 */
import type { Decimal } from 'decimal.js';
import { compactMs, formatNs } from '../clock/timestamps';
import { fail, ok, type Result } from '../errors';
import type { ExecutionId, OrderId, OrderStatus, Side } from '../orders/paper-order';

export interface FillActivity {
  id: string;
  executionId: ExecutionId;
  transactionTime: bigint;
  type: 'fill' | 'partial_fill';
  price: Decimal;
  qty: Decimal;
  side: Side;
  symbol: string;
  leavesQty: Decimal;
  cumQty: Decimal;
  orderId: OrderId;
  orderStatus: OrderStatus;
  commission: Decimal;
}

export interface ActivityQuery {
  direction: 'asc' | 'desc';
  /** 1..100. */
  pageSize: number;
  pageToken: string | null;
  afterNs: bigint | null;
  untilNs: bigint | null;
}

export function activityIdOf(executionId: ExecutionId, at: bigint): string {
  return `${compactMs(at)}::${executionId}`;
}

export class ActivityLog {
  private activities: FillActivity[] = [];

  record(activity: FillActivity): void {
    this.activities.push(activity);
  }

  get size(): number {
    return this.activities.length;
  }

  list(query: ActivityQuery): Result<FillActivity[]> {
    const ordered = query.direction === 'asc' ? [...this.activities] : [...this.activities].reverse();
    let start = 0;
    if (query.pageToken !== null) {
      const index = ordered.findIndex((a) => a.id === query.pageToken);
      if (index < 0) return fail('INVALID_REQUEST', 'invalid page_token');
      start = index + 1;
    }
    const page: FillActivity[] = [];
    for (let i = start; i < ordered.length && page.length < query.pageSize; i += 1) {
      const activity = ordered[i];
      if (activity && inRange(activity.transactionTime, query)) page.push(activity);
    }
    return ok(page);
  }

  clear(): void {
    this.activities = [];
  }
}

function inRange(at: bigint, query: ActivityQuery): boolean {
  if (query.afterNs !== null && at <= query.afterNs) return false;
  if (query.untilNs !== null && at >= query.untilNs) return false;
  return true;
}

export function toAlpacaActivity(activity: FillActivity): Record<string, unknown> {
  return {
    id: activity.id,
    activity_type: 'FILL',
    transaction_time: formatNs(activity.transactionTime),
    type: activity.type,
    price: activity.price.toFixed(),
    qty: activity.qty.toFixed(),
    side: activity.side,
    symbol: activity.symbol,
    leaves_qty: activity.leavesQty.toFixed(),
    order_id: activity.orderId,
    cum_qty: activity.cumQty.toFixed(),
    order_status: activity.orderStatus,
    commission: activity.commission.toFixed(),
  };
}
