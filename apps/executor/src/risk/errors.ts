/**
 * Denial codes of the pre-trade risk context. A denial is a value: the caller records it and
 * publishes an `OrderDenied` event carrying the code; nothing is sent to the broker.
 *
 * There is no `PRICE_NOT_ON_TICK`: off-tick prices are rounded to the instrument's tick, not
 * denied. Rounding is directed (see `roundPrice`) and so moves a price by less than one tick; the
 * only way it can spoil a price is to reach zero, which is `INVALID_PRICE`.
 */

export type RiskDenialCode =
  /** The symbol is not on the allowed list, or its asset class is not allowed. */
  | 'INSTRUMENT_NOT_ALLOWED'
  /** The instrument's market is closed. */
  | 'MARKET_CLOSED'
  /** Another trade is active on the same symbol and account, and only one is allowed. */
  | 'ACTIVE_TRADE_EXISTS'
  /** A price the order type needs is missing, not positive, or rounds to zero on the tick. */
  | 'INVALID_PRICE'
  /** After rounding down to the lot, the quantity is below the instrument's minimum. */
  | 'QUANTITY_BELOW_LOT'
  /** A market order without a reference price: its notional cannot be bounded. */
  | 'NOTIONAL_UNKNOWN'
  /** The order notional is below the venue's minimum (Binance `NOTIONAL.minNotional`). */
  | 'NOTIONAL_BELOW_MINIMUM'
  /** The order notional is above the maximum per order. */
  | 'MAX_NOTIONAL_EXCEEDED'
  /**
   * The order would take the position through zero (long to short or short to long). Alpaca wants
   * the close and the open as two orders; splitting is not built, so such a NEW_TRADE is refused.
   */
  | 'POSITION_WOULD_REVERSE'
  /** The position after a full fill would be above the maximum per symbol, in absolute units. */
  | 'MAX_POSITION_EXCEEDED';

export interface RiskDenial {
  readonly code: RiskDenialCode;
  /** For people and logs, naming the numbers compared; never branched on. */
  readonly message: string;
}
