/** Pure construction of Alpaca request bodies from the port's commands. Decimals go out as strings. */
import type { Decimal } from 'decimal.js';
import type { OcoStopLoss, ReplaceOrder, SubmitOrder } from '../commands';

function wireDecimal(value: Decimal): string {
  return value.toFixed();
}

/** Body of POST /v2/orders for a simple order. */
export function toOrderRequest(command: SubmitOrder): Record<string, unknown> {
  const body: Record<string, unknown> = {
    symbol: command.symbol,
    qty: wireDecimal(command.quantity),
    side: command.side.toLowerCase(),
    type: command.orderType.toLowerCase(),
    time_in_force: command.timeInForce.toLowerCase(),
    client_order_id: command.clientOrderId,
  };
  if (command.limitPrice) body.limit_price = wireDecimal(command.limitPrice);
  if (command.stopPrice) body.stop_price = wireDecimal(command.stopPrice);
  if (command.extendedHours) body.extended_hours = true;
  if (command.oco) {
    body.order_class = 'oco';
    body.stop_loss = {
      stop_price: wireDecimal(command.oco.stopPrice),
      ...(command.oco.limitPrice ? { limit_price: wireDecimal(command.oco.limitPrice) } : {}),
    };
  }
  return body;
}

/** Body of PATCH /v2/orders/{id}: only the fields that change. */
export function toReplaceRequest(change: ReplaceOrder): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (change.quantity) body.qty = wireDecimal(change.quantity);
  if (change.limitPrice) body.limit_price = wireDecimal(change.limitPrice);
  if (change.stopPrice) body.stop_price = wireDecimal(change.stopPrice);
  if (change.timeInForce) body.time_in_force = change.timeInForce.toLowerCase();
  if (change.clientOrderId) body.client_order_id = change.clientOrderId;
  return body;
}

/** A denial reason for a submit the broker would refuse anyway, or null. */
export function checkSubmitOrder(command: SubmitOrder): string | null {
  if (!command.quantity.isFinite() || command.quantity.lte(0)) return 'quantity must be greater than zero';
  const needsLimit = command.orderType === 'LIMIT' || command.orderType === 'STOP_LIMIT';
  const needsStop = command.orderType === 'STOP' || command.orderType === 'STOP_LIMIT';
  if (needsLimit && !command.limitPrice) return `${command.orderType} needs a limit price`;
  if (needsStop && !command.stopPrice) return `${command.orderType} needs a stop price`;
  if (command.limitPrice?.lte(0) || command.stopPrice?.lte(0)) return 'prices must be greater than zero';
  return command.oco ? checkOco(command, command.oco) : null;
}

/** OCO: the order is the LIMIT take-profit; the stop sits at least one cent beyond it, on the losing side. */
function checkOco(command: SubmitOrder, oco: OcoStopLoss): string | null {
  if (command.orderType !== 'LIMIT' || !command.limitPrice) return 'an OCO order must be a LIMIT order (its take-profit)';
  if (oco.stopPrice.lte(0) || oco.limitPrice?.lte(0)) return 'prices must be greater than zero';
  const gap = command.side === 'SELL' ? command.limitPrice.minus(oco.stopPrice) : oco.stopPrice.minus(command.limitPrice);
  return gap.lt('0.01') ? 'the OCO stop price must be at least 0.01 beyond the take-profit limit price' : null;
}
