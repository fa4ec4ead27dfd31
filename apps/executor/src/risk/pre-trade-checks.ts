/**
 * Pre-trade risk checks of an entry order. Pure: everything the checks need arrives in
 * `PreTradeContext`, and the outcome is a value. A denial becomes an `OrderDenied` event; an
 * approval carries the intent with its prices and quantity rounded to the instrument's tick and lot,
 * which is what is sent to the broker.
 *
 * Fixed order, first denial wins:
 *  1. instrument allowed   2. market open   3. one active trade per symbol
 *  4. prices valid after rounding   5. quantity at least the minimum after rounding
 *  6. notional known   7. notional at least the venue minimum   8. notional at most the maximum
 *  9. position not reversed (no crossing zero in one order)   10. position within the maximum.
 * Checks that do not depend on the numbers come first, so a denial names the most fundamental
 * reason; the limits are checked on the rounded order, the one that would actually be sent.
 */
import { Decimal } from 'decimal.js';
import type { OrderIntent } from '../decisions/order-intent';
import type { RiskDenial } from './errors';
import {
  roundPrice,
  roundQuantity,
  type AssetClass,
  type InstrumentRules,
  type OrderSide,
} from './instrument-rules';
import type { RiskLimits } from './risk-limits';

export interface PreTradeContext {
  readonly limits: RiskLimits;
  /** Tick and lot of the intent's instrument. */
  readonly rules: InstrumentRules;
  /** Whether the instrument's market is open now; the caller passes true for crypto (24/7). */
  readonly marketOpen: boolean;
  /** Last quote midpoint in quote currency, bounding a market order's notional; null when unknown. */
  readonly referencePrice: Decimal | null;
  /** Signed position in the symbol and account, in instrument units: negative is short. */
  readonly currentPositionQuantity: Decimal;
  /** Whether a trade other than the intent's own is active on the symbol and account. */
  readonly activeTradeOnSymbol: boolean;
}

export type PreTradeOutcome =
  | { readonly kind: 'APPROVED'; readonly intent: OrderIntent }
  | { readonly kind: 'DENIED'; readonly denial: RiskDenial };

type OrderType = OrderIntent['orderType'];

// Products are exact, so a notional one hundredth of a cent over the limit is still over it.
const Exact = Decimal.clone({ precision: 100 });

export function checkPreTrade(intent: OrderIntent, context: PreTradeContext): PreTradeOutcome {
  const { limits, rules } = context;
  const requestedQuantity = new Decimal(intent.quantity);
  const quantity = roundQuantity(requestedQuantity, rules);
  const limitPrice = roundedPrice(intent.limitPrice, intent.side, rules);
  const stopPrice = roundedPrice(intent.stopPrice, intent.side, rules);
  const notionalPrice = calculateNotionalPrice(
    intent.orderType,
    limitPrice,
    stopPrice,
    context.referencePrice,
  );
  const notional =
    notionalPrice === null
      ? null
      : calculateNotional(quantity, notionalPrice, new Decimal(intent.multiplier));

  const denial =
    checkInstrumentAllowed(intent.symbol, intent.assetClass, limits) ??
    checkMarketOpen(intent.symbol, context.marketOpen) ??
    checkActiveTrade(intent.symbol, context.activeTradeOnSymbol, limits) ??
    checkPrice('limit', intent.orderType, intent.limitPrice, limitPrice) ??
    checkPrice('stop', intent.orderType, intent.stopPrice, stopPrice) ??
    checkQuantity(requestedQuantity, quantity, rules) ??
    checkNotional(intent.orderType, notional, rules, limits) ??
    checkPositionReversal(intent.side, quantity, context.currentPositionQuantity) ??
    checkMaxPosition(intent.side, quantity, context.currentPositionQuantity, limits);
  if (denial) return { kind: 'DENIED', denial };

  return {
    kind: 'APPROVED',
    intent: {
      ...intent,
      quantity: quantity.toFixed(),
      limitPrice: limitPrice?.toFixed() ?? null,
      stopPrice: stopPrice?.toFixed() ?? null,
    },
  };
}

export function checkInstrumentAllowed(
  symbol: string,
  assetClass: AssetClass,
  limits: RiskLimits,
): RiskDenial | undefined {
  if (!limits.allowedAssetClasses.has(assetClass)) {
    return {
      code: 'INSTRUMENT_NOT_ALLOWED',
      message: `asset class ${assetClass} of ${symbol} is not allowed`,
    };
  }
  if (limits.allowedInstruments !== 'ALL' && !limits.allowedInstruments.has(symbol)) {
    return { code: 'INSTRUMENT_NOT_ALLOWED', message: `${symbol} is not on the allowed instruments list` };
  }
  return undefined;
}

export function checkMarketOpen(symbol: string, marketOpen: boolean): RiskDenial | undefined {
  return marketOpen ? undefined : { code: 'MARKET_CLOSED', message: `the market for ${symbol} is closed` };
}

export function checkActiveTrade(
  symbol: string,
  activeTradeOnSymbol: boolean,
  limits: RiskLimits,
): RiskDenial | undefined {
  if (!limits.oneActiveTradePerSymbol || !activeTradeOnSymbol) return undefined;
  return { code: 'ACTIVE_TRADE_EXISTS', message: `another trade is active on ${symbol} in this account` };
}

