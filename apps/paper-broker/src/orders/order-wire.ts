/** The Alpaca Order object of a paper order: decimal strings, nanosecond RFC 3339 timestamps, nulls. */
import type { Decimal } from 'decimal.js';
import { formatNs } from '../clock/timestamps';
import type { PaperOrder } from './paper-order';

/** Digits of a computed average price on the wire. */
const AVERAGE_DECIMALS = 9;

const dec = (value: Decimal | null): string | null => (value ? value.toFixed() : null);
const ts = (value: bigint | null): string | null => (value === null ? null : formatNs(value));

/** `legs`: the other members of an advanced order, given for its parent only (an OCO's stop-loss leg). */
export function toAlpacaOrder(order: PaperOrder, legs: readonly PaperOrder[] = []): Record<string, unknown> {
  return {
    id: order.id,
    client_order_id: order.clientOrderId,
    created_at: formatNs(order.createdAt),
    updated_at: formatNs(order.updatedAt),
    submitted_at: formatNs(order.submittedAt),
    filled_at: ts(order.filledAt),
    expired_at: ts(order.expiredAt),
    canceled_at: ts(order.canceledAt),
    failed_at: ts(order.failedAt),
    replaced_at: ts(order.replacedAt),
    cancel_requested_at: ts(order.cancelRequestedAt),
    replaced_by: order.replacedBy,
    replaces: order.replaces,
    asset_id: order.assetId,
    symbol: order.symbol,
    asset_class: order.assetClass,
    notional: dec(order.notional),
    qty: order.notional ? null : order.qty.toFixed(),
    filled_qty: order.filledQty.toFixed(),
    filled_avg_price: order.filledAvgPrice ? order.filledAvgPrice.toDecimalPlaces(AVERAGE_DECIMALS).toFixed() : null,
    order_class: order.orderClass,
    order_type: order.type,
    type: order.type,
    side: order.side,
    time_in_force: order.timeInForce,
    limit_price: dec(order.limitPrice),
    stop_price: dec(order.stopPrice),
    trail_price: null,
    trail_percent: null,
    hwm: null,
    status: order.status,
    extended_hours: order.extendedHours,
    legs: legs.length > 0 ? legs.map((leg) => toAlpacaOrder(leg)) : null,
    expires_at: null,
    commission: order.commission.toFixed(),
    source: 'paper-broker',
  };
}
