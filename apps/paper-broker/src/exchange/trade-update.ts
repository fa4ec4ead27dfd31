/** The trade_updates events the paper broker emits, and their Alpaca wire form. */
import type { Decimal } from 'decimal.js';
import { formatNs } from '../clock/timestamps';
import { toAlpacaOrder } from '../orders/order-wire';
import type { ExecutionId, PaperOrder } from '../orders/paper-order';

export type TradeEventName = 'new' | 'partial_fill' | 'fill' | 'canceled' | 'expired' | 'replaced' | 'rejected';

export interface Execution {
  id: ExecutionId;
  price: Decimal;
  qty: Decimal;
  commission: Decimal;
}

export interface TradeUpdateEvent {
  event: TradeEventName;
  /** The order as it stands after the event. */
  order: PaperOrder;
  at: bigint;
  execution: Execution | null;
  /** Signed position in the symbol after an execution. */
  positionQty: Decimal | null;
}

export function toTradeUpdateMessage(update: TradeUpdateEvent): { stream: 'trade_updates'; data: Record<string, unknown> } {
  const data: Record<string, unknown> = {
    event: update.event,
    timestamp: formatNs(update.at),
    order: toAlpacaOrder(update.order),
  };
  if (update.execution) {
    data.execution_id = update.execution.id;
    data.price = update.execution.price.toFixed();
    data.qty = update.execution.qty.toFixed();
    data.commission = update.execution.commission.toFixed();
  }
  if (update.positionQty) data.position_qty = update.positionQty.toFixed();
  return { stream: 'trade_updates', data };
}