/** A price the order type needs must be present and stay positive after rounding to the tick. */
export function checkPrice(
  which: 'limit' | 'stop',
  orderType: OrderType,
  requested: string | null,
  rounded: Decimal | null,
): RiskDenial | undefined {
  const required =
    which === 'limit'
      ? orderType === 'LIMIT' || orderType === 'STOP_LIMIT'
      : orderType === 'STOP' || orderType === 'STOP_LIMIT';
  if (rounded === null) {
    return required
      ? { code: 'INVALID_PRICE', message: `a ${orderType} order needs a ${which} price` }
      : undefined;
  }
  if (rounded.gt(0)) return undefined;
  return {
    code: 'INVALID_PRICE',
    message: `${which} price ${String(requested)} rounds to ${rounded.toFixed()} on the tick`,
  };
}

export function checkQuantity(
  requested: Decimal,
  rounded: Decimal,
  rules: InstrumentRules,
): RiskDenial | undefined {
  if (rounded.gte(rules.minQuantity)) return undefined;
  return {
    code: 'QUANTITY_BELOW_LOT',
    message: `quantity ${requested.toFixed()} rounds down to ${rounded.toFixed()} on lot ${rules.lotSize.toFixed()}, below the minimum ${rules.minQuantity.toFixed()}`,
  };
}

/**
 * The per-unit price that bounds the order's notional: the limit for LIMIT and STOP_LIMIT; for a
 * STOP (a market order once triggered) the higher of the stop and the reference price; for MARKET
 * the reference price. Null when it cannot be known.
 */
export function calculateNotionalPrice(
  orderType: OrderType,
  limitPrice: Decimal | null,
  stopPrice: Decimal | null,
  referencePrice: Decimal | null,
): Decimal | null {
  const reference = referencePrice !== null && referencePrice.gt(0) ? referencePrice : null;
  switch (orderType) {
    case 'LIMIT':
    case 'STOP_LIMIT':
      return limitPrice;
    case 'STOP':
      return stopPrice && reference ? Decimal.max(stopPrice, reference) : stopPrice;
    case 'MARKET':
      return reference;
  }
}

/** Quantity × price × contract multiplier, in quote currency, exact. */
export function calculateNotional(quantity: Decimal, price: Decimal, multiplier: Decimal): Decimal {
  return new Decimal(new Exact(quantity).times(price).times(multiplier));
}

export function checkNotionalKnown(orderType: OrderType, notional: Decimal | null): RiskDenial | undefined {
  if (notional !== null) return undefined;
  return {
    code: 'NOTIONAL_UNKNOWN',
    message: `a ${orderType} order needs a reference price to bound its notional, and there is none`,
  };
}

export function checkMinNotional(notional: Decimal, rules: InstrumentRules): RiskDenial | undefined {
  if (notional.gte(rules.minNotional)) return undefined;
  return {
    code: 'NOTIONAL_BELOW_MINIMUM',
    message: `order notional ${notional.toFixed()} is below the venue minimum ${rules.minNotional.toFixed()}`,
  };
}

export function checkMaxNotional(notional: Decimal, limits: RiskLimits): RiskDenial | undefined {
  if (notional.lte(limits.maxNotionalPerOrder)) return undefined;
  return {
    code: 'MAX_NOTIONAL_EXCEEDED',
    message: `order notional ${notional.toFixed()} exceeds the maximum ${limits.maxNotionalPerOrder.toFixed()} per order`,
  };
}

/**
 * An order may close a position, not take it through zero: a SELL larger than a long position or
 * a BUY larger than a short one is refused (the close and the new open would be two orders).
 */
export function checkPositionReversal(side: OrderSide, quantity: Decimal, currentPositionQuantity: Decimal): RiskDenial | undefined {
  const closing = side === 'SELL' ? currentPositionQuantity.gt(0) : currentPositionQuantity.lt(0);
  if (!closing || quantity.lte(currentPositionQuantity.abs())) return undefined;
  return {
    code: 'POSITION_WOULD_REVERSE',
    message: `position ${currentPositionQuantity.toFixed()} ${side} ${quantity.toFixed()} would cross zero; close it first, then open the other way`,
  };
}

/**
 * The absolute position after a full fill may not exceed the maximum, long or short. An order that
 * brings the position closer to flat is allowed even above the maximum (after the limit was lowered),
 * since denying it would keep the account further over.
 */
export function checkMaxPosition(
  side: OrderSide,
  quantity: Decimal,
  currentPositionQuantity: Decimal,
  limits: RiskLimits,
): RiskDenial | undefined {
  const after = new Exact(currentPositionQuantity).plus(side === 'BUY' ? quantity : quantity.neg());
  if (after.abs().lte(limits.maxPositionPerSymbol) || after.abs().lt(currentPositionQuantity.abs()))
    return undefined;
  return {
    code: 'MAX_POSITION_EXCEEDED',
    message: `position ${currentPositionQuantity.toFixed()} ${side} ${quantity.toFixed()} would be ${after.toFixed()}, beyond the maximum ${limits.maxPositionPerSymbol.toFixed()} per symbol`,
  };
}

function checkNotional(
  orderType: OrderType,
  notional: Decimal | null,
  rules: InstrumentRules,
  limits: RiskLimits,
): RiskDenial | undefined {
  if (notional === null) return checkNotionalKnown(orderType, notional);
  return checkMinNotional(notional, rules) ?? checkMaxNotional(notional, limits);
}

function roundedPrice(price: string | null, side: OrderSide, rules: InstrumentRules): Decimal | null {
  return price === null ? null : roundPrice(new Decimal(price), side, rules);
}
