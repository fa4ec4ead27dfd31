/**
 * Alpaca's OCO ("one cancels other") exit pair: the order is the take-profit limit, its stop-loss
 * leg a stop (or stop-limit) for the same side and quantity. Invariants: the two members name each
 * other in `ocoSiblingId`; when one fills completely the broker cancels the other (a `canceled`
 * update, no request needed); a partial fill of one shrinks the other to what is left, so the pair
 * never closes more than its quantity.
 */
import { isTerminal, remainingQty, type PaperOrder } from '../orders/paper-order';
import { publishOrderEvent, transitionOrder, type ExchangeContext } from './exchange-context';

/** The stop-loss leg of an OCO whose parent (take-profit) is `parent`. */
export function ocoLegOf(parent: PaperOrder, leg: Pick<PaperOrder, 'id' | 'clientOrderId' | 'stopPrice' | 'limitPrice'>): PaperOrder {
  return {
    ...parent,
    ...leg,
    type: leg.limitPrice ? 'stop_limit' : 'stop',
    orderClass: 'oco',
    ocoSiblingId: parent.id,
    ocoLeg: true,
  };
}

/** After an execution of `executed`: cancels its OCO sibling once it is filled, else shrinks the sibling. */
export function applyOcoAfterExecution(ctx: ExchangeContext, executed: PaperOrder): void {
  const sibling = executed.ocoSiblingId ? ctx.state.orders.get(executed.ocoSiblingId) : undefined;
  if (!sibling || isTerminal(sibling.status)) return;
  if (executed.status === 'filled') {
    // A replace in flight loses: the pair is done.
    if (sibling.status === 'pending_replace') return;
    publishOrderEvent(ctx, 'canceled', transitionOrder(ctx, sibling, 'canceled'));
    return;
  }
  const qty = sibling.filledQty.plus(remainingQty(executed));
  if (qty.lt(sibling.qty)) ctx.state.orders.update({ ...sibling, qty, updatedAt: ctx.timestamps.next() });
}

/** Cancel requests on an OCO member cancel the whole pair, as at Alpaca. */
export function ocoMembersToCancel(ctx: ExchangeContext, order: PaperOrder): PaperOrder[] {
  const sibling = order.ocoSiblingId ? ctx.state.orders.get(order.ocoSiblingId) : undefined;
  return sibling && !isTerminal(sibling.status) && sibling.status !== 'pending_cancel' && sibling.status !== 'pending_replace' ? [sibling] : [];
}
