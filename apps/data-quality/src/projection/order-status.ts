/**
 * The order status data-quality projects from the order topics. Events may arrive out of order
 * across topics (a fill before `order.accepted`), so a status only ever moves up its rank: an
 * order never goes back from FILLED to ACCEPTED because a late `order.accepted` arrived.
 */
export type ProjectedOrderStatus =
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'EXPIRED'
  | 'REJECTED'
  | 'REPLACED';

const RANK: Record<ProjectedOrderStatus, number> = {
  SUBMITTED: 0,
  ACCEPTED: 1,
  REPLACED: 1,
  PARTIALLY_FILLED: 2,
  FILLED: 3,
  CANCELED: 3,
  EXPIRED: 3,
  REJECTED: 3,
};

/** Orders in these statuses still work at the broker (a stop-loss in one of them protects a position). */
export const ACTIVE_ORDER_STATUSES: readonly ProjectedOrderStatus[] = ['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED'];

export function rankOf(status: ProjectedOrderStatus): number {
  return RANK[status];
}

/** `order.submitted`'s broker status, projected: ACCEPTED and NEW are not yet routed, so SUBMITTED. */
export function statusOfSubmitted(status: 'ACCEPTED' | 'NEW' | 'PARTIALLY_FILLED' | 'FILLED'): ProjectedOrderStatus {
  return status === 'ACCEPTED' || status === 'NEW' ? 'SUBMITTED' : status;
}

/** `order.filled`'s order status after the fill, projected; a fill while pending cancel or replace still works. */
export function statusOfFill(
  status: 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'PENDING_CANCEL' | 'REPLACED',
): ProjectedOrderStatus {
  return status === 'PENDING_CANCEL' || status === 'REPLACED' ? 'PARTIALLY_FILLED' : status;
}

/** The status after applying `next` to `current`: the higher rank wins, the current one on a tie. */
export function applyOrderStatus(current: ProjectedOrderStatus | null, next: ProjectedOrderStatus): ProjectedOrderStatus {
  return current !== null && RANK[current] >= RANK[next] ? current : next;
}
